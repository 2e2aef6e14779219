"""Test-side MQTT helpers: a real publisher and a real subscriber."""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterable

import paho.mqtt.client as mqtt

from ingest.mqtt import MqttTarget, connect, disconnect_cleanly, make_client, wait_published


class Publisher:
    """A connected QoS 1 publisher."""

    def __init__(self, target: MqttTarget) -> None:
        self.client = make_client(target)
        connect(self.client, target)
        self.client.loop_start()
        self.pending: list[mqtt.MQTTMessageInfo] = []

    def publish(self, topic: str, payload: bytes, qos: int = 1) -> None:
        """Publish and remember the message for ``flush``."""
        self.pending.append(self.client.publish(topic, payload, qos=qos))

    def publish_all(self, items: Iterable[tuple[str, bytes]]) -> None:
        """Publish many (topic, payload) pairs."""
        for topic, payload in items:
            self.publish(topic, payload)

    def flush(self, timeout: float = 30.0) -> None:
        """Wait until the broker has acknowledged every publish."""
        missing = wait_published(self.pending, timeout)
        assert missing == 0, f"{missing} publishes not acknowledged by the broker"
        self.pending.clear()

    def close(self) -> None:
        """Flush and disconnect."""
        self.flush()
        disconnect_cleanly(self.client)


class Subscriber:
    """Collects the messages of one topic filter."""

    def __init__(self, target: MqttTarget, topic: str) -> None:
        self.messages: queue.Queue[mqtt.MQTTMessage] = queue.Queue()
        ready = threading.Event()
        self.client = make_client(target)
        self.client.on_connect = lambda c, *_: c.subscribe(topic, qos=1)
        self.client.on_subscribe = lambda *_: ready.set()
        self.client.on_message = lambda _c, _u, m: self.messages.put(m)
        connect(self.client, target)
        self.client.loop_start()
        assert ready.wait(10), "subscription not acknowledged"

    def collect(self, count: int, timeout: float = 20.0) -> list[mqtt.MQTTMessage]:
        """Wait for ``count`` messages."""
        out: list[mqtt.MQTTMessage] = []
        deadline = time.monotonic() + timeout
        while len(out) < count and time.monotonic() < deadline:
            with contextlib.suppress(queue.Empty):
                out.append(self.messages.get(timeout=0.2))
        return out

    def close(self) -> None:
        """Disconnect."""
        disconnect_cleanly(self.client)


def wait_until(condition: Callable[[], bool], timeout: float = 30.0, interval: float = 0.1) -> bool:
    """Poll ``condition`` until it is true or the time is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()
