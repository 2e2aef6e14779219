"""Status page, rating, public map and the PWA files, through the real app."""

from __future__ import annotations

from sqlalchemy import select

from ioc.actors import Actor
from ioc.core import Core
from ioc.db import utcnow
from ioc.models import Feedback, Incident
from ioc.routing import RoutingDecision
from ioc.services import incidents as actions
from ioc.services.intake import NewReport, record_reports
from ioc.uploads import inspect_image, photo_store, store_photo
from tests.citizen import images
from tests.citizen.helpers import JSON, csrf

XSS = '<img src=x onerror="alert(1)"><b>in đậm</b>'
STAFF = Actor("nv.dothi", "department", "do_thi")


def seed(core: Core, text: str, lat: float = 10.8071, channel: str = "field_report",
         department: str | None = "do_thi", source: str = "s-1") -> str:
    with core.uow() as uow:
        incident = record_reports(uow, core, [NewReport(
            channel=channel, source_id=source, text=text, reported_at=utcnow(), lat=lat,
            lon=105.34317, reporter_name="Trần Thị Bé", reporter_phone="0909000111",
            routing=RoutingDecision(department, 0.9, False, "test"))]).created[0]
        uow.commit()
        return incident.code


def resolve(core: Core, code: str, note: str, with_photo: bool = True) -> None:
    from ioc.services.incidents import get_incident

    with core.uow() as uow:
        incident = get_incident(uow, STAFF, code)
        actions.acknowledge(uow, core, incident, STAFF)
        if with_photo:
            store_photo(uow, photo_store(core.settings), inspect_image(images.photo()), "staff",
                        incident.id)
        actions.resolve(uow, core, incident, STAFF, note)
        uow.commit()


def test_status_page_follows_the_incident_and_takes_the_rating(client, core: Core) -> None:
    code = seed(core, "Cống thoát nước bị tắc, nước ngập đường")
    page = client.get(f"/citizen/track/{code.lower()}")
    assert page.status_code == 200
    assert "Đã tiếp nhận" in page.text and "Đã chuyển đến" in page.text
    assert "Phòng Quản lý đô thị" in page.text and "Hạn xử lý" in page.text
    assert "Trần Thị Bé" not in page.text and "0909000111" not in page.text
    assert 'id="rating"' not in page.text
    early = client.post(f"/citizen/track/{code}/rate", data={"rating": "satisfied"},
                        headers={"X-CSRFToken": csrf(client), **JSON})
    assert early.status_code == 409
    assert early.get_json()["error"]["message"] == "Chỉ đánh giá được khi phản ánh đã được giải quyết."

    resolve(core, code, "Đã nạo vét cống, nước đã rút")
    data = client.get(f"/citizen/api/track/{code}").get_json()
    assert data["status"] == "resolved" and data["can_rate"] is True
    assert [s["key"] for s in data["steps"]] == [
        "step_received", "step_routed", "step_acknowledged", "step_resolved"]
    page = client.get(f"/citizen/track/{code}")
    assert "Đã giải quyết" in page.text and "Đã nạo vét cống, nước đã rút" in page.text
    assert 'id="resolution-photos"' in page.text and "/uploads/thumbs/" in page.text
    assert 'id="rating"' in page.text

    token = csrf(client)
    bad = client.post(f"/citizen/track/{code}/rate", data={"rating": "meh"},
                      headers={"X-CSRFToken": token, **JSON})
    assert bad.status_code == 400
    res = client.post(f"/citizen/track/{code}/rate",
                      data={"rating": "very_satisfied", "comment": "Cảm ơn!", "csrf_token": token})
    assert res.status_code == 303 and res.location.endswith("rated=thanks")
    assert "Cảm ơn bạn đã đánh giá." in client.get(res.location).text
    with core.uow() as uow:
        feedback = uow.session.scalars(select(Feedback)).one()
        assert (feedback.rating, feedback.comment) == ("very_satisfied", "Cảm ơn!")
        assert uow.session.scalars(select(Incident)).one().status == "closed"
    again = client.post(f"/citizen/track/{code}/rate", data={"rating": "satisfied"},
                        headers={"X-CSRFToken": token, **JSON})
    assert again.status_code == 409
    assert "đã được đánh giá" in again.get_json()["error"]["message"]


def test_not_satisfied_reopens_for_review(client, core: Core) -> None:
    code = seed(core, "Đèn đường hỏng")
    resolve(core, code, "Đã thay bóng đèn", with_photo=False)
    res = client.post(f"/citizen/track/{code}/rate",
                      data={"rating": "not_satisfied", "comment": "Đèn vẫn chưa sáng"},
                      headers={"X-CSRFToken": csrf(client), **JSON})
    assert res.get_json() == {"code": code, "status": "reopened", "outcome": "reopened"}
    page = client.get(f"/citizen/track/{code}?rated=reopened")
    assert "Đã mở lại để xem xét" in page.text
    assert "Phản ánh đã được mở lại để xem xét." in page.text


def test_lookup_and_unknown_codes(client, core: Core) -> None:
    code = seed(core, "Cây đổ")
    res = client.get(f"/citizen/track?code={code.lower()}")
    assert res.status_code == 303 and res.location == f"/citizen/track/{code}"
    assert "Nhập mã theo dõi" in client.get("/citizen/track").text
    for key in ("PA0000-ZZZZZZ", "1", "<script>"):
        missing = client.get(f"/citizen/track/{key}")
        assert missing.status_code == 404
        assert "Không tìm thấy phản ánh với mã này." in missing.text
    api = client.get("/citizen/api/track/1")
    assert api.status_code == 404 and api.get_json()["error"]["status"] == 404


def test_html_in_reports_is_shown_as_text(client, core: Core) -> None:
    code = seed(core, XSS)
    page = client.get(f"/citizen/track/{code}").text
    assert "<b>in đậm</b>" not in page and "<img src=x" not in page
    assert "&lt;b&gt;in đậm&lt;/b&gt;" in page
    public = client.get("/citizen/map").text
    assert "<b>in đậm</b>" not in public and "&lt;b&gt;in đậm&lt;/b&gt;" in public
    items = client.get("/citizen/api/public-incidents").get_json()["items"]
    assert items[0]["text"] == XSS  # data stays data; the map's JS puts it in with textContent


def test_public_map_has_no_personal_data(client, core: Core) -> None:
    shown = seed(core, "Rác ùn ứ, liên hệ 0912.345.678 hoặc a.b@mail.vn", source="a")
    seed(core, "Trộm xe máy, người gọi Nguyễn Văn A", lat=10.82, channel="hotline", source="b")
    rejected = seed(core, "Quảng cáo", lat=10.83, source="c")
    with core.uow() as uow:
        from ioc.services.incidents import get_incident

        operator = Actor("op", "operator")
        actions.reject(uow, core, get_incident(uow, operator, rejected), operator, "spam")
        uow.commit()
    res = client.get("/citizen/api/public-incidents")
    items = res.get_json()["items"]
    assert [i["code"] for i in items] == [shown]
    item = items[0]
    assert item["text"] == "Rác ùn ứ, liên hệ ••• hoặc •••@•••"
    assert (item["lat"], item["lon"]) == (10.807, 105.343)
    assert "Trần Thị Bé" not in res.text and "0909000111" not in res.text
    assert "reporter" not in res.text
    near = client.get("/citizen/api/public-incidents?near=10.8072,105.3433").get_json()["items"]
    far = client.get("/citizen/api/public-incidents?near=10.90,105.50").get_json()["items"]
    assert [i["code"] for i in near] == [shown] and far == []
    assert client.get("/citizen/api/public-incidents?near=x").status_code == 400
    page = client.get("/citizen/map")
    assert shown in page.text and "Trộm xe máy" not in page.text
    assert "vendor/leaflet-1.9.4/leaflet.js" in page.text


def test_pwa_manifest_service_worker_and_language(client) -> None:
    manifest = client.get("/citizen/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    data = manifest.get_json()
    assert data["start_url"] == data["scope"] == "/citizen/"
    assert data["display"] == "standalone" and data["lang"] == "vi"
    assert {i["sizes"] for i in data["icons"]} == {"192x192", "512x512"}
    for icon in data["icons"]:
        with client.get(icon["src"]) as res:
            assert res.status_code == 200 and res.mimetype == "image/png"
    with client.get("/citizen/sw.js") as sw:
        assert sw.status_code == 200 and "javascript" in sw.mimetype
        assert sw.headers["Service-Worker-Allowed"] == "/citizen/"
        assert "no-cache" in sw.headers["Cache-Control"]
        assert b"sync" in sw.data and b"ioc-citizen-v1" in sw.data
    page = client.get("/citizen/")
    assert 'rel="manifest"' in page.text and 'capture="environment"' in page.text
    assert "Gửi phản ánh" in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    english = client.get("/citizen/?lang=en")
    assert 'lang="en"' in english.text and "Send report" in english.text
    assert "Send report" in client.get("/citizen/").text  # remembered in the cookie
    assert "Gửi phản ánh" in client.get("/citizen/?lang=vi").text
    assert client.get("/citizen/offline").status_code == 200


def test_duplicate_report_points_to_the_original(client, core: Core) -> None:
    text = "Ống nước bị vỡ, nước chảy lênh láng ra đường"
    first = seed(core, text, source="first")
    second = seed(core, text, source="second")
    data = client.get(f"/citizen/api/track/{second}").get_json()
    assert data["status"] == "duplicate" and data["original"] == first
    assert data["open"] is False
    assert [s["key"] for s in data["steps"]] == ["step_received", "step_duplicate"]
    assert f"/citizen/track/{first}" in client.get(f"/citizen/track/{second}").text
    assert client.get(f"/citizen/api/track/{first}").get_json()["report_count"] == 2
    codes = [i["code"] for i in client.get("/citizen/api/public-incidents").get_json()["items"]]
    assert codes == [first]  # merged reports are not shown twice on the map
