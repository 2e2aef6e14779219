"""Key performance indicators for leaders and the console's KPI strip."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from ioc.db import utcnow
from ioc.lifecycle import OPEN_STATUSES, Status
from ioc.models import Dossier, Feedback, Incident
from ioc.queries import count_by
from ioc.services.feedback import RATINGS


def period_start(now: datetime, tz: str, days: int) -> datetime:
    """Local midnight ``days - 1`` days before ``now``'s day in ``tz``, as UTC."""
    zone = ZoneInfo(tz)
    first_day = now.astimezone(zone).date() - timedelta(days=days - 1)
    return datetime.combine(first_day, time(0), tzinfo=zone).astimezone(UTC)


def start_of_day(now: datetime, tz: str) -> datetime:
    """Midnight of ``now``'s day in the city's time zone, as UTC."""
    return period_start(now, tz, 1)


#: 1 for a resolved incident that met its resolve-by deadline (or had none), else 0.
RESOLVED_ON_TIME = case(
    (or_(Incident.resolve_due_at.is_(None), Incident.resolved_at <= Incident.resolve_due_at), 1),
    else_=0)


def satisfaction_shares(counts: dict[str, int]) -> dict[str, Any]:
    """Rating counts (``{rating: n}``) as the total, each rating and the satisfied share
    (very satisfied + satisfied, over all ratings; None without ratings)."""
    total = sum(counts.values())
    satisfied = counts.get("very_satisfied", 0) + counts.get("satisfied", 0)
    return {"ratings": total,
            **{rating: counts.get(rating, 0) for rating in RATINGS},
            "satisfied_rate": round(satisfied / total, 4) if total else None}


def citizen_satisfaction(session: Session, since: datetime) -> dict[str, Any]:
    """Citizens' ratings of resolved incidents since ``since``: counts and the satisfied share."""
    return satisfaction_shares(count_by(session, Feedback.rating, Feedback.created_at >= since))


def compute_kpis(session: Session, tz: str, now: datetime | None = None) -> dict[str, Any]:
    """Open incidents per department, triage backlog, today's times, on-time rates, dossiers."""
    now = now or utcnow()
    today = start_of_day(now, tz)
    open_values = [s.value for s in OPEN_STATUSES]
    open_by_dept = count_by(session, Incident.department_code, Incident.status.in_(open_values))
    triage = open_by_dept.pop(None, 0)
    by_sla = count_by(session, Incident.sla_state, Incident.status.in_(open_values))
    ack_rows = session.execute(
        select(Incident.created_at, Incident.acknowledged_at).where(
            Incident.acknowledged_at >= today)
    ).all()
    res_rows = session.execute(
        select(Incident.created_at, Incident.resolved_at, Incident.resolve_due_at).where(
            Incident.resolved_at >= today)
    ).all()
    resolved_30d, on_time = session.execute(
        select(func.count(), func.coalesce(func.sum(RESOLVED_ON_TIME), 0)).where(
            Incident.resolved_at >= now - timedelta(days=30))
    ).one()
    late_dossiers = session.scalar(select(func.count()).where(Dossier.is_late.is_(True))) or 0
    overdue_open = session.scalar(
        select(func.count()).where(
            Dossier.status.not_in(["resolved", "returned", "cancelled"]),
            Dossier.due_at < now,
        )
    ) or 0
    finished = session.scalar(
        select(func.count()).where(Dossier.status.in_(["resolved", "returned"]))
    ) or 0
    return {
        "at": now.isoformat(),
        "open_total": sum(open_by_dept.values()) + triage,
        "open_by_department": open_by_dept,
        "awaiting_triage": triage,
        "open_by_sla_state": by_sla,
        "urgent_open": session.scalar(
            select(func.count()).where(Incident.status.in_(open_values), Incident.urgent.is_(True))
        ) or 0,
        "median_minutes_to_acknowledge_today": _median_minutes(ack_rows),
        "median_minutes_to_resolve_today": _median_minutes([(c, r) for c, r, _ in res_rows]),
        "on_time_rate_30d": round(on_time / resolved_30d, 4) if resolved_30d else None,
        "resolved_30d": resolved_30d,
        "satisfaction_30d": citizen_satisfaction(session, now - timedelta(days=30)),
        "duplicates_linked": session.scalar(
            select(func.count()).where(Incident.status == Status.DUPLICATE)) or 0,
        "dossiers": {
            "finished": finished,
            "late": late_dossiers,
            "overdue_open": overdue_open,
            "on_time_rate": round(1 - late_dossiers / finished, 4) if finished else None,
            "apology_letters_due": late_dossiers,
        },
    }


def _median_minutes(pairs: list[Any]) -> float | None:
    values = [(end - start).total_seconds() / 60 for start, end in pairs if start and end]
    return round(median(values), 1) if values else None
