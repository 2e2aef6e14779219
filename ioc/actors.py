"""Who is acting: a staff member, an operator, or the system itself."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("admin", "operator", "department", "leader")


class PermissionDenied(PermissionError):
    """The actor may not do this to this incident."""


class NotFound(LookupError):
    """The thing does not exist, or the actor may not know that it does."""


@dataclass(frozen=True)
class Actor:
    """The identity recorded in the event log and checked by services."""

    name: str
    role: str = "system"
    department: str | None = None

    @property
    def sees_everything(self) -> bool:
        """Admins, operators, leaders and the system see every department."""
        return self.role in {"admin", "operator", "leader", "system"}

    @property
    def can_act(self) -> bool:
        """Leaders only read."""
        return self.role != "leader"

    def may_see(self, department_code: str | None) -> bool:
        """Whether an incident of this department is visible to the actor."""
        return self.sees_everything or (
            self.department is not None and department_code == self.department
        )


SYSTEM = Actor("system", "system")
SLA_CLOCK = Actor("system:sla", "system")
#: Who writes an incident's first history entries at intake (creation, routing, linking).
INTAKE_ACTOR, ROUTER_ACTOR, DEDUP_ACTOR = "system:intake", "system:router", "system:dedup"
INTAKE_ACTORS = (INTAKE_ACTOR, ROUTER_ACTOR, DEDUP_ACTOR)
