"""`ioc simulate` publishes realistic mixed traffic over a real broker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

import pytest

from tests.ingest.mqtt_helpers import Subscriber

pytestmark = pytest.mark.broker


def test_simulate_publishes_the_requested_rate_of_mixed_traffic(mqtt_target, topic_root) -> None:
    sub = Subscriber(mqtt_target, f"{topic_root}/#")
    env = dict(os.environ, IOC_TOPIC_ROOT=topic_root, IOC_MQTT_PROTOCOL=mqtt_target.protocol)
    url = f"mqtt://{mqtt_target.host}:{mqtt_target.port}"
    out = subprocess.run(
        [sys.executable, "-m", "ioc.cli", "simulate", "--rate", "100", "--duration", "3",
         "--mqtt-url", url, "--seed", "7"], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    got = sub.collect(250, timeout=10)
    sub.close()
    assert 250 <= len(got) <= 320, len(got)
    kinds = Counter(m.topic.removeprefix(topic_root + "/").split("/")[0] for m in got)
    assert kinds["reports"] > 100 and kinds["counter"] > 30
    bodies = [json.loads(m.payload) for m in got]
    assert all("id" in b for b in bodies)
    texts = {b.get("text") or b.get("transcript") for b in bodies} - {None}
    assert len(texts) > 100, "the simulator repeats itself"
    assert "sent" in out.stdout
