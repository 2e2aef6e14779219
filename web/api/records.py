"""Dossiers, dead letters and KPIs in the JSON API."""

from __future__ import annotations

from flask import jsonify, request

from ioc.kpis import compute_kpis
from ioc.queries import list_dead_letters, list_dossiers
from ioc.serialize import dead_letter_dict, dossier_dict
from web.api import bp
from web.api.auth import current_actor, require_staff
from web.api.params import bool_arg, int_arg
from web.context import core
from web.errors import error_response


@bp.get("/dossiers")
@require_staff
def dossiers_list():
    """Dossiers, newest first; ``late=true`` lists those owing an apology letter."""
    with core().uow() as uow:
        page = list_dossiers(uow.session, late=bool_arg("late"),
                             status=request.args.get("status") or None,
                             office=request.args.get("office") or None,
                             limit=int_arg("limit", 100), cursor=request.args.get("cursor") or None)
        items = [dossier_dict(d, with_events=True) for d in page.items]
    return jsonify({"items": items, "next_cursor": page.next_cursor})


@bp.get("/deadletters")
@require_staff
def deadletters_list():
    """Rejected messages with their reasons, newest first (admins and operators only:
    raw payloads may carry citizens' names and phones)."""
    if current_actor().role not in {"admin", "operator", "system"}:
        return error_response(403, "dead letters are for admins and operators")
    with core().uow() as uow:
        page = list_dead_letters(uow.session, int_arg("limit", 100),
                                 request.args.get("cursor") or None)
        items = [dead_letter_dict(d) for d in page.items]
    return jsonify({"items": items, "next_cursor": page.next_cursor})


@bp.get("/kpis")
@require_staff
def kpis():
    """The KPI figures leaders read."""
    c = core()
    with c.uow() as uow:
        return jsonify(compute_kpis(uow.session, c.settings.timezone))
