"""The ingest worker: MQTT in, committed state out, acknowledged after commit.

paho's network thread only copies each message into a queue (fast, never
raises). A processing thread takes micro-batches off the queue, commits them
through the pipeline and only then acknowledges them to the broker (manual
QoS 1 acks), so a worker killed at any point loses nothing: what was not
acknowledged is redelivered to the persistent session, and the pipeline's
idempotency turns the redelivery into a no-op. The thread holds two batches:
while one is committed, the next is parsed and routed (in the routing child
process, when there is one).
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
from ingest.pipeline import BatchOutcome, Pipeline, PreparedBatch

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
        self._queue: queue.SimpleQueue[ReceivedMessage] = queue.SimpleQueue()  # C: cheap put per message
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
        self._queue.put(ReceivedMessage(message.topic, bytes(message.payload), message.qos,
                                        message.mid, bool(message.retain), bool(message.dup)))

    # -- lifecycle ----------------------------------------------------------
    def start(self) -> None:
        """Connect, subscribe and start processing in background threads."""
        connect(self._client, self.target, persistent=True, asynchronous=True,
                receive_maximum=max(self.options.batch_size * 3, 100))
        self._client.loop_start()
        self._thread = threading.Thread(target=self._run, name="ingest-batches", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the batch in hand, then disconnect; unprocessed messages stay with the broker."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        disconnect_cleanly(self._client)
        self.pipeline.close()

    def wait_ready(self, timeout: float = 10.0) -> bool:
        """Block until connected and subscribed."""
        return self.connected.wait(timeout) and self.subscribed.wait(timeout)

    @property
    def backlog(self) -> int:
        """Messages received and not yet processed."""
        return self._queue.qsize()

    # -- processing -----------------------------------------------------------
    def _next_batch(self, wait: bool = True) -> list[ReceivedMessage]:
        """Up to batch_size messages; ``wait=False`` takes only what is already queued."""
        try:
            first = self._queue.get(timeout=0.2) if wait else self._queue.get_nowait()
        except queue.Empty:
            return []
        batch = [first]
        deadline = time.monotonic() + (self.options.batch_wait_s if wait else 0)
        while len(batch) < self.options.batch_size:
            remaining = deadline - time.monotonic()
            try:
                batch.append(self._queue.get(timeout=remaining) if remaining > 0
                             else self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _run(self) -> None:
        # Two batches in hand: while one is committed, the next is being routed
        # (in the routing process, when there is one). A batch waiting behind
        # another is only taken from what has already arrived, so a quiet
        # stream is committed at once.
        pending: PreparedBatch | None = None
        while not self._stop.is_set():
            batch = self._next_batch(wait=pending is None)
            upcoming = self.pipeline.prepare(batch) if batch else None
            if pending is not None and not self._finish(pending):
                return  # stopping: both batches stay unacknowledged, for redelivery
            pending = upcoming
        if pending is not None:
            self._finish(pending)  # the batch in hand, if the database takes it at once

    def _finish(self, prepared: PreparedBatch) -> bool:
        """Commit, then acknowledge; False when stopping before the commit succeeded."""
        outcome = self._commit_until_done(prepared)
        if outcome is None:
            return False
        for notice in outcome.dead_letters:
            self._client.publish(self.pipeline.dispatcher.deadletter_topic,
                                 notice.to_json(), qos=1)
        for msg in prepared.messages:
            if msg.qos > 0:
                self._client.ack(msg.mid, msg.qos)
        self.acked += len(prepared.messages)
        if self.on_batch is not None:
            try:
                self.on_batch(list(prepared.messages), outcome)
            except Exception:
                log.exception("batch hook failed")
        return True

    def _commit_until_done(self, prepared: PreparedBatch) -> BatchOutcome | None:
        while True:
            try:
                return self.pipeline.commit(prepared)
            except Exception:
                log.exception("database unavailable; batch of %d kept for retry",
                              len(prepared.messages))
                if self._stop.wait(self.options.retry_delay_s):
                    return None
