"""Coalesced live push: committed domain events → Socket.IO rooms.

Events are buffered per room and flushed as one ``events`` message per room
every ``interval`` seconds, so 200 incidents a second to 200 consoles costs
10 emits a second per room rather than one per event per client.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from typing import Any, Protocol

from ioc.events import Event

log = logging.getLogger(__name__)

NAMESPACE = "/live"


class Emitter(Protocol):
    """The part of flask_socketio.SocketIO the pusher uses."""

    def emit(self, event: str, *args: Any, **kwargs: Any) -> Any: ...


class LivePusher:
    """Bus listener that batches events per room and emits them on a timer."""

    def __init__(self, emitter: Emitter, interval: float = 0.1) -> None:
        self.emitter = emitter
        self.interval = interval
        self._buffers: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.emitted_batches = 0

    def __call__(self, events: list[Event]) -> None:
        """Bus callback: buffer the events for their rooms."""
        with self._lock:
            for event in events:
                item = {"type": event.type, "data": event.data}
                for room in event.rooms:
                    self._buffers[room].append(item)

    def start(self) -> LivePusher:
        """Start the flush timer thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="live-pusher", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Flush what is buffered and stop."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
        self.flush()

    def flush(self) -> int:
        """Emit every non-empty buffer now; returns the number of emits."""
        with self._lock:
            buffers, self._buffers = self._buffers, defaultdict(list)
        for room, items in buffers.items():
            try:
                self.emitter.emit("events", items, to=room, namespace=NAMESPACE)
                self.emitted_batches += 1
            except Exception:
                log.exception("live push to room %s failed (%d events)", room, len(items))
        return len(buffers)

    def _run(self) -> None:
        wait = self.interval
        while not self._stop.wait(wait):
            started = time.monotonic()
            self.flush()
            # a slow flush (many rooms, busy machine) shortens the next wait
            wait = max(0.0, self.interval - (time.monotonic() - started))
