"""The leaders' KPI report (ioc.kpi_report): figures per department and city-wide,
period boundaries in city time, dossiers owing an apology letter, query cost."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta

import pytest

from ioc.actors import Actor
from ioc.core import Core
from ioc.db import utcnow
from ioc.kpi_report import DepartmentFigures, KpiReport, kpi_report, period_start
from ioc.models import Incident
from ioc.routing import RoutingDecision
from ioc.services import incidents as actions
from ioc.services.dossiers import CounterEvent, apply_counter_events
from ioc.services.feedback import rate_incident
from ioc.services.intake import NewReport, record_reports
from tests.web.test_inbox_paging import _captured, _plan

TZ = "Asia/Ho_Chi_Minh"
OPERATOR = Actor("op.kpi", "operator")
DAY, HOUR = timedelta(days=1), timedelta(hours=1)
_n = itertools.count()


def incident(core: Core, department: str | None, created: datetime) -> int:
    """An incident routed to ``department`` (None: awaiting triage), created at ``created``,
    far from the others so that duplicate detection leaves it alone."""
    n = next(_n)
    report = NewReport(
        channel="field_report", source_id=f"kpi-{n}", reported_at=created,
        lat=10.70 + n * 0.01, lon=105.20 + n * 0.01,
        text=f"Phản ánh chỉ số {n}: sự việc số {n} cần xử lý",
        routing=RoutingDecision(department, 0.9 if department else 0.1, False, "test"))
    with core.uow() as uow:
        iid = record_reports(uow, core, [report], now=created).created[0].id
        uow.commit()
        return iid


def handle(core: Core, iid: int, ack: datetime | None, resolved: datetime | None,
           rating: str | None = None, rated: datetime | None = None) -> None:
    """Acknowledge and/or resolve at the given times, then the citizen's rating."""
    with core.uow() as uow:
        inc = uow.session.get(Incident, iid)
        if ack is not None:
            actions.acknowledge(uow, core, inc, OPERATOR, now=ack)
        if resolved is not None:
            actions.resolve(uow, core, inc, OPERATOR, "Đã xử lý xong", now=resolved)
        if rating is not None:
            rate_incident(uow, core, inc, rating, now=rated or resolved)
        uow.commit()


def seed_incidents(core: Core, now: datetime) -> None:
    """do_thi (72 h to resolve): 2 resolved on time, 1 late, ratings 1/1/1 (the 'not
    satisfied' one reopened); moi_truong (48 h): one resolved late 40 days ago, one open
    and overdue, one open in time; one awaiting triage past its 1 h triage deadline."""
    a, b, c, h = (incident(core, "do_thi", now - d) for d in (2 * DAY, 4 * DAY, 10 * DAY,
                                                               3 * DAY))
    handle(core, a, now - 2 * DAY + timedelta(minutes=30), now - DAY,
           "very_satisfied")
    handle(core, b, now - 4 * DAY + HOUR, now - 2 * DAY, "satisfied")
    handle(core, c, now - 10 * DAY + 2 * HOUR, now - 5 * DAY)  # 5 days > 72 h: late
    handle(core, h, now - 3 * DAY + HOUR, now - 2 * DAY, "not_satisfied", rated=now - HOUR)
    d = incident(core, "moi_truong", now - 45 * DAY)
    handle(core, d, now - 45 * DAY + HOUR, now - 40 * DAY)  # 5 days > 48 h: late
    incident(core, "moi_truong", now - 5 * DAY)  # 4 h to acknowledge: overdue
    incident(core, "moi_truong", now - timedelta(minutes=10))
    incident(core, None, now - 2 * HOUR)  # triage within 1 h: overdue


def seed_dossiers(core: Core, now: datetime) -> None:
    """HS-TRE finished late 3 days ago, HS-DUNG on time, HS-MO open past due, HS-CU
    finished late 40 days ago."""
    def received(mid: str, dossier: str, at: datetime, due: datetime) -> CounterEvent:
        return CounterEvent(mid, dossier, "received", at, "1.001", "Đăng ký khai sinh",
                            "hộ tịch", "an_thanh", "counter", due)

    with core.uow() as uow:
        apply_counter_events(uow, [
            received("d1", "HS-TRE", now - 10 * DAY, now - 5 * DAY),
            CounterEvent("d2", "HS-TRE", "resolved", now - 3 * DAY),
            received("d3", "HS-DUNG", now - 10 * DAY, now - 2 * DAY),
            CounterEvent("d4", "HS-DUNG", "returned", now - 4 * DAY),
            received("d5", "HS-MO", now - 10 * DAY, now - DAY),
            CounterEvent("d6", "HS-MO", "processing", now - 9 * DAY),
            received("d7", "HS-CU", now - 60 * DAY, now - 50 * DAY),
            CounterEvent("d8", "HS-CU", "returned", now - 40 * DAY),
        ])
        uow.commit()


def report(core: Core, days: int, now: datetime) -> KpiReport:
    """The report as of ``now``."""
    with core.uow() as uow:
        return kpi_report(uow.session, TZ, days, core.taxonomy.codes, now)


def by_code(rep: KpiReport) -> dict[str | None, DepartmentFigures]:
    """The report's rows by department code (None: awaiting triage)."""
    return {row.code: row for row in rep.departments}


def test_figures_per_department_and_city_wide(core: Core) -> None:
    now = utcnow()
    seed_incidents(core, now)
    rep = report(core, 30, now)
    rows = by_code(rep)
    assert list(rows) == [*core.taxonomy.codes, None]  # all 12 in taxonomy order, then triage
    do_thi = rows["do_thi"]
    assert (do_thi.open, do_thi.overdue, do_thi.resolved, do_thi.resolved_on_time) == (1, 0, 3, 2)
    assert round(do_thi.on_time_rate, 3) == 0.667
    assert do_thi.median_resolve_seconds == pytest.approx(2 * 86400, abs=1)  # 1, 2, 5 days
    assert do_thi.median_ack_seconds == pytest.approx(3600, abs=1)  # 30 min, 1 h, 2 h
    assert do_thi.satisfaction == {"ratings": 3, "very_satisfied": 1, "satisfied": 1,
                                   "not_satisfied": 1, "satisfied_rate": 0.6667}
    moi = rows["moi_truong"]
    assert (moi.open, moi.overdue, moi.resolved, moi.on_time_rate) == (2, 1, 0, None)
    triage = rows[None]
    assert (triage.open, triage.overdue) == (1, 1)
    assert rows["pccc"] == DepartmentFigures("pccc")  # nothing: zeros, no rates
    total = rep.total
    assert (total.open, total.overdue, total.resolved, total.resolved_on_time) == (4, 2, 3, 2)
    assert total.median_resolve_seconds == pytest.approx(2 * 86400, abs=1)
    assert total.satisfaction["satisfied_rate"] == 0.6667


def test_period_boundaries(core: Core) -> None:
    """Resolved 40 days ago: in the 90-day report, not in the 30-day one."""
    now = utcnow()
    seed_incidents(core, now)
    week, month, quarter = (report(core, days, now) for days in (7, 30, 90))
    assert by_code(month)["moi_truong"].resolved == 0
    moi = by_code(quarter)["moi_truong"]
    assert (moi.resolved, moi.on_time_rate) == (1, 0.0)
    assert moi.median_resolve_seconds == pytest.approx(5 * 86400, abs=1)
    assert quarter.total.resolved == 4
    # four resolutions of 1, 2, 5 and 5 days: the two middle ones averaged
    assert quarter.total.median_resolve_seconds == pytest.approx(3.5 * 86400, abs=1)
    assert by_code(week)["do_thi"].resolved == 3  # 5 days ago is within the week


def test_period_starts_at_midnight_city_time() -> None:
    now = datetime(2025, 5, 30, 10, 0, tzinfo=UTC)  # 17:00 in Hồ Chí Minh City (UTC+7)
    assert period_start(now, TZ, 30) == datetime(2025, 4, 30, 17, 0, tzinfo=UTC)  # 1 May 00:00
    assert period_start(now, TZ, 7) == datetime(2025, 5, 23, 17, 0, tzinfo=UTC)
    late_evening = datetime(2025, 5, 30, 18, 0, tzinfo=UTC)  # already 31 May, 01:00 local
    assert period_start(late_evening, TZ, 7) == datetime(2025, 5, 24, 17, 0, tzinfo=UTC)


def test_unknown_period_is_refused(core: Core) -> None:
    with pytest.raises(ValueError, match="7, 30, 90"), core.uow() as uow:
        kpi_report(uow.session, TZ, 14, core.taxonomy.codes)


def test_late_dossiers_owe_an_apology_letter(core: Core) -> None:
    now = utcnow()
    seed_dossiers(core, now)
    month = report(core, 30, now).dossiers
    assert (month.finished, month.late, month.overdue_open) == (2, 1, 1)
    assert month.on_time_rate == 0.5
    assert [d.dossier_id for d in month.apology] == ["HS-TRE"]
    late = month.apology[0]
    assert (late.procedure_name, late.office) == ("Đăng ký khai sinh", "an_thanh")
    assert late.late_seconds == pytest.approx(2 * 86400)
    quarter = report(core, 90, now).dossiers
    assert [d.dossier_id for d in quarter.apology] == ["HS-TRE", "HS-CU"]  # newest first
    from ioc.kpi_report import dossier_report

    with core.uow() as uow:
        capped = dossier_report(uow.session, now - 90 * DAY, now, limit=1)
    assert [d.dossier_id for d in capped.apology] == ["HS-TRE"]
    assert (capped.apology_total, capped.apology_more) == (2, 1)


def test_empty_database_has_no_rates(core: Core) -> None:
    rep = report(core, 30, utcnow())
    assert rep.total.on_time_rate is None and rep.total.median_ack_seconds is None
    assert rep.total.satisfaction["satisfied_rate"] is None
    assert rep.dossiers.on_time_rate is None and rep.dossiers.apology == []


def test_report_reads_index_ranges_in_a_fixed_number_of_queries(core: Core) -> None:
    """A handful of queries whatever the number of departments, none of which scans the
    incident or feedback table (SQLite's query plans)."""
    if core.db.dialect != "sqlite":
        pytest.skip("query plans are checked on SQLite")
    now = utcnow()
    seed_incidents(core, now)
    statements = _captured(core, lambda: report(core, 90, now))
    assert 0 < len(statements) <= 8, len(statements)
    full_scan = re.compile(r"(^| \| )SCAN (incidents|feedback)\b")
    for statement, parameters in statements:
        plan = _plan(core, statement, parameters)
        assert not full_scan.search(plan), (statement, plan)
