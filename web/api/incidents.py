"""Incident endpoints of the JSON API."""

from __future__ import annotations

from flask import jsonify, request

from ioc.queries import IncidentFilter, list_incidents
from ioc.serialize import incident_detail, incident_summary
from ioc.services.incidents import get_incident
from web.api import bp
from web.api.auth import current_actor, require_staff
from web.api.params import bool_arg, csv_arg, int_arg, time_arg
from web.context import core


@bp.get("/incidents")
@require_staff
def incidents_list():
    """Incidents visible to the caller, newest first, with filters and cursor paging."""
    actor = current_actor()
    flt = IncidentFilter(
        statuses=csv_arg("status"),
        departments=csv_arg("department"),
        channels=csv_arg("channel"),
        since=time_arg("since"),
        open_only=bool(bool_arg("open")),
        triage_only=bool(bool_arg("triage")),
        urgent=bool_arg("urgent"),
        ward=request.args.get("ward") or None,
    )
    with core().uow() as uow:
        page = list_incidents(uow.session, actor, flt, int_arg("limit", 100),
                              request.args.get("cursor") or None)
        items = [incident_summary(i) for i in page.items]
    return jsonify({"items": items, "next_cursor": page.next_cursor})


@bp.get("/incidents/<key>")
@require_staff
def incident_show(key: str):
    """One incident (by id or tracking code) with its event history."""
    with core().uow() as uow:
        incident = get_incident(uow, current_actor(), key)
        return jsonify(incident_detail(incident))
