"""How IOC's departments and incidents read as Open311 services and service requests.

- One service per department: ``service_code`` is the department code (the
  taxonomy's stable identifier), ``service_name`` its Vietnamese name.
- A request's ``service_request_id`` is the incident's tracking code;
  ``status`` is ``open`` while a department still owes work and ``closed``
  once resolved, closed, rejected or merged as a duplicate (``status_notes``
  then says how or why); ``agency_responsible`` is the department's name and
  ``expected_datetime`` the SLA deadline.
- Published data is public: no reporter, location rounded to ~100 m, phone
  numbers and e-mail addresses in the text masked.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ioc.core import Core
from ioc.models import Incident
from ioc.taxonomy import DepartmentSpec
from web.citizen.public import CLOSED_STATUSES, mask_personal
from web.open311.formats import Open311Error

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-23T00:00:00+07:00"
OPEN_STATUSES = ("new", "routed", "acknowledged", "in_progress", "reopened")
MAX_WINDOW = timedelta(days=90)
MAX_RESULTS = 1000


def w3c(value: datetime | None, tz: str) -> str | None:
    """A W3C date-time with the city's offset (``2026-11-23T09:30:00+07:00``)."""
    if value is None:
        return None
    return value.astimezone(ZoneInfo(tz)).isoformat(timespec="seconds")


def service(dep: DepartmentSpec) -> dict[str, Any]:
    """One department as a GeoReport service."""
    return {
        "service_code": dep.code,
        "service_name": dep.name_vi,
        "description": f"{dep.name_en}: {dep.covers}",
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join(w.strip() for w in dep.covers.split(",")[:6] if w.strip()),
        "group": dep.name_en,
    }


def service_definition(dep: DepartmentSpec) -> dict[str, Any]:
    """The definition of a service: no extra attributes are asked for."""
    return {"service_code": dep.code, "attributes": []}


def open311_status(status: str) -> str:
    """IOC's lifecycle status → the spec's ``open``/``closed``."""
    return "closed" if status in CLOSED_STATUSES else "open"


def status_notes(incident: Incident, original: str | None) -> str | None:
    """Why a request is closed: the resolution note, the rejection reason, or the original."""
    if incident.status in {"resolved", "closed"}:
        return mask_personal(incident.resolution_note) or None
    if incident.status == "rejected":
        for event in reversed(incident.events):
            if event.kind == "rejected":
                return mask_personal((event.data or {}).get("reason", "")) or None
        return None
    if incident.status == "duplicate":
        return f"Trùng với phản ánh {original} / Duplicate of {original}" if original else None
    return None


def service_request(core: Core, incident: Incident, url_root: str,
                    original: str | None = None) -> dict[str, Any]:
    """One incident as a GeoReport service request (public fields only)."""
    tz = core.settings.timezone
    dep = core.taxonomy.get(incident.department_code) if incident.department_code else None
    photos = [p for p in (incident.photos or []) if isinstance(p, str)]
    media = photos[0] if photos else None
    if media and media.startswith("/"):
        media = url_root.rstrip("/") + media
    open_ = open311_status(incident.status) == "open"
    return {
        "service_request_id": incident.code,
        "status": open311_status(incident.status),
        "status_notes": status_notes(incident, original),
        "service_name": dep.name_vi if dep else None,
        "service_code": incident.department_code,
        "description": mask_personal(incident.text),
        "agency_responsible": dep.name_vi if dep else None,
        "service_notice": (f"Hạn xử lý / Due: {w3c(incident.resolve_due_at, tz)}"
                           if open_ and incident.resolve_due_at else None),
        "requested_datetime": w3c(incident.created_at, tz),
        "updated_datetime": w3c(incident.updated_at, tz),
        "expected_datetime": w3c(incident.resolve_due_at, tz),
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": round(incident.lat, 3) if incident.lat is not None else None,
        "long": round(incident.lon, 3) if incident.lon is not None else None,
        "media_url": media,
    }


def param(source: Any, name: str) -> str | None:
    """A parameter, stripped; an empty value counts as absent (the spec's rule)."""
    value = source.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def csv(value: str | None) -> list[str]:
    """``a,b , c`` → ``["a", "b", "c"]``."""
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def parse_time(name: str, value: str | None) -> datetime | None:
    """A W3C date or date-time (UTC when it has no offset); 400 when malformed."""
    if value is None:
        return None
    try:
        # "+07:00" sent unencoded in a query string arrives as " 07:00"
        fixed = value.strip()
        if "T" in fixed:
            fixed = re.sub(r" (\d{2}:?\d{2})$", r"+\1", fixed)
        parsed = datetime.fromisoformat(fixed.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(400, f"{name} must be a W3C date-time such as "
                                "2026-11-01T00:00:00Z") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def time_window(start: datetime | None, end: datetime | None,
                now: datetime) -> tuple[datetime, datetime]:
    """The requested_datetime range: at most 90 days, the last 90 by default."""
    if start is None and end is None:
        return now - MAX_WINDOW, now
    if start is None:
        assert end is not None
        return end - MAX_WINDOW, end
    if end is None:
        return start, start + MAX_WINDOW
    if end < start:
        raise Open311Error(400, "end_date is before start_date")
    if end - start > MAX_WINDOW:
        raise Open311Error(400, "start_date and end_date may not span more than 90 days")
    return start, end


def statuses(value: str | None) -> list[str]:
    """The ``status`` filter as IOC statuses; 400 for anything but open/closed."""
    wanted = csv(value)
    unknown = [s for s in wanted if s not in {"open", "closed"}]
    if unknown:
        raise Open311Error(400, f"status must be open or closed, not {', '.join(unknown)}")
    result: list[str] = []
    if "open" in wanted:
        result += OPEN_STATUSES
    if "closed" in wanted:
        result += sorted(CLOSED_STATUSES)
    return result
