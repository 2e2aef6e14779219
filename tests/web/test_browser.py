"""The two screens in real headless Chromium, served for real, fed by a real ingest
worker on the test broker: a field report published over MQTT appears on the
operator console without a reload; the department acknowledges and resolves it
in its inbox and the console follows; another department gets a 404.
Screenshots go to test-artifacts/."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from ioc.core import Core
from ioc.models import Incident
from ioc.processes import start_ingest
from ioc.services.users import create_user
from tests.helpers import log_in, screenshot
from tests.ingest.mqtt_helpers import Publisher, wait_until
from tests.ingest.payloads import encode, field_report
from tests.services import free_port
from tests.web.conftest import PASSWORD, make_incident

pytestmark = [pytest.mark.browser, pytest.mark.broker]

REPORT = "Đèn đường trước chợ Hồng Ngự bị hư 3 đêm rồi, tối thui, xin sửa giúp"


class Session:
    """One staff member's browser context, recording any request to another host."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1440, "height": 900},
                                           locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        self.external: list[str] = []
        self.errors: list[str] = []
        host = urlsplit(base).netloc
        self.context.on("request", lambda r: None if urlsplit(r.url).netloc == host
                        or r.url.startswith("data:") else self.external.append(r.url))
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def login(self, username: str, target: str) -> None:
        """Open ``target``; the login form appears; log in and land on it."""
        log_in(self.page, self.base + target, username, PASSWORD)

    def close(self) -> None:
        """Close the context."""
        self.context.close()


@dataclass(frozen=True)
class Seen:
    """What the test needs of a stored incident."""

    id: int
    code: str
    department_code: str | None


def _incident(core: Core, source_id: str) -> Seen | None:
    with core.uow() as uow:
        inc = uow.session.scalars(select(Incident).where(Incident.source_id == source_id)).first()
        return Seen(inc.id, inc.code, inc.department_code) if inc else None


def _user_for(core: Core, department: str) -> str:
    username = f"nv.{department}"
    with core.uow() as uow:
        from ioc.services.users import find_user

        if find_user(uow, username) is None:
            create_user(uow, username, PASSWORD, "department", department)
            uow.commit()
    return username


def test_field_report_reaches_the_console_and_the_department_resolves_it(
        core: Core, live_server, staff, browser, mqtt_target, topic_root) -> None:
    worker = start_ingest(core, mqtt_target)
    op = Session(browser, live_server.url)
    try:
        op.login("dieuhanh", "/console")
        op.page.wait_for_function("window.iocConsole && window.iocConsole.snapshots >= 1")
        op.page.evaluate("window.__notReloaded = true")

        payload = field_report(REPORT, lat=10.8092, lon=105.3415)
        publisher = Publisher(mqtt_target)
        publisher.publish(f"{topic_root}/reports/field", encode(payload))
        publisher.close()
        assert wait_until(lambda: _incident(core, payload["id"]) is not None, 30)
        inc = _incident(core, payload["id"])
        assert inc is not None

        if inc.department_code is None:  # the classifier was unsure: triage it in the UI
            op.page.goto(f"{live_server.url}/console/triage")
            op.page.select_option(f"#triage-{inc.id} select[name=department]", "do_thi")
            op.page.click(f"#triage-{inc.id} button[type=submit]")
            op.page.goto(f"{live_server.url}/console")
            op.page.wait_for_function("window.iocConsole && window.iocConsole.snapshots >= 1")
            op.page.evaluate("window.__notReloaded = true")
            inc = _incident(core, payload["id"])
        department = inc.department_code
        assert department is not None

        # the marker and the queue entry appear without a reload
        op.page.wait_for_function(
            f"""() => {{ const m = window.iocConsole.liveMap.markers.get({inc.id});
                       return m && m.iocIn && !window.iocConsole.liveMap.loading; }}""")
        op.page.wait_for_selector(f'#queue li[data-id="{inc.id}"]')
        assert op.page.evaluate("window.__notReloaded") is True
        entry = op.page.text_content(f'#queue li[data-id="{inc.id}"]')
        assert inc.code in entry and "Đèn đường trước chợ" in entry
        op.page.click(f'#queue li[data-id="{inc.id}"]')
        op.page.wait_for_selector("#detail:not([hidden])")
        detail = op.page.text_content("#detail")
        assert REPORT in detail and "Độ tin cậy phân loại" in detail and "Lịch sử xử lý" in detail
        screenshot(op.page, "console.png")

        # the department's staff acknowledge and resolve it in the inbox
        staff_user = _user_for(core, department)
        dept = Session(browser, live_server.url)
        dept.login(staff_user, "/inbox")
        dept.page.wait_for_selector(f"#inc-{inc.id}")
        screenshot(dept.page, "inbox.png")
        dept.page.click(f"#inc-{inc.id} a.code")
        dept.page.click("#form-acknowledge button[type=submit]")
        dept.page.wait_for_selector("#form-resolve")
        op.page.wait_for_function(
            f"window.iocConsole.store.records.get({inc.id})?.status === 'acknowledged'")
        dept.page.fill("#form-resolve textarea[name=note]", "Đã thay bóng đèn, đường sáng lại")
        dept.page.click("#form-resolve button[type=submit]")
        dept.page.wait_for_selector("text=Đã thay bóng đèn, đường sáng lại")
        screenshot(dept.page, "incident.png", full_page=True)
        op.page.wait_for_function(f"!window.iocConsole.store.records.has({inc.id})")
        op.page.wait_for_selector(f'#queue li[data-id="{inc.id}"]', state="detached")
        assert op.page.evaluate("window.__notReloaded") is True
        with core.uow() as uow:
            kinds = [e.kind for e in uow.session.get(Incident, inc.id).events]
        assert kinds[-2:] == ["acknowledged", "resolved"]

        # a user of another department gets a 404, from the page and from the API
        other_dept = "moi_truong" if department != "moi_truong" else "do_thi"
        other = Session(browser, live_server.url)
        other.login(_user_for(core, other_dept), "/inbox")
        page_res = other.page.goto(f"{live_server.url}/inbox/incidents/{inc.code}")
        assert page_res.status == 404
        assert "Không tìm thấy" in other.page.content() and REPORT not in other.page.content()
        api = other.page.request.get(f"{live_server.url}/api/v1/incidents/{inc.id}")
        assert api.status == 404 and REPORT not in api.text()

        for session in (op, dept, other):
            assert not session.external, session.external  # nothing from outside the city
            assert not session.errors, session.errors
            session.close()
    finally:
        worker.stop()


def test_urgent_alert_and_snapshot_again_after_reconnect(core: Core, live_server, staff,
                                                         browser) -> None:
    op = Session(browser, live_server.url)
    op.login("dieuhanh", "/console")
    page = op.page
    page.wait_for_function("window.iocConsole && window.iocConsole.snapshots >= 1")
    assert page.is_hidden("#alert-banner")
    iid = make_incident(core, "pccc", urgent=True,
                        text="Cháy nhà dân <img src=x onerror=window.__xss=1> hẻm 5")
    page.wait_for_selector("#alert-banner:not([hidden])")
    banner = page.text_content("#alert-banner")
    assert "KHẨN CẤP" in banner and "Cháy nhà dân <img src=x onerror=window.__xss=1>" in banner
    assert page.evaluate("window.iocBeeps") >= 1
    assert page.evaluate("window.__xss") is None  # citizen text is shown as text only
    page.click("#alert-dismiss")
    assert page.is_hidden("#alert-banner")
    assert page.text_content("#kpi-triage") is not None
    assert page.text_content("#kpi-satisfaction") == "—"  # no citizen has rated yet
    assert page.evaluate(f"window.iocConsole.store.records.has({iid})")

    # disconnected: changes are missed; on reconnect the snapshot is fetched again
    page.evaluate("window.iocConsole.socket.disconnect()")
    page.wait_for_selector('#live-state[data-state="down"]')
    missed = make_incident(core, "do_thi", text="Phản ánh đến khi mất kết nối")
    page.wait_for_timeout(400)
    assert not page.evaluate(f"window.iocConsole.store.records.has({missed})")
    page.evaluate("window.iocConsole.socket.connect()")
    page.wait_for_function("window.iocConsole.snapshots >= 2")
    page.wait_for_function(f"window.iocConsole.store.records.has({missed})")
    assert page.get_attribute("#live-state", "data-state") == "live"
    page.click("text=English")
    page.wait_for_selector("text=Live console")
    assert not op.errors, op.errors
    op.close()


@pytest.mark.slow
def test_console_stays_smooth_with_30000_open_incidents(core: Core, live_server, staff,
                                                        browser) -> None:
    from tests.web.bulk import insert_open_incidents

    ids = insert_open_incidents(core, 30_000)
    op = Session(browser, live_server.url)
    op.login("dieuhanh", "/console")
    page = op.page
    page.wait_for_function("window.iocConsole && window.iocConsole.snapshots >= 1"
                           " && !window.iocConsole.liveMap.loading", timeout=60_000)
    timing = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
        return {dom: n.domContentLoadedEventEnd, now: performance.now()}; }""")
    assert page.evaluate("window.iocConsole.store.records.size") == 30_000
    assert page.evaluate("document.querySelectorAll('#queue li').length") == 200
    markers_in_dom = page.evaluate("document.querySelectorAll('.ioc-mk, .ioc-cluster').length")
    assert markers_in_dom < 1500, markers_in_dom  # clustered: not 30,000 DOM nodes

    # 200 changes in one commit → one coalesced batch, applied marker by marker
    from ioc.actors import Actor
    from ioc.services import incidents as svc

    who = Actor("dothi.an", "department", "do_thi")
    with core.uow() as uow:
        for iid in ids[:200]:
            svc.acknowledge(uow, core, svc.get_incident(uow, who, iid), who)
        uow.commit()
    page.wait_for_function(f"window.iocConsole.store.records.get({ids[199]}).status"
                           " === 'acknowledged'")
    stats = page.evaluate("window.iocConsole.stats")
    print("console with 30,000 incidents:", json.dumps({"ready_ms": round(timing["now"]),
          "dom_ms": round(timing["dom"]), "markers_in_dom": markers_in_dom, **stats}))
    assert stats["maxBatchMs"] < 250, stats  # no full redraw per event
    page.check("#heat-toggle")
    page.wait_for_selector("canvas.leaflet-heatmap-layer")
    screenshot(page, "console-30k.png")
    assert not op.errors, op.errors
    op.close()


def test_markers_show_when_the_tile_server_is_unreachable(core: Core, live_server, staff,
                                                         browser) -> None:
    dead = f"http://127.0.0.1:{free_port()}/{{z}}/{{x}}/{{y}}.png"  # nobody listens there
    core.settings = core.settings.with_overrides(tile_url=dead)
    iid = make_incident(core, "do_thi", lat=10.807, lon=105.343)
    op = Session(browser, live_server.url)
    failed: list[str] = []
    op.page.on("requestfailed", lambda r: failed.append(r.url))
    op.login("dieuhanh", "/console")
    op.page.wait_for_function(
        f"""() => {{ const c = window.iocConsole; const m = c && c.liveMap.markers.get({iid});
                   return m && m.iocIn && !c.liveMap.loading; }}""")
    op.page.wait_for_selector(".ioc-mk, .ioc-cluster")
    assert any(url.endswith(".png") and "127.0.0.1" in url for url in failed), failed
    assert not op.errors, op.errors
    op.close()
