"""The SLA clock: deadlines from the taxonomy, at-risk at 75 %, overdue, the sweep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from ioc.actors import Actor
from ioc.core import Core
from ioc.models import Incident
from ioc.routing import RoutingDecision
from ioc.services import incidents as actions
from ioc.services.intake import NewReport, record_reports
from ioc.services.sla_sweep import sweep_sla
from ioc.sla import AT_RISK, ON_TIME, OVERDUE, deadlines, position
from ioc.taxonomy import Sla

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
STAFF = Actor("dien.staff", "department", "dien")


def test_deadlines_use_normal_or_urgent_figures() -> None:
    sla = Sla(ack_h=1, resolve_h=12, urgent_ack_h=0.25, urgent_resolve_h=2)
    assert deadlines(T0, sla, urgent=False) == (T0 + timedelta(hours=1), T0 + timedelta(hours=12))
    assert deadlines(T0, sla, urgent=True) == (T0 + timedelta(minutes=15), T0 + timedelta(hours=2))
    ack, resolve = deadlines(T0, None, urgent=False)
    assert resolve is None and ack == T0 + timedelta(hours=1)


def test_position_moves_from_on_time_to_at_risk_to_overdue() -> None:
    ack, resolve = T0 + timedelta(hours=4), T0 + timedelta(hours=72)
    at = lambda h: position("routed", T0, ack, resolve, T0 + timedelta(hours=h))  # noqa: E731
    assert at(1).state == ON_TIME and at(1).next_check_at == T0 + timedelta(hours=3)
    assert at(3).state == AT_RISK and at(3).next_check_at == ack
    assert at(4).state == OVERDUE and at(4).next_check_at is None
    # once acknowledged, the resolve deadline governs
    ack_pos = position("acknowledged", T0, ack, resolve, T0 + timedelta(hours=5))
    assert ack_pos.state == ON_TIME and ack_pos.deadline == resolve
    assert position("resolved", T0, ack, resolve, T0 + timedelta(days=9)).state == ON_TIME


def _routed(core: Core, department: str, urgent: bool, now: datetime) -> Incident:
    report = NewReport(channel="field_report", source_id=f"sla-{department}-{urgent}",
                       text="Mất điện cả khu phố từ sáng", reported_at=now,
                       routing=RoutingDecision(department, 0.99, urgent, "test"))
    with core.uow() as uow:
        created = record_reports(uow, core, [report], now=now).created[0]
        uow.commit()
    return created


def test_sweep_marks_at_risk_then_overdue_and_logs_it(core: Core) -> None:
    incident = _routed(core, "dien", urgent=False, now=T0)  # dien: ack 1 h, resolve 12 h
    assert incident.ack_due_at == T0 + timedelta(hours=1)
    assert incident.resolve_due_at == T0 + timedelta(hours=12)

    def sweep(minutes: float) -> int:
        with core.uow() as uow:
            changed = sweep_sla(uow, core, now=T0 + timedelta(minutes=minutes))
            uow.commit()
            return changed

    assert sweep(30) == 0
    assert sweep(46) == 1
    assert sweep(50) == 0  # nothing new: the row is not even read again before the deadline
    assert sweep(61) == 1
    with core.uow() as uow:
        row = uow.session.get(Incident, incident.id)
        assert row.sla_state == OVERDUE
        kinds = [e.kind for e in row.events]
        assert kinds[-2:] == ["sla_at_risk", "sla_overdue"]

    # acknowledging late puts the resolve deadline in charge: on time again
    with core.uow() as uow:
        row = actions.get_incident(uow, STAFF, incident.id)
        actions.acknowledge(uow, core, row, STAFF, now=T0 + timedelta(minutes=70))
        uow.commit()
        assert row.sla_state == ON_TIME
        assert row.sla_next_check_at == T0 + timedelta(hours=9)


def test_urgent_incident_gets_the_urgent_deadlines(core: Core) -> None:
    incident = _routed(core, "pccc", urgent=True, now=T0)  # pccc urgent: 0.1 h / 1 h
    assert incident.ack_due_at == T0 + timedelta(minutes=6)
    assert incident.resolve_due_at == T0 + timedelta(hours=1)


def test_sweep_ignores_closed_incidents(core: Core) -> None:
    incident = _routed(core, "dien", urgent=False, now=T0)
    with core.uow() as uow:
        row = actions.get_incident(uow, STAFF, incident.id)
        actions.acknowledge(uow, core, row, STAFF, now=T0 + timedelta(minutes=10))
        actions.resolve(uow, core, row, STAFF, "Đã thay cầu chì", now=T0 + timedelta(minutes=20))
        uow.commit()
    with core.uow() as uow:
        assert sweep_sla(uow, core, now=T0 + timedelta(days=3)) == 0
        row = uow.session.scalars(select(Incident)).one()
        assert row.status == "resolved" and row.sla_next_check_at is None
