"""A transaction plus the events it will publish once committed."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session

from ioc.db import Database
from ioc.events import Event, EventBus


class UnitOfWork:
    """Open a session; ``commit()`` commits, then publishes the collected events.

    Use as a context manager: leaving it without commit rolls back and drops
    the events.
    """

    def __init__(self, db: Database, bus: EventBus | None = None) -> None:
        self.db = db
        self.bus = bus
        self.session: Session = db.sessionmaker()
        self.events: list[Event] = []

    def emit(self, event: Event) -> None:
        """Queue an event for publication after commit."""
        self.events.append(event)

    def commit(self) -> list[Event]:
        """Commit the transaction, then publish and return its events."""
        self.session.commit()
        events, self.events = self.events, []
        if self.bus is not None:
            self.bus.publish(events)
        return events

    def rollback(self) -> None:
        """Roll back and forget the queued events."""
        self.session.rollback()
        self.events.clear()

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None or self.session.in_transaction():
            self.session.rollback()
        self.events.clear()
        self.session.close()
