"""Keep the departments table in step with the taxonomy file."""

from __future__ import annotations

from sqlalchemy import select

from ioc.models import Department
from ioc.taxonomy import Taxonomy
from ioc.unit_of_work import UnitOfWork


def sync_departments(uow: UnitOfWork, taxonomy: Taxonomy) -> int:
    """Insert or update every department of the taxonomy; deactivate the others.

    Returns the number of active departments. Does not commit.
    """
    existing = {d.code: d for d in uow.session.scalars(select(Department))}
    for spec in taxonomy.departments:
        dep = existing.pop(spec.code, None) or Department(code=spec.code)
        dep.name_vi, dep.name_en, dep.covers = spec.name_vi, spec.name_en, spec.covers
        dep.ack_h, dep.resolve_h = spec.sla.ack_h, spec.sla.resolve_h
        dep.urgent_ack_h, dep.urgent_resolve_h = spec.sla.urgent_ack_h, spec.sla.urgent_resolve_h
        dep.active = True
        uow.session.add(dep)
    for dep in existing.values():
        dep.active = False
    uow.session.flush()
    return len(taxonomy.departments)
