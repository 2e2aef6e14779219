"""Duplicate linking through the intake service: place, time, department, text, status."""

from __future__ import annotations

from datetime import timedelta

from ioc.actors import Actor
from ioc.core import Core
from ioc.db import utcnow
from ioc.routing import RoutingDecision
from ioc.services import incidents as actions
from ioc.services.intake import NewReport, record_reports

STAFF = Actor("dothi.an", "department", "do_thi")
TEXT = "Cây me lớn gãy đổ chắn ngang đường Trần Hưng Đạo, xe không qua được"


def report(source: str, text: str = TEXT, lat: float = 10.8050, dept: str = "do_thi",
           **kw: object) -> NewReport:
    return NewReport(channel="field_report", source_id=source, text=text, reported_at=utcnow(),
                     lat=lat, lon=105.3400, routing=RoutingDecision(dept, 0.9, False, "t"), **kw)


def file(core: Core, *reports: NewReport, now=None):
    with core.uow() as uow:
        created = record_reports(uow, core, list(reports), now=now).created
        uow.commit()
    return created


def act(core: Core, incident_id: int, do) -> None:
    """Staff act on an incident through the services, in one committed transaction."""
    with core.uow() as uow:
        do(uow, actions.get_incident(uow, STAFF, incident_id))
        uow.commit()


def test_same_problem_nearby_is_linked_and_counted(core: Core) -> None:
    (first,) = file(core, report("a"))
    (second,) = file(core, report("b", "cay me gay do chan ngang duong tran hung dao", 10.8052))
    assert second.status == "duplicate" and second.duplicate_of_id == first.id
    with core.uow() as uow:
        assert uow.session.get(type(first), first.id).report_count == 2


def test_same_batch_reports_are_linked_to_each_other(core: Core) -> None:
    one, two = file(core, report("a"), report("b", lat=10.8051))
    assert one.status == "routed" and two.duplicate_of_id == one.id


def test_not_linked_when_far_other_department_unrelated_or_old(core: Core) -> None:
    file(core, report("a"))
    far, other, unrelated = file(
        core,
        report("b", lat=10.8080),  # ~330 m away
        report("c", dept="dien"),
        report("d", "Quán karaoke hát tới 2 giờ sáng, cả xóm không ngủ được"),
    )
    assert {far.status, other.status, unrelated.status} == {"routed"}
    (late,) = file(core, report("e", lat=10.8051), now=utcnow() + timedelta(hours=25))
    assert late.status == "routed"


def test_a_resolved_incident_no_longer_attracts_duplicates(core: Core) -> None:
    (first,) = file(core, report("a"))
    act(core, first.id, lambda uow, incident: (
        actions.acknowledge(uow, core, incident, STAFF),
        actions.resolve(uow, core, incident, STAFF, "Đã cưa dọn cây")))
    (again,) = file(core, report("b", lat=10.8051))
    assert again.status == "routed" and again.duplicate_of_id is None


def test_a_reassigned_incident_is_matched_under_its_new_department(core: Core) -> None:
    (first,) = file(core, report("a"))
    file(core, report("tick", "Đèn đường trước chợ tắt cả tuần", lat=10.70))  # index holds a
    act(core, first.id, lambda uow, incident: actions.reassign(
        uow, core, incident, STAFF, "moi_truong", "Cây xanh: môi trường lo"))
    (old_department,) = file(core, report("b", lat=10.8051))
    assert old_department.duplicate_of_id is None
    (new_department,) = file(core, report("c", lat=10.8051, dept="moi_truong"))
    assert new_department.duplicate_of_id == first.id


def test_a_reopened_incident_attracts_duplicates_again(core: Core) -> None:
    (first,) = file(core, report("a"))
    act(core, first.id, lambda uow, incident: (
        actions.acknowledge(uow, core, incident, STAFF),
        actions.resolve(uow, core, incident, STAFF, "Đã cưa dọn cây")))
    file(core, report("b", "Đèn đường trước chợ tắt cả tuần", lat=10.70))  # index refreshed
    act(core, first.id, lambda uow, incident: actions.reopen(
        uow, core, incident, STAFF, "Người dân báo cây vẫn còn"))
    (after_reopening,) = file(core, report("c", "cây đổ chắn đường Trần Hưng Đạo vẫn còn",
                                           lat=10.8049))
    assert after_reopening.duplicate_of_id == first.id


def _insert_late(core: Core, incident_id: int, source: str, lat: float) -> None:
    """A row written by another writer whose transaction commits only now."""
    from ioc.models import Incident

    now = utcnow()
    with core.uow() as uow:
        uow.session.add(Incident(
            id=incident_id, code=f"PA0000-LATE{incident_id % 100:02d}", channel="field_report",
            source_id=source, text=TEXT, lat=lat, lon=105.3400, department_code="do_thi",
            status="routed", sla_started_at=now, reported_at=now, created_at=now,
            updated_at=now))
        uow.commit()


def test_an_incident_committed_late_by_another_writer_still_attracts_duplicates(
        core: Core) -> None:
    # Another worker drew id n+11 before id n+12 but committed it after this worker's
    # index had moved past n+12: the index must come back for the id it skipped.
    (anchor,) = file(core, report("anchor", "Mất nước cả khu phố từ sáng", lat=10.70,
                                  dept="cap_nuoc"))
    _insert_late(core, anchor.id + 12, "other-writer-1", lat=10.60)
    file(core, report("tick", "Rác ùn ứ ở chợ", lat=10.65, dept="moi_truong"))  # sees n+12
    _insert_late(core, anchor.id + 11, "other-writer-2", lat=10.8050)
    (late_dup,) = file(core, report("late-dup", "cay me gay do chan ngang duong tran hung dao"))
    assert late_dup.status == "duplicate" and late_dup.duplicate_of_id == anchor.id + 11
