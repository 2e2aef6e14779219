"""Following a report by its tracking code: the status page, its JSON and the rating.

Anyone holding a tracking code may see the report's public view (no
personal data) and, once it is resolved, rate the resolution. Only codes
are accepted here, never numeric ids, so incidents cannot be enumerated.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Response, jsonify, redirect, request, url_for

from ioc.actors import SYSTEM, NotFound
from ioc.core import Core
from ioc.models import Incident
from ioc.services.feedback import MAX_COMMENT, RATINGS, rate_incident
from ioc.services.incidents import get_incident
from ioc.unit_of_work import UnitOfWork
from web.citizen import bp
from web.citizen.common import FormError, render, wants_json
from web.citizen.i18n import status_label, t
from web.citizen.public import (
    local_time,
    original_code,
    progress,
    public_view,
    resolution_photos,
)
from web.context import core
from web.i18n import get_lang

CODE_RE = re.compile(r"^[A-Z0-9]{2,8}-[A-Z0-9]{3,12}$")


def normalise_code(code: str) -> str:
    """The code in upper case; NotFound if it cannot be a tracking code."""
    code = (code or "").strip().upper()
    if not CODE_RE.match(code):
        raise NotFound("not a tracking code")
    return code


def find_by_code(uow: UnitOfWork, code: str) -> Incident:
    """The incident with this tracking code (the system actor sees every department)."""
    return get_incident(uow, SYSTEM, normalise_code(code))


def can_rate(incident: Incident) -> bool:
    """Resolved or closed, and this resolution not rated yet (the rule of rate_incident)."""
    if incident.status not in {"resolved", "closed"} or incident.resolved_at is None:
        return False
    return (incident.extra or {}).get("rated_at_resolution") != incident.resolved_at.isoformat()


def status_data(c: Core, uow: UnitOfWork, incident: Incident) -> dict[str, Any]:
    """Everything the status page shows, as plain data."""
    lang = get_lang()
    tz = c.settings.timezone
    data = public_view(incident, lang)
    data.update({
        "status_label": status_label(incident.status),
        "created_local": local_time(incident.created_at, tz),
        "due_local": local_time(incident.resolve_due_at, tz) if data["open"] else "",
        "steps": [{"key": s.key, "label": t(s.key), "at": local_time(s.at, tz),
                   "detail": s.detail, "done": s.done} for s in progress(incident, lang)],
        "photos": resolution_photos(uow, incident),
        "original": original_code(uow.session, incident),
        "can_rate": can_rate(incident),
    })
    data.pop("events", None)
    return data


@bp.get("/track")
def track_lookup() -> Response:
    """The look-up form; ``?code=`` jumps to the status page."""
    code = (request.args.get("code") or "").strip().upper()
    if code:
        return redirect(url_for("citizen.track_page", code=code), code=303)
    return render("citizen/lookup.html")


@bp.get("/track/<code>")
def track_page(code: str) -> Response:
    """Progress of one report: received, routed to whom, acknowledged, resolved, rating."""
    c = core()
    with c.uow() as uow:
        incident = find_by_code(uow, code)
        data = status_data(c, uow, incident)
    return render("citizen/track.html", item=data, ratings=RATINGS,
                  rated=request.args.get("rated"))


@bp.get("/api/track/<code>")
def track_json(code: str) -> Response:
    """The status page's data as JSON (the page refreshes itself when it changes)."""
    c = core()
    with c.uow() as uow:
        data = status_data(c, uow, find_by_code(uow, code))
    response = jsonify(data)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/track/<code>/rate")
def rate(code: str) -> Response:
    """The citizen rates the resolution; 'not_satisfied' reopens the incident for review."""
    rating = (request.form.get("rating") or "").strip()
    comment = (request.form.get("comment") or "").strip()
    if rating not in RATINGS:
        raise FormError("rating_invalid")
    if len(comment) > MAX_COMMENT:
        raise FormError("field_too_long", field=t("comment_label"), n=MAX_COMMENT)
    c = core()
    with c.uow() as uow:
        incident = find_by_code(uow, code)
        try:
            rate_incident(uow, c, incident, rating, comment)
        except ValueError as exc:
            key = "rate_already" if "already" in str(exc) else "rate_not_resolved"
            raise FormError(key, status=409) from None
        status = incident.status
        tracking = incident.code
        uow.commit()
    outcome = "reopened" if rating == "not_satisfied" else "thanks"
    if wants_json():
        return jsonify({"code": tracking, "status": status, "outcome": outcome})
    return redirect(url_for("citizen.track_page", code=tracking, rated=outcome), code=303)
