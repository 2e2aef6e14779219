"""Crash safety: a worker killed with SIGKILL mid-stream loses and duplicates nothing.

The worker runs as a real subprocess (`ioc ingest`) against a private
Mosquitto started with the project's no-drop settings; it is killed while
the stream is flowing and restarted with the same client id, and every valid
message must then be stored exactly once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ingest.mqtt import parse_mqtt_url
from ioc.core import Core
from ioc.models import Dossier, DossierEvent, Incident
from tests.ingest import payloads as p
from tests.ingest.mqtt_helpers import Publisher, wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow]

TEXTS = [
    "den duong hu truoc nha so {n} duong nguyen hue",
    "Rác ứ đọng ở hẻm {n} đường Trần Hưng Đạo bốc mùi",
    "ống nước bể ở số {n} Lê Lợi nước chảy lênh láng",
    "karaoke ồn ào tới khuya ở nhà số {n} khóm 2",
]


def worker_env(core: Core, broker_url: str, client_id: str, instance: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "IOC_DATABASE_URL": core.settings.database_url,
        "IOC_MQTT_URL": broker_url,
        "IOC_MQTT_PROTOCOL": "5",
        "IOC_TOPIC_ROOT": core.settings.topic_root,
        "IOC_MODEL_DIR": str(core.settings.model_dir),
        "IOC_INGEST_CLIENT_ID": client_id,
        "IOC_INSTANCE_DIR": str(instance),
        "IOC_REDIS_URL": "",
    })
    return env


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, "-m", "ioc.cli", "ingest"], env=env,
                                stdout=out, stderr=subprocess.STDOUT)


def stored(core: Core) -> tuple[int, int]:
    with core.uow() as uow:
        incidents = uow.session.scalar(select(func.count()).select_from(Incident)) or 0
        events = uow.session.scalar(select(func.count()).select_from(DossierEvent)) or 0
    return incidents, events


def test_kill_9_mid_stream_loses_nothing_and_duplicates_nothing(
    core: Core, mosquitto, tmp_path: Path
) -> None:
    target = parse_mqtt_url(mosquitto.url, "5")
    env = worker_env(core, mosquitto.url, "ioc-ingest-crash-test", tmp_path)
    log = tmp_path / "worker.log"
    root = core.settings.topic_root

    worker = start_worker(env, log)
    probe = p.field_report("probe: kiểm tra hệ thống", lat=10.80, lon=105.34)
    pub = Publisher(target)
    # The first connection creates the persistent session; until then
    # nothing is queued for it, so wait for the probe to land.
    assert wait_until(lambda: (pub.publish(f"{root}/reports/field", p.encode(probe)) or True)
                      and stored(core)[0] >= 1, 60, interval=1.0), log.read_text()[-3000:]

    n_reports, n_dossiers = 3000, 300
    reports = [p.field_report(TEXTS[i % 4].format(n=i), lat=10.78 + (i % 50) * 0.001,
                              lon=105.32 + (i // 50) * 0.001) for i in range(n_reports)]
    counter = [p.counter_event(f"HS-{i}", "received", p.NOW, p.NOW + p.HOURS * 72)
               for i in range(n_dossiers)]
    stream = [(f"{root}/reports/field", p.encode(r)) for r in reports]
    stream += [(f"{root}/counter/events", p.encode(c)) for c in counter]
    stream.sort(key=lambda item: hash(item[1]))
    # replays of already-sent messages, as a client retrying after a timeout would
    stream += stream[:200]

    sender = threading.Thread(target=pub.publish_all, args=(stream,))
    sender.start()
    assert wait_until(lambda: stored(core)[0] >= 300, 60, interval=0.05), log.read_text()[-3000:]
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)
    killed_at = stored(core)
    sender.join(60)
    pub.flush(60)
    pub.close()
    assert killed_at[0] < n_reports + 1, "the worker finished before it was killed"

    restarted = start_worker(env, log)
    try:
        done = wait_until(lambda: stored(core) == (n_reports + 1, n_dossiers), 120, interval=0.5)
        assert done, f"stored {stored(core)} after restart; log: {log.read_text()[-3000:]}"
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.wait(20)

    with core.uow() as uow:
        s = uow.session
        ids = set(s.scalars(select(Incident.source_id)))
        assert ids == {r["id"] for r in reports} | {probe["id"]}
        assert s.scalar(select(func.count()).select_from(Dossier)) == n_dossiers
