"""Domain events and the bus that carries them to live listeners.

Only service functions create events, and a ``UnitOfWork`` hands them to the
bus *after* its transaction commits, so no listener ever sees a change that
was rolled back. Listeners (the Socket.IO pusher, metrics, tests) subscribe
to the bus; the core knows nothing of how they deliver.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

#: Every event type and the keys its ``data`` must carry.
EVENT_SCHEMAS: dict[str, frozenset[str]] = {
    "incident.created": frozenset({"id", "code", "status", "department", "channel", "sla_state"}),
    "incident.updated": frozenset({"id", "code", "status", "department", "sla_state"}),
    "dossier.updated": frozenset({"dossier_id", "status", "is_late"}),
    "deadletter.created": frozenset({"id", "topic", "reason"}),
}

OPERATORS_ROOM = "operators"


class EventSchemaError(ValueError):
    """An event does not match the schema of its type."""


@dataclass(frozen=True)
class Event:
    """Something that happened, with the rooms that may see it."""

    type: str
    data: dict[str, Any]
    rooms: tuple[str, ...] = field(default=(OPERATORS_ROOM,))

    def __post_init__(self) -> None:
        required = EVENT_SCHEMAS.get(self.type)
        if required is None:
            raise EventSchemaError(f"unknown event type '{self.type}'")
        missing = required - self.data.keys()
        if missing:
            raise EventSchemaError(f"event '{self.type}' lacks {sorted(missing)}")


Listener = Callable[[list[Event]], None]


class EventBus:
    """Fan-out of committed events to listeners; a failing listener is logged, not raised."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self.failures = 0

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add a listener; returns a function that removes it."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, events: Iterable[Event]) -> None:
        """Deliver a batch of committed events to every listener."""
        batch = list(events)
        if not batch:
            return
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(batch)
            except Exception:
                self.failures += 1
                log.exception("event listener %r failed on %d events", listener, len(batch))
