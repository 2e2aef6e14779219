"""The incident page (shared by the console's "open" link); the list is in ``listing``."""

from __future__ import annotations

from flask import render_template

from ioc.actors import NotFound
from ioc.console_queries import governing_deadline
from ioc.db import utcnow
from ioc.lifecycle import TRANSITIONS, Status
from ioc.services.incidents import get_incident
from web.auth.roles import STAFF, actor, roles_required
from web.context import core
from web.errors import render_error
from web.i18n import department_entries, get_lang, js_strings
from web.inbox import bp
from web.inbox.uploads import MAX_PHOTOS


def allowed_actions(status: str, can_act: bool, role: str) -> set[str]:
    """The action forms to show for an incident in ``status``."""
    if not can_act:
        return set()
    nxt = TRANSITIONS[Status(status)]
    actions = {"note"}
    if Status.ACKNOWLEDGED in nxt:
        actions.add("acknowledge")
    if Status.IN_PROGRESS in nxt:
        actions.add("start")
    if Status.RESOLVED in nxt:
        actions.add("resolve")
    if Status.ROUTED in nxt and status != Status.NEW:
        actions.add("reassign")
    if Status.REJECTED in nxt:
        actions.add("reject")
    if Status.DUPLICATE in nxt:
        actions.add("duplicate")
    if status == Status.NEW and role in ("admin", "operator"):
        actions.add("triage")
    return actions


@bp.get("/inbox/incidents/<key>")
@roles_required(*STAFF)
def incident(key: str):
    """One incident: text, photos, routing, deadlines, history and the action forms."""
    me = actor()
    c = core()
    with c.uow() as uow:
        try:
            inc = get_incident(uow, me, key)
        except NotFound:
            return render_error(404)
        deadline = governing_deadline(inc.status, inc.ack_due_at, inc.resolve_due_at)
        note_photos = [p for e in inc.events for p in (e.data or {}).get("photos", [])]
        return render_template(
            "inbox/incident.html", inc=inc, deadline=deadline, now=utcnow(),
            actions=allowed_actions(inc.status, me.can_act, me.role),
            departments=[d for d in department_entries() if d["code"] != inc.department_code],
            all_departments=department_entries(),
            candidates=(inc.extra or {}).get("candidates", [])[:3],
            photos=list(inc.photos or ()) + note_photos, max_photos=MAX_PHOTOS,
            page_config={"lang": get_lang(), "tz": c.settings.timezone,
                         "strings": js_strings(), "incident": inc.id},
        )
