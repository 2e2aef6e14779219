"""Filing a report from the citizen app: the core pipeline, idempotency, limits, refusals."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from ioc.core import Core
from ioc.models import Incident, Upload
from ioc.uploads import PhotoStore, key_from_url
from tests.citizen import images
from tests.citizen.helpers import JSON, csrf, stored, submit


def test_report_with_photo_becomes_a_routed_incident(client, core: Core) -> None:
    client_id = str(uuid.uuid4())
    res = submit(client, images.photo(gps=images.GPS), client_id=client_id,
                 text="Đèn đường bị hỏng, cả đoạn đường tối om", category="do_thi",
                 name="Trần Thị Bé", phone="0909 123 456", location_source="gps")
    assert res.status_code == 201, res.get_json()
    body = res.get_json()
    assert body["created"] is True
    assert body["status_url"] == f"/citizen/track/{body['code']}"
    with core.uow() as uow:
        incident = uow.session.scalars(select(Incident)).one()
        assert incident.code == body["code"]
        assert (incident.channel, incident.source_id) == ("field_report", client_id)
        assert incident.department_code == "do_thi" and incident.status == "routed"
        assert incident.resolve_due_at is not None
        assert (incident.reporter_name, incident.reporter_phone) == ("Trần Thị Bé", "0909 123 456")
        assert incident.extra["location_source"] == "gps"
        photo_path = incident.photos[0]
        key = key_from_url(photo_path)
        upload = uow.session.scalars(select(Upload)).one()
        assert upload.key == key and upload.incident_id == incident.id
    with client.get(photo_path) as photo, client.get(f"/uploads/thumbs/{key}.jpg") as thumb:
        assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
        assert images.CAMERA.encode() not in photo.data and b"Exif" not in photo.data
        assert thumb.status_code == 200 and len(thumb.data) < len(photo.data)
        assert photo.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/uploads/" + "0" * 32 + ".jpg").status_code == 404


def test_replayed_client_id_returns_the_same_code(client, core: Core) -> None:
    client_id = str(uuid.uuid4())
    first = submit(client, images.photo(), client_id=client_id)
    again = submit(client, images.photo(), client_id=client_id)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["code"] == first.get_json()["code"]
    assert again.get_json()["created"] is False
    assert stored(core) == (1, 1, 2)  # one incident, one photo (+ its thumbnail)


def test_exif_position_is_used_when_the_phone_gave_none(client, core: Core) -> None:
    res = submit(client, images.photo(gps=images.GPS), lat=None, lon=None)
    assert res.status_code == 201, res.get_json()
    with core.uow() as uow:
        incident = uow.session.scalars(select(Incident)).one()
        assert (round(incident.lat, 3), round(incident.lon, 3)) == images.GPS_DECIMAL
        assert incident.extra["location_source"] == "exif"


def test_typed_address_is_the_fallback(client, core: Core) -> None:
    res = submit(client, lat=None, lon=None, address="12 Nguyễn Huệ, phường An Thạnh")
    assert res.status_code == 201
    with core.uow() as uow:
        incident = uow.session.scalars(select(Incident)).one()
        assert incident.lat is None and incident.address.startswith("12 Nguyễn Huệ")


@pytest.mark.parametrize(("fields", "message_vi"), [
    ({"text": "   "}, "Vui lòng mô tả sự cố."),
    ({"text": "x" * 2001}, "Mô tả quá dài (tối đa 2000 ký tự)."),
    ({"lat": None, "lon": None}, "Cần vị trí trên bản đồ hoặc địa chỉ."),
    ({"lat": "48.85", "lon": "2.35"}, "Vị trí không hợp lệ hoặc nằm ngoài địa bàn thành phố."),
    ({"lat": "abc"}, "Vị trí không hợp lệ hoặc nằm ngoài địa bàn thành phố."),
    ({"phone": "<script>"}, "Số điện thoại không hợp lệ."),
    ({"category": "nope"}, "Lĩnh vực không hợp lệ."),
    ({"name": "N" * 201}, "Trường “Họ tên” quá dài (tối đa 200 ký tự)."),
    ({"address": "A" * 501}, "Trường “Địa chỉ (nếu không có vị trí)” quá dài (tối đa 500 ký tự)."),
    ({"client_id": "bad id!"}, "Mã gửi không hợp lệ."),
])
def test_invalid_input_is_a_400_with_a_vietnamese_message(client, core: Core, fields,
                                                          message_vi) -> None:
    res = submit(client, **fields)
    assert res.status_code == 400
    assert res.get_json()["error"]["message"] == message_vi
    assert stored(core) == (0, 0, 0)


def test_messages_switch_to_english(client) -> None:
    res = client.post("/citizen/report?lang=en", data={"text": ""},
                      headers={"X-CSRFToken": csrf(client), **JSON})
    assert res.status_code == 400
    assert res.get_json()["error"]["message"] == "Please describe the problem."


@pytest.mark.parametrize(("raw", "status", "words"), [
    (images.not_an_image(), 415, "không phải là ảnh"),
    (images.oversized_jpeg(), 413, "quá lớn"),
    (images.png_header_only(30000, 30000), 413, "quá lớn"),
    (images.png_header_only(10000, 10000), 413, "quá lớn"),
    (images.truncated_jpeg(), 400, "bị hỏng"),
], ids=["non-image-renamed-jpg", "oversized", "decompression-bomb", "bomb-warning", "truncated"])
def test_bad_photos_are_refused_and_nothing_is_stored(client, core: Core, raw, status,
                                                      words) -> None:
    res = submit(client, raw, filename="photo.jpg")
    assert res.status_code == status
    assert words in res.get_json()["error"]["message"]
    assert stored(core) == (0, 0, 0)


def test_body_past_the_app_limit_is_a_413_with_a_message(client, core: Core) -> None:
    res = submit(client, b"\xff" * (17 * 1024 * 1024))
    assert res.status_code == 413
    assert res.get_json()["error"]["message"] == (
        "Ảnh quá lớn: tối đa 8 MB. Hãy chọn ảnh nhỏ hơn (hoặc chụp lại ở độ phân giải thấp hơn), "
        "hoặc gửi phản ánh không kèm ảnh.")
    assert stored(core) == (0, 0, 0)


def test_html_form_without_javascript(client, core: Core) -> None:
    page = client.get("/citizen/")
    assert page.status_code == 200 and 'lang="vi"' in page.text
    bad = submit(client, as_json=False, text="")
    assert bad.status_code == 400 and "Vui lòng mô tả sự cố." in bad.text
    assert 'name="lat"' in bad.text  # the form is shown again
    ok = submit(client, as_json=False, text="Rác thải đổ trộm ven kênh")
    assert ok.status_code == 303 and ok.location.startswith("/citizen/track/PA")
    refused = submit(client, images.not_an_image(), as_json=False)
    assert refused.status_code == 415 and "không phải là ảnh" in refused.text


def test_csrf_token_is_required(client, core: Core) -> None:
    res = client.post("/citizen/report", data={"text": "Ổ gà", "lat": "10.807", "lon": "105.343"},
                      headers=JSON)
    assert res.status_code == 400
    assert "tải lại trang" in res.get_json()["error"]["message"]
    assert stored(core) == (0, 0, 0)


def test_rate_limit_answers_429_with_a_clear_message(app, client, core: Core) -> None:
    app.config["IOC_REPORT_RATE_LIMIT"] = "3 per minute"
    token = csrf(client)
    codes = [submit(client, token=token, text=f"Cây đổ chắn đường số {i}",
                    lat=str(10.80 + i * 0.01)).status_code for i in range(3)]
    assert codes == [201, 201, 201]
    res = submit(client, token=token, text="Cây đổ lần nữa")
    assert res.status_code == 429
    message = res.get_json()["error"]["message"]
    assert "quá nhiều" in message
    assert "Retry-After" in res.headers
    html = submit(client, token=token, as_json=False)
    assert html.status_code == 429 and "Vui lòng thử lại sau ít phút" in html.text
    english = client.post("/citizen/report?lang=en", data={"text": "x"},
                          headers={"X-CSRFToken": token, **JSON})
    assert english.get_json()["error"]["message"].startswith("Too many requests")
    assert stored(core)[0] == 3
    assert client.get("/citizen/").status_code == 200  # reading is not limited


def test_photo_store_is_the_instance_folder(client, core: Core) -> None:
    submit(client, images.photo())
    store = PhotoStore(core.settings.instance_dir / "uploads" / "photos")
    with core.uow() as uow:
        key = uow.session.scalars(select(Upload.key)).one()
    assert store.exists(key) and store.exists(key, thumb=True)
