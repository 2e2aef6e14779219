"""Citizens rate how their incident was resolved; 'not satisfied' reopens it."""

from __future__ import annotations

from datetime import datetime

from ioc.actors import Actor
from ioc.core import Core
from ioc.db import utcnow
from ioc.lifecycle import Status
from ioc.models import Feedback, Incident
from ioc.services import incidents as actions
from ioc.services.common import log_event
from ioc.unit_of_work import UnitOfWork

RATINGS = ("very_satisfied", "satisfied", "not_satisfied")
CITIZEN = Actor("citizen", "system")
MAX_COMMENT = 2000


def rate_incident(uow: UnitOfWork, core: Core, incident: Incident, rating: str,
                  comment: str = "", now: datetime | None = None) -> Feedback:
    """Record the citizen's rating of a resolved incident.

    'not_satisfied' reopens the incident for review (the SLA clock restarts).
    ValueError when the incident is not resolved yet, was already rated, or
    the rating is unknown.
    """
    now = now or utcnow()
    if rating not in RATINGS:
        raise ValueError(f"rating must be one of {', '.join(RATINGS)}")
    if incident.status not in (Status.RESOLVED, Status.CLOSED):
        raise ValueError("only a resolved incident can be rated")
    if (incident.extra or {}).get("rated_at_resolution") == _resolution_key(incident):
        raise ValueError("this resolution has already been rated")
    comment = (comment or "").strip()[:MAX_COMMENT]
    feedback = Feedback(incident_id=incident.id, rating=rating, comment=comment, created_at=now)
    uow.session.add(feedback)
    incident.extra = {**(incident.extra or {}), "rated_at_resolution": _resolution_key(incident)}
    log_event(uow, incident, CITIZEN.name, "rated", now, rating=rating, comment=comment)
    if rating == "not_satisfied":
        actions.reopen(uow, core, incident, CITIZEN, "citizen not satisfied: " + comment, now)
    elif incident.status == Status.RESOLVED:
        actions.close(uow, core, incident, CITIZEN, now)
    return feedback


def _resolution_key(incident: Incident) -> str:
    return incident.resolved_at.isoformat() if incident.resolved_at else ""
