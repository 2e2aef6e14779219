"""The citizen app in headless Chromium on a phone: report, follow up, rate; offline queue;
HTML shown as text on the public map. The app is served for real over HTTP."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from ioc.actors import Actor
from ioc.core import Core
from ioc.db import utcnow
from ioc.models import Feedback, Incident
from ioc.routing import RoutingDecision
from ioc.services import incidents as actions
from ioc.services.incidents import get_incident
from ioc.services.intake import NewReport, record_reports
from ioc.services.users import create_user
from ioc.uploads import inspect_image, photo_store, store_photo
from tests.citizen import images
from tests.helpers import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"latitude": 10.8072, "longitude": 105.3433}
TIMEOUT = 20_000


@pytest.fixture
def server(live_server) -> str:
    """The base URL of the app served for real."""
    return live_server.url


def phone(browser, base: str):
    """A phone-sized context whose GPS says it stands in Hồng Ngự."""
    return browser.new_context(
        base_url=base, viewport={"width": 390, "height": 844}, device_scale_factor=2,
        is_mobile=True, has_touch=True, geolocation=PHONE, permissions=["geolocation"],
        locale="vi-VN", service_workers="allow")


def wait_until(page, script: str, arg: object = None, timeout: float = TIMEOUT / 1000) -> None:
    """Poll ``script`` (a JS function, awaited) until it returns true; evaluated over CDP,
    so the pages' strict CSP (no eval) stays on."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate(script, arg):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {script}")


def errors_of(page) -> list[str]:
    """Collect JS errors and CSP violations of a page."""
    found: list[str] = []
    page.on("pageerror", lambda exc: found.append(str(exc)))
    page.on("console", lambda msg: found.append(msg.text) if msg.type == "error" else None)
    return found


def test_report_follow_up_and_rate_from_a_phone(browser, server: str, core: Core) -> None:
    with core.uow() as uow:
        create_user(uow, "dieuhanh", "mat-khau-dieu-hanh", "operator")
        uow.commit()

    # the operator's console is open (desktop) before the citizen reports
    desk = browser.new_context(base_url=server, viewport={"width": 1400, "height": 900})
    console = desk.new_page()
    log_in(console, "/console", "dieuhanh", "mat-khau-dieu-hanh", timeout=TIMEOUT)
    console.locator("#live-state[data-state=live]").wait_for(state="attached", timeout=TIMEOUT)

    # the citizen: photo, GPS location, one sentence, send
    ctx = phone(browser, server)
    page = ctx.new_page()
    problems = errors_of(page)
    page.goto("/citizen/")
    wait_until(page, "() => document.getElementById('lat').value !== ''")
    assert abs(float(page.input_value("#lat")) - PHONE["latitude"]) < 1e-6
    assert "Đã lấy vị trí" in page.text_content("#geo-status")
    page.set_input_files("#photo", files=[{"name": "o-ga.jpg", "mimeType": "image/jpeg",
                                           "buffer": images.photo(gps=images.GPS)}])
    page.wait_for_selector("#photo-preview:not([hidden])", timeout=TIMEOUT)
    page.fill("#text", "Ổ gà sâu giữa đường Nguyễn Huệ, xe máy dễ té ngã")
    screenshot(page, "citizen-report-form.png", full_page=True)
    page.click("#submit")
    page.wait_for_selector("#result:not([hidden])", timeout=TIMEOUT)
    code = page.text_content("#result-code").strip()
    assert re.fullmatch(r"PA\d{4}-[A-Z0-9]{6}", code)
    screenshot(page, "citizen-report-sent.png", full_page=True)

    with core.uow() as uow:
        incident = uow.session.scalars(select(Incident).where(Incident.code == code)).one()
        assert incident.channel == "field_report" and len(incident.photos) == 1
        assert abs(incident.lat - PHONE["latitude"]) < 1e-5
        assert incident.extra["location_source"] == "gps"
        if incident.department_code is None:  # the classifier was unsure: the operator triages
            actions.triage(uow, core, incident, Actor("dieuhanh", "operator"), "do_thi")
            uow.commit()
        department = incident.department_code

    # it shows up on the operator console, pushed live
    wait_until(console, "code => document.getElementById('queue').textContent.includes(code)", code)

    # the status page: received and routed
    page.click("#result-link")
    page.wait_for_url(re.compile(rf".*/citizen/track/{code}$"), timeout=TIMEOUT)
    assert "Đã chuyển đến" in page.text_content("#steps")
    assert page.locator("#rating").count() == 0

    # the department resolves it, with a photo of the repair
    staff = Actor("nv.phong", "department", department)
    with core.uow() as uow:
        found = get_incident(uow, staff, code)
        actions.acknowledge(uow, core, found, staff)
        store_photo(uow, photo_store(core.settings), inspect_image(images.photo("PNG")),
                    "staff", found.id)
        actions.resolve(uow, core, found, staff, "Đã vá ổ gà bằng bê tông nhựa")
        uow.commit()

    # the page notices the change by itself when the citizen comes back to it
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_selector("#resolution-note", timeout=TIMEOUT)
    assert "Đã vá ổ gà bằng bê tông nhựa" in page.text_content("#resolution-note")
    assert "Đã giải quyết" in page.text_content("#status-label")
    thumb = page.locator("#resolution-photos img").first
    thumb.wait_for(timeout=TIMEOUT)
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", thumb.element_handle())

    # and rates it
    page.check("input[value=very_satisfied]")
    page.fill("#comment", "Xử lý nhanh, cảm ơn!")
    page.click("#rating-form button[type=submit]")
    page.wait_for_selector("#rated-message", timeout=TIMEOUT)
    assert "Cảm ơn bạn đã đánh giá." in page.text_content("#rated-message")
    assert page.locator("#rating").count() == 0
    screenshot(page, "citizen-status-rated.png", full_page=True)
    with core.uow() as uow:
        feedback = uow.session.scalars(select(Feedback)).one()
        assert (feedback.rating, feedback.comment) == ("very_satisfied", "Xử lý nhanh, cảm ơn!")
        assert uow.session.scalars(select(Incident.status)).one() == "closed"
    assert problems == []
    ctx.close()
    desk.close()


def test_report_filed_offline_is_sent_when_the_connection_returns(browser, server: str,
                                                                 core: Core) -> None:
    ctx = phone(browser, server)
    page = ctx.new_page()
    problems = errors_of(page)
    page.goto("/citizen/")
    wait_until(page, "() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker, which has cached the app shell
    wait_until(page, "() => navigator.serviceWorker.controller !== null")
    wait_until(page, "() => document.getElementById('lat').value !== ''")

    ctx.set_offline(True)
    page.reload()  # the form still opens with no network
    page.wait_for_selector("#report-form", timeout=TIMEOUT)
    wait_until(page, "() => document.getElementById('lat').value !== ''")
    page.fill("#text", "Cột điện nghiêng sắp đổ ở đầu hẻm 5")
    page.click("#submit")
    page.wait_for_selector("#outbox:not([hidden])", timeout=TIMEOUT)
    assert "ngoại tuyến" in page.text_content("#outbox")
    assert page.evaluate("() => IOCQueue.list().then(items => items.length)") == 1
    with core.uow() as uow:
        assert uow.session.scalars(select(Incident)).all() == []

    ctx.set_offline(False)  # 'online' (or Background Sync) sends the queued report
    page.wait_for_selector("#result:not([hidden])", timeout=TIMEOUT)
    code = page.text_content("#result-code").strip()
    wait_until(page, "() => IOCQueue.list().then(items => items.length === 0)")
    with core.uow() as uow:
        incidents = uow.session.scalars(select(Incident)).all()
        assert [i.code for i in incidents] == [code]  # sent once, even if both paths tried
        assert incidents[0].text == "Cột điện nghiêng sắp đổ ở đầu hẻm 5"
    page.reload()
    page.wait_for_selector("#my-reports:not([hidden])", timeout=TIMEOUT)
    assert code in page.text_content("#my-reports-list")
    assert [p for p in problems if "ERR_INTERNET_DISCONNECTED" not in p] == []
    ctx.close()


def test_html_in_a_report_is_text_on_the_public_map(browser, server: str, core: Core) -> None:
    xss = '<img src=x onerror="window.__xss=1"><b>chữ đậm</b>'
    with core.uow() as uow:
        record_reports(uow, core, [NewReport(
            channel="field_report", source_id="xss", text=xss, reported_at=utcnow(),
            lat=10.8071, lon=105.3432, routing=RoutingDecision("do_thi", 0.9, False, "test"))])
        uow.commit()
    ctx = phone(browser, server)
    page = ctx.new_page()
    problems = errors_of(page)
    page.goto("/citizen/map")
    page.locator("#public-map[data-loaded='1']").wait_for(state="attached", timeout=TIMEOUT)
    assert page.text_content("#public-list .text").strip() == xss
    page.locator("path.incident-marker").first.click(force=True)
    popup = page.locator(".leaflet-popup-content .text")
    popup.wait_for(timeout=TIMEOUT)
    assert popup.text_content() == xss
    assert page.locator(".leaflet-popup-content b, .leaflet-popup-content img").count() == 0
    assert page.locator("#public-list b, #public-list img").count() == 0
    assert page.evaluate("() => window.__xss") is None
    assert problems == []
    ctx.close()


def test_mistyped_address_is_the_citizen_page_with_its_way_back(browser, server: str) -> None:
    ctx = phone(browser, server)
    page = ctx.new_page()
    problems = errors_of(page)
    assert page.goto("/citizen/khong-co-trang-nay").status == 404
    assert page.text_content("#error-message").startswith("Không tìm thấy trang này.")
    screenshot(page, "citizen-404.png", full_page=True)
    page.click("#error-back")
    page.wait_for_selector("#report-form", timeout=TIMEOUT)
    assert page.url == f"{server}/citizen/"
    assert [p for p in problems if "status of 404" not in p] == []  # Chromium logs the 404 itself
    ctx.close()
