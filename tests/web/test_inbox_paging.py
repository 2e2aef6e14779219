"""The inbox with a flood-week backlog: keyset pages in deadline order that reach every
open incident exactly once, totals per status, search by tracking code far down the
list, no leak across departments, and queries that read a page, not the table."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import event, insert, select

from ioc.core import Core
from ioc.db import utcnow
from ioc.models import Incident
from tests.web.bulk import incident_rows
from tests.web.conftest import make_incident, move_to

#: The open statuses the bulk rows cycle through (the inbox's tabs).
CYCLE = ("routed", "acknowledged", "in_progress", "reopened", "routed", "new")
MORE = re.compile(r'id="inbox-more" class="button" href="([^"]*)"')
ROW = re.compile(r'<tr id="inc-(\d+)"')


def insert_backlog(core: Core, count: int, department: str = "do_thi", *, start: int = 0,
                   closed_every: int = 0) -> None:
    """``count`` incidents of ``department`` in one statement: open statuses in turn,
    deadlines with many ties and a few missing, realistic tracking codes."""
    base = utcnow() - timedelta(days=3)
    rows = incident_rows(core, count, start=start)
    for n, row in enumerate(rows, start=start):
        missing = n % 23 == 0
        row.update(
            code=f"PA2611-{n:06X}", department_code=department, status=CYCLE[n % len(CYCLE)],
            ack_due_at=None if missing else base + timedelta(minutes=(n * 7) % 40),
            resolve_due_at=None if missing else base + timedelta(minutes=(n * 11) % 50),
            ward=("an_thanh", "an_loc", None)[n % 3])
        if closed_every and n % closed_every == 0:
            row["status"] = "resolved"
    with core.uow() as uow:
        uow.session.execute(insert(Incident), rows)
        uow.commit()


def expected_order(core: Core, department: str = "do_thi") -> list[int]:
    """The department's open incidents as staff need them: first deadline on top, none last."""
    far = utcnow() + timedelta(days=3650)
    with core.uow() as uow:
        rows = uow.session.execute(select(
            Incident.id, Incident.status, Incident.ack_due_at, Incident.resolve_due_at).where(
            Incident.department_code == department,
            Incident.status.in_(["new", "routed", "reopened", "acknowledged", "in_progress"])))

        def key(row) -> tuple:
            deadline = row[2] if row[1] in ("new", "routed", "reopened") else row[3]
            return (deadline is None, deadline or far, row[0])

        return [row[0] for row in sorted(rows, key=key)]


def walk(client, **params) -> Iterator[dict]:
    """Every page of ``/inbox/page.json`` from the first to the one without a next cursor."""
    cursor = None
    while True:
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        res = client.get("/inbox/page.json", query_string=query)
        assert res.status_code == 200, res.get_data(as_text=True)[:300]
        body = res.get_json()
        yield body
        cursor = body["next_cursor"]
        if cursor is None:
            return


def code_of(core: Core, incident_id: int) -> str:
    with core.uow() as uow:
        return uow.session.get(Incident, incident_id).code


def test_paging_reaches_every_open_incident_once_in_deadline_order(core: Core,
                                                                   client_for) -> None:
    insert_backlog(core, 140, closed_every=9)
    insert_backlog(core, 30, "moi_truong", start=1000)  # interleaved deadlines, not ours
    expected = expected_order(core)
    pages = list(walk(client_for("dothi.an"), limit=7))
    seen = [item["id"] for page in pages for item in page["items"]]
    assert seen == expected  # the same order, every one, none twice
    assert len(pages) == -(-len(expected) // 7) and all(len(p["items"]) <= 7 for p in pages)
    counts = pages[0]["counts"]
    assert counts["total"] == counts["matching"] == len(expected) == 140 - 16
    assert sum(counts["by_status"].values()) == counts["total"]
    assert counts["by_status"]["reopened"] == sum(1 for n in range(140)
                                                  if n % 6 == 3 and n % 9)
    # the operator reading the same inbox pages through the same list
    op = [i["id"] for p in walk(client_for("dieuhanh"), department="do_thi", limit=50)
          for i in p["items"]]
    assert op == expected


def test_paging_stays_exact_while_incidents_come_and_go(core: Core, client_for) -> None:
    insert_backlog(core, 40)
    staff = client_for("dothi.an")
    before = expected_order(core)
    pages = walk(staff, limit=10)
    first = next(pages)
    seen = [i["id"] for i in first["items"]]
    move_to(core, seen[0], "resolved")  # left the inbox from a page already read
    move_to(core, before[25], "resolved")  # leaves from a page not read yet
    newcomer = make_incident(core, "do_thi")  # a fresh deadline: far down the list
    seen += [i["id"] for page in pages for i in page["items"]]
    assert len(seen) == len(set(seen))
    assert set(seen) == (set(before) - {before[25]}) | {newcomer}


def test_the_inbox_page_shows_totals_tabs_and_pages_through_600_incidents(
        core: Core, client_for) -> None:
    insert_backlog(core, 600)
    staff = client_for("dothi.an")
    page = staff.get("/inbox").get_data(as_text=True)
    assert '<strong id="inbox-total">600</strong> phản ánh đang mở' in page
    assert len(ROW.findall(page)) == 50  # one page, not the backlog
    assert re.search(r'data-count-status="reopened">100<', page)
    assert re.search(r'Đang hiển thị <span id="inbox-shown">50</span>\s+trên '
                     r'<span id="inbox-matching">600</span>', page)
    assert "Xem thêm" in page and "Tìm theo mã phản ánh hoặc nội dung" in page
    seen: list[int] = []
    while True:  # the "load more" link works without the script, too
        seen += [int(i) for i in ROW.findall(page)]
        link = MORE.search(page)
        if not link or not link.group(1):
            break
        assert "Về đầu danh sách" in staff.get(htmllib.unescape(link.group(1))).get_data(
            as_text=True)
        page = staff.get(htmllib.unescape(link.group(1))).get_data(as_text=True)
    assert seen == expected_order(core) and len(seen) == 600

    en = staff.get("/inbox?lang=en&status=reopened").get_data(as_text=True)
    assert '<strong id="inbox-total">600</strong> open incidents' in en
    assert "Load more" in en and "Find by tracking code or text" in en
    assert len(ROW.findall(en)) == 50 and 'class="active" aria-current="page">Reopened' in en
    insert_backlog(core, 1000, start=600)
    assert '<strong id="inbox-total">1.600</strong>' in staff.get("/inbox?lang=vi").get_data(
        as_text=True)


def test_a_tracking_code_far_down_the_list_is_found(core: Core, client_for) -> None:
    insert_backlog(core, 600)
    staff = client_for("dothi.an")
    order = expected_order(core)
    target = order[-3]  # on page 12 of 12
    code = code_of(core, target)
    assert f'id="inc-{target}"' not in staff.get("/inbox").get_data(as_text=True)
    for asked in (code, code.lower(), f"  {code} "):
        page = staff.get("/inbox", query_string={"q": asked}).get_data(as_text=True)
        assert ROW.findall(page) == [str(target)], asked
        assert re.search(r'<span id="inbox-matching">1</span>', page)
        assert '<strong id="inbox-total">600</strong>' in page  # the inbox total stays
    body = staff.get("/inbox/page.json", query_string={"q": code}).get_json()
    assert [i["id"] for i in body["items"]] == [target] and body["next_cursor"] is None
    assert body["counts"]["matching"] == 1 and body["counts"]["total"] == 600

    marked = make_incident(core, "do_thi", text="Nắp hố ga bị mất trước số 12 Lý Thường Kiệt")
    found = staff.get("/inbox/page.json", query_string={"q": "lý thường kiệt"}).get_json()
    assert [i["id"] for i in found["items"]] == [marked]
    wards = [i["ward"] for p in walk(staff, ward="an_loc", limit=200) for i in p["items"]]
    assert len(wards) == 200 and set(wards) == {"an_loc"}
    none = staff.get("/inbox", query_string={"q": "50%_"}).get_data(as_text=True)
    assert not ROW.findall(none) and "Không có phản ánh đang mở nào khớp với bộ lọc." in none


def test_cursors_and_searches_never_leak_another_department(core: Core, client_for) -> None:
    insert_backlog(core, 30)
    theirs = expected_order(core)
    other = client_for("moitruong.binh")
    mine = make_incident(core, "moi_truong")
    their_code = code_of(core, theirs[-1])
    cursor = client_for("dothi.an").get("/inbox/page.json?limit=5").get_json()["next_cursor"]
    attempts = [{"q": their_code}, {"cursor": cursor}, {"department": "do_thi"},
                {"department": "do_thi", "q": their_code, "cursor": cursor}]
    for params in attempts:
        body = other.get("/inbox/page.json", query_string=params).get_json()
        assert body["department"] == "moi_truong", params
        assert not {i["id"] for i in body["items"]} & set(theirs), params
        assert body["counts"]["total"] == 1, params
        page = other.get("/inbox", query_string=params).get_data(as_text=True)
        assert f">{their_code}</a>" not in page  # echoed in the search box, never as a row
        assert not set(map(int, ROW.findall(page))) & set(theirs), params
        counts = other.get("/inbox/counts.json", query_string=params).get_json()
        assert counts["total"] == 1 and counts["matching"] in (0, 1)
    assert [i["id"] for i in other.get("/inbox/page.json").get_json()["items"]] == [mine]
    assert other.get(f"/inbox/incidents/{their_code}").status_code == 404


@pytest.mark.parametrize("path", ["/inbox/page.json", "/inbox/counts.json"])
def test_inbox_data_endpoints_check_the_role(path: str, client_for, staff) -> None:
    assert client_for(None).get(path).status_code == 401
    assert client_for("lanhdao").get(path).status_code == 403
    for user in ("quantri", "dieuhanh", "dothi.an"):
        assert client_for(user).get(path).status_code == 200, user
    assert client_for("dieuhanh").get(path + "?department=khong_co").status_code == 404


def test_bad_cursors_statuses_and_sizes_are_refused(core: Core, client_for) -> None:
    staff = client_for("dothi.an")
    api_cursor = "aToxMjM"  # base64 of "i:123": a JSON API cursor, not an inbox one
    for params in ({"cursor": "!!!"}, {"cursor": api_cursor}, {"status": "resolved"},
                   {"limit": "0"}, {"limit": "201"}, {"limit": "x"}, {"limit": "²"}):
        res = staff.get("/inbox/page.json", query_string=params)
        assert res.status_code == 400 and res.get_json()["error"]["status"] == 400, params
        page = staff.get("/inbox", query_string=params)
        assert page.status_code == 400
        assert "Tham số tìm kiếm hoặc phân trang không hợp lệ" in page.get_data(as_text=True)


def _captured(core: Core, run: Callable[[], object]) -> list[tuple[str, object]]:
    """The SQL statements (with parameters) that ``run`` sends to the database."""
    seen: list[tuple[str, object]] = []

    def grab(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append((statement, parameters))

    event.listen(core.db.engine, "before_cursor_execute", grab)
    try:
        run()
    finally:
        event.remove(core.db.engine, "before_cursor_execute", grab)
    return seen


def _plan(core: Core, statement: str, parameters: object) -> str:
    with core.db.engine.connect() as conn:
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        return " | ".join(str(r[-1]) for r in rows)


def test_a_page_reads_the_department_index_and_loads_only_one_page(core: Core,
                                                                     client_for) -> None:
    """With thousands open, a page loads ``limit + 1`` rows into Python, found through
    the (status, department) index; the counts read that index alone."""
    if core.db.dialect != "sqlite":
        pytest.skip("query plans are checked on SQLite")
    insert_backlog(core, 3000)
    insert_backlog(core, 3000, "moi_truong", start=5000)
    staff = client_for("dothi.an")
    cursor = staff.get("/inbox/page.json?limit=20").get_json()["next_cursor"]
    loaded: list[int] = []

    def count(target, context) -> None:
        loaded.append(target.id)

    event.listen(Incident, "load", count)
    try:
        sql = _captured(core, lambda: staff.get(f"/inbox/page.json?limit=20&cursor={cursor}"))
    finally:
        event.remove(Incident, "load", count)
    assert len(loaded) == 21  # one page and the look-ahead row, not 3,000
    page = next((s, p) for s, p in sql if "FROM incidents" in s and "ORDER BY" in s)
    plan = _plan(core, *page)
    assert "ix_incidents_status_department" in plan, plan
    assert not re.search(r"\bSCAN incidents\b(?! USING)", plan), plan
    counts = next((s, p) for s, p in sql if "count(*)" in s and "GROUP BY" in s)
    assert "USING COVERING INDEX ix_incidents_status_department" in _plan(core, *counts)


@pytest.mark.browser
def test_load_more_and_live_rows_in_chromium(core: Core, live_server, staff, browser) -> None:
    """Chromium: "load more" reaches the end; live rows come and go; the counts follow."""
    from tests.helpers import log_in
    from tests.web.conftest import PASSWORD

    insert_backlog(core, 12)
    order = expected_order(core)
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, f"{live_server.url}/inbox", "dothi.an", PASSWORD)
    page.goto(f"{live_server.url}/inbox?limit=5")
    page.wait_for_function("window.iocInbox && window.iocInbox.state.reloads >= 1")
    rows = "document.querySelectorAll('#inbox-rows tr').length"
    assert page.evaluate(rows) == 5 and page.text_content("#inbox-total") == "12"
    arrived = make_incident(core, "do_thi", text="Cây đổ chắn ngang đường Thiên Hộ Dương")
    page.wait_for_selector(f"#inc-{arrived}")  # arrives live though page 1 ends earlier
    page.wait_for_function("document.getElementById('inbox-total').textContent === '13'")
    assert "Cây đổ chắn ngang" in page.text_content("#inbox-alert")
    for shown in (11, 13):  # 5 + 5 (+ the arrival), then the rest
        page.click("#inbox-more")
        page.wait_for_function(f"{rows} === {shown}")
    assert page.is_hidden("#inbox-more")
    ids = page.eval_on_selector_all("#inbox-rows tr", "rows => rows.map(r => Number(r.dataset.id))")
    assert ids == expected_order(core) and arrived in ids  # deadline order, each once
    move_to(core, order[0], "resolved")
    page.wait_for_selector(f"#inc-{order[0]}", state="detached")
    page.wait_for_function("document.getElementById('inbox-total').textContent === '12'")
    page.evaluate("window.iocInbox.reload()")  # what a reconnect does: as deep as before
    page.wait_for_function(f"window.iocInbox.state.reloads >= 2 && {rows} === 12")
    assert page.text_content("#inbox-shown") == "12" and not errors, errors
    context.close()


def test_search_ignores_case_and_diacritics(core: Core, client_for) -> None:
    accented = make_incident(core, "do_thi", text="ĐÈN ĐƯỜNG trước chợ Hồng Ngự bị hư")
    plain = make_incident(core, "do_thi", text="den duong hem 5 bi hu may dem nay")
    other = make_incident(core, "do_thi", text="Cống nghẹt, nước tràn lên mặt đường")
    staff = client_for("dothi.an")
    for asked in ("đèn đường", "den duong", "ĐÈN ĐƯỜNG", "Den Duong"):
        found = staff.get("/inbox/page.json", query_string={"q": asked}).get_json()
        assert {i["id"] for i in found["items"]} == {accented, plain}, asked
    by_address = staff.get("/inbox/page.json", query_string={"q": "nguyen hue"}).get_json()
    assert {accented, plain, other} <= {i["id"] for i in by_address["items"]}  # the address


def test_only_real_arrivals_raise_the_banner_and_search_matches_live_rows(
        core: Core, live_server, staff, browser) -> None:
    """Chromium: a note on an incident further down is not "new"; a reassignment to the
    department is; a live row matches the search without regard to diacritics."""
    from ioc.actors import Actor
    from ioc.services import incidents as actions
    from tests.helpers import log_in
    from tests.web.conftest import PASSWORD

    def act(incident_id: int, do) -> None:
        with core.uow() as uow:
            do(uow, uow.session.get(Incident, incident_id))
            uow.commit()

    insert_backlog(core, 12)
    far = expected_order(core)[-1]
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    log_in(page, f"{live_server.url}/inbox", "dothi.an", PASSWORD)
    page.goto(f"{live_server.url}/inbox?limit=5")
    page.wait_for_function("window.iocInbox && window.iocInbox.state.reloads >= 1")
    staff_actor = Actor("dothi.an", "department", "do_thi")
    act(far, lambda uow, inc: actions.add_note(uow, core, inc, staff_actor, "Đã gọi lại người dân"))
    elsewhere = make_incident(core, "moi_truong", text="Đèn đường hư trước trường học")
    page.wait_for_timeout(1500)  # the note's event has come and gone by now
    assert page.is_hidden("#inbox-alert") and not page.query_selector(f"#inc-{far}")
    act(elsewhere, lambda uow, inc: actions.reassign(
        uow, core, inc, Actor("dieuhanh", "operator"), "do_thi", "Đèn đường: đô thị"))
    page.wait_for_selector(f"#inc-{elsewhere}")
    assert "Đèn đường hư trước trường học" in page.text_content("#inbox-alert")

    page.goto(f"{live_server.url}/inbox?q=den+duong")
    page.wait_for_function("window.iocInbox && window.iocInbox.state.reloads >= 1")
    arrived = make_incident(core, "do_thi", text="ĐÈN ĐƯỜNG chập chờn cả đêm")
    page.wait_for_selector(f"#inc-{arrived}")  # folded like the server's search
    context.close()
