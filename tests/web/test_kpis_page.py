"""The leaders' KPI page /kpis and its CSV export: Vietnamese first, English with
?lang=en, figures per department, periods, the apology-letter list, the nav link.
(Who may open them: tests/web/test_authorization_matrix.py.)"""

from __future__ import annotations

import csv
import io
import re
from zoneinfo import ZoneInfo

import pytest

from ioc.core import Core
from ioc.db import utcnow
from tests.core.test_kpi_report import DAY, TZ, seed_dossiers, seed_incidents


@pytest.fixture
def seeded(core: Core) -> None:
    """The incidents and dossiers of tests/core/test_kpi_report.py, as of now."""
    now = utcnow()
    seed_incidents(core, now)
    seed_dossiers(core, now)


def row_cells(html: str, code: str) -> list[str]:
    """The cells of a department's row (``triage``, ``total``), tags stripped."""
    match = re.search(rf'<tr id="kpis-row-{code}">(.*?)</tr>', html, re.S)
    assert match, f"no row {code}"
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", match.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]


def test_vietnamese_page_with_figures_per_department(core: Core, client_for, seeded) -> None:
    res = client_for("lanhdao").get("/kpis")
    assert res.status_code == 200
    html = res.get_data(as_text=True)
    for text in ("Chỉ số điều hành", "Tỷ lệ đúng hạn", "Thời gian xử lý (trung vị)",
                 "Thời gian tiếp nhận (trung vị)", "Mức độ hài lòng của người dân",
                 "Hồ sơ trễ hạn — thư xin lỗi", "Chờ phân loại", "Toàn thành phố"):
        assert text in html, text
    for department in core.taxonomy.departments:
        assert department.name_vi in html, department.name_vi
    name, open_, overdue, resolved, on_time, ack, resolve, satisfaction = row_cells(html,
                                                                                   "do_thi")
    assert (name, open_, overdue, resolved) == ("Phòng Quản lý đô thị", "1", "0", "3")
    assert on_time == "66,7%"  # 2 of 3 on time, Vietnamese decimal comma
    assert (ack, resolve) == ("1 giờ 0 phút", "2 ngày 0 giờ")
    assert satisfaction == "66,7% (3 lượt đánh giá)"
    assert row_cells(html, "triage")[1:3] == ["1", "1"]
    assert row_cells(html, "total")[:4] == ["Toàn thành phố", "4", "2", "3"]
    assert re.search(r'aria-current="page" class="active">30 ngày<', html)


def test_apology_letter_list_shows_late_dossiers_only(client_for, seeded) -> None:
    now = utcnow()
    html = client_for("lanhdao").get("/kpis").get_data(as_text=True)
    apology = html.split('id="kpis-apology"', 1)[1]
    assert "HS-TRE" in apology and "Đăng ký khai sinh" in apology
    assert "HS-DUNG" not in html and "HS-CU" not in html  # on time / before the period
    local = ZoneInfo(TZ)
    due, finished = now - 5 * DAY, now - 3 * DAY
    assert due.astimezone(local).strftime("%d/%m/%Y %H:%M") in apology
    assert finished.astimezone(local).strftime("%d/%m/%Y %H:%M") in apology
    assert "2 ngày 0 giờ" in apology  # late by
    quarter = client_for("lanhdao").get("/kpis?days=90").get_data(as_text=True)
    assert quarter.index("HS-TRE") < quarter.index("HS-CU")  # newest first


def test_period_selector(client_for, seeded) -> None:
    """Resolved 40 days ago: counted over 90 days, not over 30; other values mean 30."""
    leader = client_for("lanhdao")
    month = leader.get("/kpis?days=30").get_data(as_text=True)
    quarter = leader.get("/kpis?days=90").get_data(as_text=True)
    assert row_cells(month, "moi_truong")[3:5] == ["0", "—"]
    assert row_cells(quarter, "moi_truong")[3:5] == ["1", "0,0%"]
    assert re.search(r'aria-current="page" class="active">90 ngày<', quarter)
    odd = leader.get("/kpis?days=14").get_data(as_text=True)
    assert re.search(r'aria-current="page" class="active">30 ngày<', odd)


def test_english_page(client_for, seeded) -> None:
    html = client_for("dieuhanh").get("/kpis?lang=en").get_data(as_text=True)
    for text in ("Key performance indicators", "On-time rate", "Time to resolve (median)",
                 "Citizen satisfaction", "Late dossiers — apology letters", "City-wide",
                 "Urban management and infrastructure"):
        assert text in html, text
    cells = row_cells(html, "do_thi")
    assert cells[4] == "66.7%" and cells[6] == "2 d 0 h" and cells[7] == "66.7% (3 ratings)"


def test_numbers_follow_the_language(app) -> None:
    from web.kpis.present import fmt_number, fmt_percent

    with app.test_request_context("/kpis"):
        assert (fmt_number(1234567), fmt_number(1234.5, 1)) == ("1.234.567", "1.234,5")
        assert (fmt_percent(2 / 3), fmt_percent(None)) == ("66,7%", "—")
    with app.test_request_context("/kpis?lang=en"):
        assert (fmt_number(1234567), fmt_number(1234.5, 1)) == ("1,234,567", "1,234.5")
        assert fmt_percent(1.0) == "100.0%"


def test_csv_export_has_bom_and_vietnamese_names(core: Core, client_for, seeded) -> None:
    res = client_for("lanhdao").get("/kpis/export.csv?days=30")
    assert res.status_code == 200 and res.mimetype == "text/csv"
    assert "kpis-30d-" in res.headers["Content-Disposition"]
    body = res.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mã phòng ban", "Phòng ban", "Đang mở"]
    by_code = {r[0]: r for r in rows[1:]}
    assert list(by_code) == [*core.taxonomy.codes, "triage", "total"]
    assert by_code["do_thi"][1:] == ["Phòng Quản lý đô thị", "1", "0", "3", "2", "66.7",
                                     "60.0", "2880.0", "3", "66.7"]
    assert by_code["xa_hoi"][1] == "Phòng Lao động - Thương binh và Xã hội"
    assert by_code["total"][1:6] == ["Toàn thành phố", "4", "2", "3", "2"]
    quarter = client_for("lanhdao").get("/kpis/export.csv?days=90").get_data()
    moi = next(r for r in csv.reader(io.StringIO(quarter.decode("utf-8-sig")))
               if r[0] == "moi_truong")
    assert moi[4:7] == ["1", "0", "0.0"]


def test_report_is_computed_once_for_page_and_export(client_for, monkeypatch) -> None:
    from web.kpis import views

    calls = []
    real = views.kpi_report
    monkeypatch.setattr(views, "kpi_report", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
    leader = client_for("lanhdao")
    leader.get("/kpis")
    leader.get("/kpis/export.csv")
    leader.get("/kpis?days=7")
    assert calls == [30, 7]


def test_nav_link_for_the_operations_room_only(client_for) -> None:
    for username in ("lanhdao", "dieuhanh", "quantri"):
        html = client_for(username).get("/console").get_data(as_text=True)
        assert 'href="/kpis">Chỉ số điều hành</a>' in html, username
    inbox = client_for("dothi.an").get("/inbox").get_data(as_text=True)
    assert 'href="/kpis"' not in inbox
