"""`ioc up --demo`: the embedded default in one command, as a user runs it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.ingest.mqtt_helpers import wait_until
from tests.services import free_port

pytestmark = [pytest.mark.broker, pytest.mark.slow]


def get_json(url: str, token: str | None = None) -> tuple[int, dict]:
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(req, timeout=5) as res:
            return res.status, json.loads(res.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")
    except OSError:
        return 0, {}


def test_ioc_up_demo_serves_live_traffic(tmp_path: Path, model_dir: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC_")}
    env.update({"IOC_INSTANCE_DIR": str(tmp_path), "IOC_PORT": str(port),
                "IOC_BROKER_PORT": str(free_port()), "IOC_MODEL_DIR": str(model_dir)})
    ioc = [sys.executable, "-m", "ioc.cli"]
    with (tmp_path / "up.log").open("wb") as log:
        proc = subprocess.Popen([*ioc, "up", "--demo", "--rate", "20"], env=env, stdout=log,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: get_json(f"{base}/healthz")[0] == 200, 90, 0.5), (
            (tmp_path / "up.log").read_text()[-3000:])
        health = get_json(f"{base}/healthz")[1]
        assert health["checks"]["broker"]["kind"] in {"mosquitto", "amqtt"}
        assert health["checks"]["ingest"]["ok"] is True

        subprocess.run([*ioc, "users", "create", "demo.op", "--role", "operator",
                        "--password", "mat-khau-demo"], env=env, check=True, capture_output=True)
        token = subprocess.run([*ioc, "tokens", "create", "demo.op"], env=env, check=True,
                               capture_output=True, text=True).stdout.strip()
        assert token.startswith("ioc_")

        def incidents() -> list[dict]:
            return get_json(f"{base}/api/v1/incidents?limit=50", token)[1].get("items", [])

        assert wait_until(lambda: len(incidents()) >= 10, 60, 0.5), (
            (tmp_path / "up.log").read_text()[-3000:])
        items = incidents()
        assert {i["channel"] for i in items} & {"field_report", "hotline"}
        assert any(i["department"] for i in items), "the classifier routed nothing"
        assert get_json(f"{base}/api/v1/dossiers", token)[0] == 200
        # the worker classifies in its routing child (the default), and says so
        assert wait_until(lambda: get_json(f"{base}/healthz")[1]["checks"]["ingest"]["routing"]
                          == "child process", 60, 0.5)
        with urllib.request.urlopen(f"{base}/metrics", timeout=10) as res:
            metrics = res.read().decode()
        assert "ioc_routing_process_ready 1" in metrics
        assert "ioc_routing_process_failures_total 0" in metrics
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(30)
    assert code == 0, (tmp_path / "up.log").read_text()[-3000:]
