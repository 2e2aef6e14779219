"""The incident lifecycle as an explicit state machine.

``new → routed → acknowledged → in_progress → resolved → closed``, plus
``reopened``, ``rejected`` and ``duplicate``. Reassigning to another
department sends an incident back to ``routed``: the new department must
acknowledge it. Anything not listed in ``TRANSITIONS`` is refused.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where an incident stands."""

    NEW = "new"
    ROUTED = "routed"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


S = Status

TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.NEW: frozenset({S.ROUTED, S.REJECTED, S.DUPLICATE}),
    S.ROUTED: frozenset({S.ROUTED, S.ACKNOWLEDGED, S.REJECTED, S.DUPLICATE}),
    S.ACKNOWLEDGED: frozenset({S.ROUTED, S.IN_PROGRESS, S.RESOLVED, S.REJECTED, S.DUPLICATE}),
    S.IN_PROGRESS: frozenset({S.ROUTED, S.RESOLVED, S.REJECTED, S.DUPLICATE}),
    S.RESOLVED: frozenset({S.CLOSED, S.REOPENED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.REOPENED: frozenset({S.ROUTED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.RESOLVED, S.REJECTED}),
    S.REJECTED: frozenset({S.REOPENED}),
    S.DUPLICATE: frozenset({S.REOPENED}),
}

#: Statuses in which a department still owes work (the SLA clock runs).
OPEN_STATUSES: frozenset[Status] = frozenset(
    {S.NEW, S.ROUTED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.REOPENED}
)
#: Statuses waiting for a department to acknowledge.
AWAITING_ACK: frozenset[Status] = frozenset({S.NEW, S.ROUTED, S.REOPENED})


class IllegalTransition(ValueError):
    """Raised when a status change is not allowed by the lifecycle."""

    def __init__(self, current: str, target: str) -> None:
        allowed = ", ".join(sorted(TRANSITIONS.get(Status(current), ()))) or "none"
        super().__init__(
            f"cannot move an incident from '{current}' to '{target}' (allowed: {allowed})"
        )
        self.current = current
        self.target = target


def check_transition(current: str, target: str) -> Status:
    """Return ``target`` as a Status, or raise IllegalTransition / ValueError."""
    try:
        to = Status(target)
    except ValueError:
        raise ValueError(f"unknown status '{target}'") from None
    if to not in TRANSITIONS[Status(current)]:
        raise IllegalTransition(current, target)
    return to


def is_open(status: str) -> bool:
    """True while a department still owes work on the incident."""
    return Status(status) in OPEN_STATUSES
