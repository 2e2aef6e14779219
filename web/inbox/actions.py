"""The inbox's action forms. Every action goes through ``ioc.services.incidents``
(lifecycle and rights checks, event log, SLA, live event) and is committed
here; the form then redirects back (POST → 303 → GET)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, request, url_for

from ioc.actors import Actor, NotFound, PermissionDenied
from ioc.core import Core
from ioc.lifecycle import IllegalTransition
from ioc.models import Incident
from ioc.services import incidents as svc
from ioc.unit_of_work import UnitOfWork
from web.auth.roles import ACTING_ROLES, actor, roles_required
from web.context import core
from web.errors import render_error
from web.i18n import t
from web.inbox import bp
from web.inbox.uploads import MAX_PHOTOS, PhotoError, save_photos

Action = Callable[[UnitOfWork, Core, Incident, Actor], Any]


def _form(name: str) -> str:
    return request.form.get(name, "").strip()


def _note(uow: UnitOfWork, c: Core, inc: Incident, who: Actor) -> Any:
    uploads = [f for f in request.files.getlist("photos") if f and f.filename]
    if len(uploads) > MAX_PHOTOS:
        raise ValueError(t("action.too_many_photos", n=MAX_PHOTOS))
    try:
        photos = save_photos(inc.id, uploads)
    except PhotoError as exc:
        raise ValueError(t("action.bad_photo", name=exc.name)) from None
    return svc.add_note(uow, c, inc, who, _form("note"), photos)


def _reject(uow: UnitOfWork, c: Core, inc: Incident, who: Actor) -> Any:
    kind, details = _form("kind"), _form("reason")
    if kind == "not_in_scope":
        reason = t("action.reject_scope") + (f": {details}" if details else "")
    else:
        reason = details
    return svc.reject(uow, c, inc, who, reason)


def _duplicate(uow: UnitOfWork, c: Core, inc: Incident, who: Actor) -> Any:
    original = svc.get_incident(uow, who, _form("original"))
    return svc.mark_duplicate(uow, c, inc, who, original)


ACTIONS: dict[str, Action] = {
    "acknowledge": lambda uow, c, inc, who: svc.acknowledge(uow, c, inc, who),
    "start": lambda uow, c, inc, who: svc.start(uow, c, inc, who),
    "resolve": lambda uow, c, inc, who: svc.resolve(uow, c, inc, who, _form("note")),
    "reassign": lambda uow, c, inc, who: svc.reassign(uow, c, inc, who, _form("department"),
                                                      _form("reason")),
    "triage": lambda uow, c, inc, who: svc.triage(uow, c, inc, who, _form("department")),
    "note": _note,
    "reject": _reject,
    "duplicate": _duplicate,
}


@bp.post("/inbox/incidents/<key>/<action>")
@roles_required(*ACTING_ROLES)
def act(key: str, action: str):
    """Run one action on an incident the user may see (404 otherwise, 403 if read-only)."""
    run = ACTIONS.get(action)
    if run is None:
        return render_error(404)
    who = actor()
    c = core()
    page = url_for("inbox.incident", key=key)
    with c.uow() as uow:
        try:
            inc = svc.get_incident(uow, who, key)
        except NotFound:
            return render_error(404)
        code = inc.code
        try:
            run(uow, c, inc, who)
            still_visible = who.may_see(inc.department_code)
            uow.commit()
        except PermissionDenied:
            return render_error(403)
        except NotFound:  # the original named by a duplicate form
            flash(t("action.failed", reason=t("error.404")), "error")
            return redirect(page, code=303)
        except (ValueError, IllegalTransition) as exc:
            flash(t("action.failed", reason=str(exc)), "error")
            return redirect(page, code=303)
    flash(t("action.done", code=code), "info")
    return redirect(page if still_visible else url_for("inbox.inbox"), code=303)
