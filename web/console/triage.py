"""Manual triage: operators route the incidents the classifier was unsure about.

The choice goes through ``ioc.services.incidents.triage``, which stores it as a
RoutingLabel (training data for the next model) and logs it in the history.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from ioc.actors import NotFound
from ioc.console_queries import triage_queue
from ioc.lifecycle import IllegalTransition
from ioc.services.incidents import get_incident, triage
from web.auth.roles import TRIAGE_ROLES, actor, roles_required
from web.console import bp
from web.context import core
from web.errors import render_error
from web.i18n import department_entries, department_name, t


@bp.get("/console/triage")
@roles_required(*TRIAGE_ROLES)
def triage_page():
    """The incidents waiting for a department, oldest first, with the model's suggestions."""
    with core().uow() as uow:
        items = triage_queue(uow.session)
        rows = [{"incident": i, "candidates": (i.extra or {}).get("candidates", [])[:3]}
                for i in items]
        return render_template("console/triage.html", rows=rows,
                               departments=department_entries())


@bp.post("/console/triage/<int:incident_id>")
@roles_required(*TRIAGE_ROLES)
def triage_assign(incident_id: int):
    """Route one incident to the chosen department (stored as a training label)."""
    department = request.form.get("department", "").strip()
    c = core()
    with c.uow() as uow:
        try:
            incident = get_incident(uow, actor(), incident_id)
            code = incident.code
            triage(uow, c, incident, actor(), department)
            uow.commit()
        except NotFound:
            return render_error(404)
        except (ValueError, IllegalTransition) as exc:
            flash(t("action.failed", reason=str(exc)), "error")
            return redirect(url_for("console.triage_page"), code=303)
    flash(t("triage.done", code=code, department=department_name(department)), "info")
    return redirect(url_for("console.triage_page"), code=303)
