"""Publish generated traffic over MQTT at a steady rate."""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field

import paho.mqtt.client as mqtt

from ingest.mqtt import MqttTarget, connect, disconnect_cleanly, make_client, wait_published
from ingest.simulator.traffic import TrafficGenerator

log = logging.getLogger(__name__)


@dataclass
class SimulatorStats:
    """What was sent, by stream."""

    sent: int = 0
    by_stream: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def run_simulator(
    target: MqttTarget,
    topic_root: str = "ioc/v1",
    rate: float = 5.0,
    duration: float | None = None,
    seed: int | None = None,
    malformed_rate: float = 0.0,
    duplicate_rate: float = 0.0,
    stop: threading.Event | None = None,
) -> SimulatorStats:
    """Publish ``rate`` messages per second for ``duration`` seconds (None: until stopped)."""
    if rate <= 0:
        raise ValueError("rate must be positive")
    stop = stop or threading.Event()
    generator = TrafficGenerator(seed, malformed_rate=malformed_rate,
                                 duplicate_rate=duplicate_rate)
    client = make_client(target)
    connect(client, target)
    client.loop_start()
    stats = SimulatorStats()
    started = time.monotonic()
    interval = 1.0 / rate
    next_at = started
    pending: list[mqtt.MQTTMessageInfo] = []
    try:
        while not stop.is_set():
            now = time.monotonic()
            if duration is not None and now - started >= duration:
                break
            if now < next_at:
                stop.wait(min(next_at - now, 0.5))
                continue
            msg = generator.next()
            payload = msg.raw if msg.raw is not None else json.dumps(
                msg.payload, ensure_ascii=False).encode()
            pending.append(client.publish(f"{topic_root}/{msg.subtopic}", payload, qos=1))
            if len(pending) >= 2000:
                pending = [p for p in pending if not p.is_published()]
            stats.sent += 1
            stats.by_stream[msg.stream] = stats.by_stream.get(msg.stream, 0) + 1
            next_at += interval
            if now - next_at > 1.0:  # fell behind (machine busy): do not burst to catch up
                next_at = now
    finally:
        wait_published(pending)
        disconnect_cleanly(client)
        stats.seconds = time.monotonic() - started
    return stats
