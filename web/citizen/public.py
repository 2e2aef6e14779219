"""What the public may see of incidents: the status page, the map and Open311 reads.

Built on ``ioc.serialize.public_incident`` (no reporter, location rounded to
about 100 m); on top of it, phone numbers and e-mail addresses a citizen
typed into the text are masked, and hotline tickets (call transcripts) are
left out of the public listings. A tracking code still finds any incident.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ioc.models import Department, Incident, IncidentEvent
from ioc.serialize import iso, public_incident
from ioc.unit_of_work import UnitOfWork
from ioc.uploads import photo_url, thumb_url, uploads_of

#: Channels whose incidents appear in public listings (not hotline transcripts).
PUBLIC_CHANNELS = ("field_report", "open311", "sensor")
#: Statuses left off the public map (spam and merged reports).
HIDDEN_ON_MAP = ("rejected", "duplicate")
CLOSED_STATUSES = frozenset({"resolved", "closed", "rejected", "duplicate"})

_PHONE = re.compile(r"(?<!\w)(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\w)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def mask_personal(text: str | None) -> str:
    """The text with phone numbers and e-mail addresses replaced by dots."""
    if not text:
        return ""
    return _EMAIL.sub("•••@•••", _PHONE.sub("•••", text))


def local_time(value: datetime | None, tz: str) -> str:
    """``dd/mm/yyyy HH:MM`` in the city's time zone ('' for None)."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(tz)).strftime("%d/%m/%Y %H:%M")


def department_name(department: Department | None, lang: str) -> str | None:
    """The department's name in the citizen's language."""
    if department is None:
        return None
    return department.name_en if lang == "en" else department.name_vi


def public_view(incident: Incident, lang: str = "vi") -> dict[str, Any]:
    """``public_incident`` with the text masked and the department named in ``lang``."""
    data = public_incident(incident)
    data["text"] = mask_personal(incident.text)
    data["resolution_note"] = mask_personal(incident.resolution_note) or None
    data["department_name"] = department_name(incident.department, lang)
    data["open"] = incident.status not in CLOSED_STATUSES
    data["updated_at"] = iso(incident.updated_at)
    return data


@dataclass(frozen=True)
class Step:
    """One line of the progress shown to the citizen."""

    key: str  # i18n key
    at: datetime | None
    detail: str = ""
    done: bool = True


def progress(incident: Incident, lang: str = "vi") -> list[Step]:
    """Received → routed to whom → acknowledged → resolved, from the event log."""
    first: dict[str, IncidentEvent] = {}
    last: dict[str, IncidentEvent] = {}
    for event in incident.events:
        first.setdefault(event.kind, event)
        last[event.kind] = event
    steps = [Step("step_received", incident.created_at)]
    routed = last.get("reassigned") or last.get("triaged") or last.get("routed")
    if incident.status == "duplicate":
        steps.append(Step("step_duplicate", _at(last.get("duplicate"))))
        return steps
    if incident.department_code:
        steps.append(Step("step_routed", _at(routed) or incident.created_at,
                          department_name(incident.department, lang) or ""))
    else:
        steps.append(Step("step_triage", None, done=False))
    reopened = last.get("reopened")
    if reopened is not None:
        steps.append(Step("step_reopened", reopened.at))
    ack = last.get("acknowledged")
    if incident.acknowledged_at is not None or ack is not None:
        steps.append(Step("step_acknowledged", incident.acknowledged_at or _at(ack)))
    if incident.status == "in_progress":
        steps.append(Step("step_in_progress", _at(last.get("started"))))
    if incident.status == "rejected":
        reason = (last.get("rejected").data or {}).get("reason", "") if last.get("rejected") else ""
        steps.append(Step("step_rejected", _at(last.get("rejected")), mask_personal(reason)))
    elif incident.status in {"resolved", "closed"}:
        steps.append(Step("step_resolved", incident.resolved_at,
                          mask_personal(incident.resolution_note)))
        if incident.status == "closed":
            steps.append(Step("step_closed", incident.closed_at))
    else:
        steps.append(Step("step_resolved", None, done=False))
    return steps


def _at(event: IncidentEvent | None) -> datetime | None:
    return event.at if event is not None else None


def resolution_photos(uow: UnitOfWork, incident: Incident) -> list[dict[str, str]]:
    """Photos staff attached to the resolution: the resolved event's ``photos`` and
    uploads of source ``staff`` linked to the incident (``{"url", "thumb"}``)."""
    photos: list[dict[str, str]] = []
    for event in incident.events:
        if event.kind == "resolved":
            photos = [{"url": u, "thumb": u} for u in (event.data or {}).get("photos", [])
                      if isinstance(u, str) and u.startswith(("/", "https://", "http://"))]
    for upload in uploads_of(uow, incident.id, source="staff"):
        url = photo_url(upload.key)
        if all(p["url"] != url for p in photos):
            photos.append({"url": url, "thumb": thumb_url(upload.key)})
    return photos


def original_code(session: Session, incident: Incident) -> str | None:
    """The tracking code of the incident this one duplicates."""
    if incident.duplicate_of_id is None:
        return None
    return session.scalar(select(Incident.code).where(Incident.id == incident.duplicate_of_id))


def recent_public(session: Session, now: datetime, days: int = 30, limit: int = 500,
                  bbox: tuple[float, float, float, float] | None = None) -> list[Incident]:
    """Recent incidents for the public map, newest first (no hotline, spam or merged)."""
    stmt = (
        select(Incident)
        .where(Incident.created_at >= now - timedelta(days=days),
               Incident.channel.in_(PUBLIC_CHANNELS),
               Incident.status.not_in(HIDDEN_ON_MAP),
               Incident.lat.is_not(None))
        .order_by(Incident.id.desc())
        .limit(limit)
    )
    if bbox is not None:
        min_lat, max_lat, min_lon, max_lon = bbox
        stmt = stmt.where(Incident.lat.between(min_lat, max_lat),
                          Incident.lon.between(min_lon, max_lon))
    return list(session.scalars(stmt))


def map_item(incident: Incident, lang: str, tz: str) -> dict[str, Any]:
    """One marker of the public map."""
    data = public_view(incident, lang)
    return {
        "code": data["code"],
        "status": data["status"],
        "open": data["open"],
        "department": data["department"],
        "department_name": data["department_name"],
        "text": data["text"],
        "lat": data["lat"],
        "lon": data["lon"],
        "created_at": data["created_at"],
        "created_local": local_time(incident.created_at, tz),
        "report_count": data["report_count"],
    }
