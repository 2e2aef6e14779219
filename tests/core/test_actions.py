"""Incident actions through the core services: rights, history, labels, events."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ioc.actors import Actor, NotFound, PermissionDenied
from ioc.core import Core
from ioc.db import utcnow
from ioc.events import Event
from ioc.lifecycle import IllegalTransition
from ioc.models import Incident, RoutingLabel
from ioc.routing import RoutingDecision
from ioc.services import incidents as actions
from ioc.services.intake import NewReport, record_reports

OPERATOR = Actor("op.lan", "operator")
DO_THI = Actor("dothi.minh", "department", "do_thi")
CAP_NUOC = Actor("capnuoc.hoa", "department", "cap_nuoc")
LEADER = Actor("lanhdao", "leader")


@pytest.fixture
def events(core: Core) -> list[Event]:
    captured: list[Event] = []
    core.bus.subscribe(captured.extend)
    return captured


def make(core: Core, department: str | None, source: str = "x1", lat: float = 10.806) -> int:
    report = NewReport(channel="field_report", source_id=source,
                       text="Nắp cống bị mất trên đường Trần Hưng Đạo", reported_at=utcnow(),
                       lat=lat, lon=105.344,
                       routing=RoutingDecision(department, 0.9 if department else 0.2, False, "t"))
    with core.uow() as uow:
        incident = record_reports(uow, core, [report]).created[0]
        uow.commit()
        return incident.id


def act(core: Core, actor: Actor, incident_id: int, fn, *args) -> Incident:
    with core.uow() as uow:
        incident = actions.get_incident(uow, actor, incident_id)
        fn(uow, core, incident, actor, *args)
        uow.commit()
        return incident


def test_full_happy_path_is_logged_and_published(core: Core, events: list[Event]) -> None:
    iid = make(core, "do_thi")
    act(core, DO_THI, iid, actions.acknowledge)
    act(core, DO_THI, iid, actions.start)
    act(core, DO_THI, iid, actions.add_note, "Đã cử đội kiểm tra")
    act(core, DO_THI, iid, actions.resolve, "Đã lắp nắp cống mới")
    act(core, OPERATOR, iid, actions.close)
    with core.uow() as uow:
        incident = uow.session.get(Incident, iid)
        assert incident.status == "closed"
        assert [e.kind for e in incident.events] == [
            "created", "routed", "acknowledged", "started", "note", "resolved", "closed"]
        assert incident.events[2].actor == "dothi.minh"
        assert incident.resolution_note == "Đã lắp nắp cống mới"
    statuses = [e.data["status"] for e in events if e.type == "incident.updated"]
    assert statuses == ["acknowledged", "in_progress", "in_progress", "resolved", "closed"]
    # what happened, for screens that must tell an arrival from a touch
    assert [e.data["change"] for e in events if e.type == "incident.updated"] == [
        "acknowledged", "started", "note", "resolved", "closed"]
    assert all("do_thi" in e.rooms and "operators" in e.rooms for e in events)


def test_department_cannot_see_or_touch_another_departments_incident(core: Core) -> None:
    iid = make(core, "do_thi")
    with core.uow() as uow, pytest.raises(NotFound):
        actions.get_incident(uow, CAP_NUOC, iid)
    with core.uow() as uow:
        incident = actions.get_incident(uow, OPERATOR, iid)
        with pytest.raises(NotFound):
            actions.acknowledge(uow, core, incident, CAP_NUOC)


def test_leader_reads_but_cannot_act(core: Core) -> None:
    iid = make(core, "do_thi")
    with core.uow() as uow:
        incident = actions.get_incident(uow, LEADER, iid)
        with pytest.raises(PermissionDenied):
            actions.acknowledge(uow, core, incident, LEADER)


def test_illegal_transition_is_refused_and_nothing_changes(core: Core) -> None:
    iid = make(core, "do_thi")
    with core.uow() as uow:
        incident = actions.get_incident(uow, DO_THI, iid)
        with pytest.raises(IllegalTransition):
            actions.close(uow, core, incident, DO_THI)
        uow.rollback()
    with core.uow() as uow:
        assert uow.session.get(Incident, iid).status == "routed"


def test_reassign_moves_rooms_restarts_sla_and_stores_a_label(core: Core,
                                                              events: list[Event]) -> None:
    iid = make(core, "do_thi")
    act(core, DO_THI, iid, actions.acknowledge)
    act(core, DO_THI, iid, actions.reassign, "cap_nuoc", "Ống nước bể, không phải cống")
    with core.uow() as uow:
        incident = uow.session.get(Incident, iid)
        assert (incident.status, incident.department_code) == ("routed", "cap_nuoc")
        assert incident.acknowledged_at is None
        label = uow.session.scalars(select(RoutingLabel)).one()
        assert (label.department_code, label.predicted_code, label.source) == (
            "cap_nuoc", "do_thi", "reassign")
    last = events[-1]
    assert set(last.rooms) == {"operators", "cap_nuoc", "do_thi"}
    with core.uow() as uow, pytest.raises(NotFound):
        actions.get_incident(uow, DO_THI, iid)


def test_triage_assigns_an_unrouted_incident_and_stores_a_label(core: Core) -> None:
    iid = make(core, None)
    with core.uow() as uow:
        assert uow.session.get(Incident, iid).status == "new"
    act(core, OPERATOR, iid, actions.triage, "do_thi")
    with core.uow() as uow:
        incident = uow.session.get(Incident, iid)
        assert (incident.status, incident.department_code) == ("routed", "do_thi")
        assert incident.resolve_due_at is not None
        label = uow.session.scalars(select(RoutingLabel)).one()
        assert (label.source, label.actor) == ("triage", "op.lan")


@pytest.mark.parametrize(("fn", "args", "message"), [
    (actions.resolve, ("  ",), "resolution note"),
    (actions.reject, ("",), "reason"),
    (actions.reassign, ("nowhere", "x"), "unknown department"),
    (actions.reassign, ("do_thi", "x"), "already with that department"),
    (actions.reassign, ("cap_nuoc", " "), "reason"),
    (actions.add_note, ("",), "note or a photo"),
])
def test_bad_input_is_refused_with_a_message(core: Core, fn, args, message: str) -> None:
    iid = make(core, "do_thi")
    with core.uow() as uow, pytest.raises(ValueError, match=message):
        fn(uow, core, actions.get_incident(uow, DO_THI, iid), DO_THI, *args)


def test_mark_duplicate_and_reopen(core: Core) -> None:
    # far apart, so intake does not link them by itself
    first, second = make(core, "do_thi", "a"), make(core, "do_thi", "b", lat=10.83)
    with core.uow() as uow:
        dup = actions.get_incident(uow, DO_THI, second)
        original = actions.get_incident(uow, DO_THI, first)
        actions.mark_duplicate(uow, core, dup, DO_THI, original)
        uow.commit()
        assert original.report_count == 2 and dup.duplicate_of_id == first
    act(core, OPERATOR, second, actions.reopen, "không phải trùng")
    with core.uow() as uow:
        assert uow.session.get(Incident, second).status == "reopened"


def test_lookup_by_tracking_code(core: Core) -> None:
    iid = make(core, "do_thi")
    with core.uow() as uow:
        code = uow.session.get(Incident, iid).code
        assert actions.get_incident(uow, OPERATOR, code.lower()).id == iid
        with pytest.raises(NotFound):
            actions.get_incident(uow, OPERATOR, "PA0000-XXXXXX")
