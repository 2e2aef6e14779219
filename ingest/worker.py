"""The ingest worker: MQTT in, committed state out, acknowledged after commit.

paho's network thread only copies each message into a queue (fast, never
raises). A processing thread takes micro-batches off the queue, commits them
through the pipeline and only then acknowledges them to the broker (manual
QoS 1 acks), so a worker killed at any point loses nothing: what was not
acknowledged is redelivered to the persistent session, and the pipeline's
idempotency turns the redelivery into a no-op.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import paho.mqtt.client as mqtt
from paho.mqtt.reasoncodes import ReasonCode

from ingest.messages import ReceivedMessage
from ingest.mqtt import MqttTarget, connect, disconnect_cleanly, make_client
from ingest.pipeline import BatchOutcome, Pipeline

log = logging.getLogger(__name__)

BatchHook = Callable[[list[ReceivedMessage], BatchOutcome], None]


@dataclass(frozen=True)
class WorkerOptions:
    """Tuning of one worker."""

    client_id: str = "ioc-ingest"
    share_group: str = ""
    batch_size: int = 500
    batch_wait_s: float = 0.05
    retry_delay_s: float = 2.0


class IngestWorker:
    """One MQTT subscriber feeding one pipeline."""

    def __init__(self, pipeline: Pipeline, target: MqttTarget, options: WorkerOptions,
                 on_batch: BatchHook | None = None) -> None:
        self.pipeline = pipeline
        self.target = target
        self.options = options
        self.on_batch = on_batch
        self.connected = threading.Event()
        self.subscribed = threading.Event()
        self._queue: queue.Queue[ReceivedMessage] = queue.Queue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._client = make_client(target, options.client_id, persistent=True, manual_ack=True)
        self._client.on_connect = self._on_connect
        self._client.on_disconnect = self._on_disconnect
        self._client.on_message = self._on_message
        self._client.on_subscribe = self._on_subscribe
        self.acked = 0

    # -- paho callbacks: copy and return, never block or raise -------------
    def _on_connect(self, client: mqtt.Client, _u: object, _f: object, reason: ReasonCode,
                    _p: object = None) -> None:
        if reason.is_failure:
            log.error("broker refused the connection: %s", reason)
            return
        log.info("connected to %s:%s as %s", self.target.host, self.target.port,
                 self.options.client_id)
        prefix = f"$share/{self.options.share_group}/" if self.options.share_group else ""
        topics = [(prefix + t, 1) for t in self.pipeline.dispatcher.subscriptions]
        client.subscribe(topics)
        self.connected.set()

    def _on_subscribe(self, *_args: object) -> None:
        self.subscribed.set()

    def _on_disconnect(self, _c: mqtt.Client, _u: object, _f: object, reason: ReasonCode,
                       _p: object = None) -> None:
        self.connected.clear()
        if not self._stop.is_set():
            log.warning("disconnected from broker (%s); paho reconnects", reason)

    def _on_message(self, _c: mqtt.Client, _u: object, message: mqtt.MQTTMessage) -> None:
        self._queue.put(
            ReceivedMessage(
                topic=message.topic,
                payload=bytes(message.payload),
                qos=message.qos,
                mid=message.mid,
                retain=bool(message.retain),
                dup=bool(message.dup),
                received_monotonic=time.monotonic(),
            )
        )

    # -- lifecycle ----------------------------------------------------------
    def start(self) -> None:
        """Connect, subscribe and start processing in background threads."""
        connect(self._client, self.target, persistent=True, asynchronous=True,
                receive_maximum=max(self.options.batch_size * 2, 100))
        self._client.loop_start()
        self._thread = threading.Thread(target=self._run, name="ingest-batches", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the batch in hand, then disconnect; unprocessed messages stay with the broker."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        disconnect_cleanly(self._client)

    def wait_ready(self, timeout: float = 10.0) -> bool:
        """Block until connected and subscribed."""
        return self.connected.wait(timeout) and self.subscribed.wait(timeout)

    @property
    def backlog(self) -> int:
        """Messages received and not yet processed."""
        return self._queue.qsize()

    # -- processing -----------------------------------------------------------
    def _next_batch(self) -> list[ReceivedMessage]:
        try:
            first = self._queue.get(timeout=0.2)
        except queue.Empty:
            return []
        batch = [first]
        deadline = time.monotonic() + self.options.batch_wait_s
        while len(batch) < self.options.batch_size:
            remaining = deadline - time.monotonic()
            try:
                batch.append(self._queue.get(timeout=max(remaining, 0)) if remaining > 0
                             else self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _run(self) -> None:
        while not self._stop.is_set():
            batch = self._next_batch()
            if not batch:
                continue
            outcome = self._process_until_committed(batch)
            if outcome is None:
                return  # stopping: leave the batch unacknowledged for redelivery
            for notice in outcome.dead_letters:
                self._client.publish(self.pipeline.dispatcher.deadletter_topic,
                                     notice.to_json(), qos=1)
            for msg in batch:
                if msg.qos > 0:
                    self._client.ack(msg.mid, msg.qos)
            self.acked += len(batch)
            if self.on_batch is not None:
                try:
                    self.on_batch(batch, outcome)
                except Exception:
                    log.exception("batch hook failed")

    def _process_until_committed(self, batch: list[ReceivedMessage]) -> BatchOutcome | None:
        while True:
            try:
                return self.pipeline.process(batch)
            except Exception:
                log.exception("database unavailable; batch of %d kept for retry", len(batch))
                if self._stop.wait(self.options.retry_delay_s):
                    return None
