"""Temporary shim around a core bug, to be deleted once the core is fixed.

``ioc.services.incidents.reassign`` calls ``_move(..., now, previous, ...,
previous_department=previous, ...)``, passing ``previous_department`` twice,
so every reassignment and manual triage raises ``TypeError`` *after* it has
stored the training label and changed the department, deadlines and
acknowledgement. When that happens we finish the same final step with the
arguments spelled correctly. Once the core is fixed the first call succeeds
and the fallback is never reached.
"""

from __future__ import annotations

import logging

from ioc.actors import Actor
from ioc.core import Core
from ioc.db import utcnow
from ioc.lifecycle import Status
from ioc.models import Incident
from ioc.services import incidents as svc
from ioc.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def reassign(uow: UnitOfWork, core: Core, incident: Incident, actor: Actor, department: str,
             reason: str) -> Incident:
    """``svc.reassign``, completed by hand if the known core bug strikes."""
    previous = incident.department_code
    now = utcnow()
    try:
        return svc.reassign(uow, core, incident, actor, department, reason, now)
    except TypeError as exc:
        if "previous_department" not in str(exc):
            raise
        log.warning("working around the reassign bug in ioc.services.incidents")
    return svc._move(uow, core, incident, actor, Status.ROUTED,
                     "reassigned" if previous else "triaged", now, previous,
                     department=department, previous=previous, reason=reason.strip())


def triage(uow: UnitOfWork, core: Core, incident: Incident, actor: Actor,
           department: str) -> Incident:
    """``svc.triage`` through the shim above."""
    if incident.department_code is not None:
        raise ValueError("the incident is already routed; reassign it instead")
    return reassign(uow, core, incident, actor, department, "manual triage")
