"""The SLA clock: deadlines from the taxonomy and the on-time / at-risk /
overdue position of an incident at a given moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ioc.lifecycle import AWAITING_ACK, OPEN_STATUSES, Status
from ioc.taxonomy import Sla

ON_TIME = "on_time"
AT_RISK = "at_risk"
OVERDUE = "overdue"
SLA_STATES = (ON_TIME, AT_RISK, OVERDUE)

#: An incident nobody has routed yet must be triaged within this many hours.
TRIAGE_ACK_H = 1.0


def deadlines(start: datetime, sla: Sla | None, urgent: bool) -> tuple[datetime, datetime | None]:
    """(acknowledge by, resolve by) for an incident created at ``start``.

    With no department yet, only the triage deadline applies.
    """
    if sla is None:
        return start + timedelta(hours=TRIAGE_ACK_H), None
    ack_h, resolve_h = sla.hours(urgent)
    return start + timedelta(hours=ack_h), start + timedelta(hours=resolve_h)


@dataclass(frozen=True)
class SlaPosition:
    """Where an incident stands against its governing deadline."""

    state: str
    deadline: datetime | None
    next_check_at: datetime | None

    def seconds_left(self, now: datetime) -> float | None:
        """Seconds until the deadline (negative once overdue)."""
        return None if self.deadline is None else (self.deadline - now).total_seconds()


def position(
    status: str,
    start: datetime,
    ack_due: datetime | None,
    resolve_due: datetime | None,
    now: datetime,
    at_risk_fraction: float = 0.75,
) -> SlaPosition:
    """Compute the SLA state; ``next_check_at`` is when it can next change by itself."""
    current = Status(status)
    if current not in OPEN_STATUSES:
        return SlaPosition(ON_TIME, None, None)
    deadline = ack_due if current in AWAITING_ACK else resolve_due
    if deadline is None:
        return SlaPosition(ON_TIME, None, None)
    at_risk_at = start + (deadline - start) * at_risk_fraction
    if now >= deadline:
        return SlaPosition(OVERDUE, deadline, None)
    if now >= at_risk_at:
        return SlaPosition(AT_RISK, deadline, deadline)
    return SlaPosition(ON_TIME, deadline, at_risk_at)
