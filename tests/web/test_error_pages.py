"""HTTP errors outside the API and the citizen app (unknown URL or method, upload too large,
too many requests, ...): a small page on the base template that says what to do, never
werkzeug's."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import BadRequest, ServiceUnavailable, TooManyRequests

from ioc.models import Incident
from tests.helpers import multipart
from tests.web.conftest import csrf_token, make_incident

WERKZEUG = "The requested URL was not found on the server"


def test_unknown_url_is_a_vietnamese_page_on_the_base_template(client) -> None:
    res = client.get("/khong-co-trang-nay")
    html = res.get_data(as_text=True)
    assert res.status_code == 404 and res.mimetype == "text/html"
    assert '<html lang="vi">' in html and 'class="topbar"' in html  # the base template
    assert "404 · Không tìm thấy" in html
    assert "Trang hoặc phản ánh này không tồn tại, hoặc bạn không có quyền xem." in html
    assert "Về trang chính" in html and WERKZEUG not in html


def test_unknown_url_in_english_on_request(client) -> None:
    res = client.get("/khong-co-trang-nay?lang=en")
    html = res.get_data(as_text=True)
    assert res.status_code == 404 and '<html lang="en">' in html
    assert "404 · Not found" in html and "Back to the start page" in html
    assert "ioc_lang=en" in res.headers["Set-Cookie"]


@pytest.mark.parametrize("lang, title", [("vi", "405 · Phương thức không được hỗ trợ"),
                                         ("en", "405 · Method not allowed")])
def test_wrong_method_is_a_page_too(client, lang: str, title: str) -> None:
    res = client.delete(f"/healthz?lang={lang}")
    assert res.status_code == 405 and res.mimetype == "text/html"
    assert title in res.get_data(as_text=True)
    assert "GET" in res.headers["Allow"]


def test_logged_in_staff_keep_their_navigation_on_the_error_page(client_for) -> None:
    res = client_for("dieuhanh").get("/console/khong-co")
    html = res.get_data(as_text=True)
    assert res.status_code == 404 and "Bản đồ điều hành" in html and "Đăng xuất" in html


def test_staff_blueprint_404s_are_the_same_page(client_for) -> None:
    res = client_for("dothi.an").get("/inbox/incidents/999999")
    assert res.status_code == 404 and "404 · Không tìm thấy" in res.get_data(as_text=True)


def test_clients_asking_for_json_get_json(client) -> None:
    res = client.get("/khong-co-trang-nay", headers={"Accept": "application/json"})
    assert res.status_code == 404 and res.get_json()["error"]["status"] == 404


def staff_page(res, status: int, title: str, lang: str = "vi") -> str:
    """The page's HTML, after checking it is the staff error page with ``status · title``."""
    html = res.get_data(as_text=True)
    assert res.status_code == status and res.mimetype == "text/html"
    assert f'<html lang="{lang}">' in html and 'class="topbar"' in html
    assert f"{status} · {title}" in html and "<title>" in html and WERKZEUG not in html
    return html


def test_upload_past_the_app_limit_is_a_staff_page_and_stores_nothing(core, client_for) -> None:
    iid = make_incident(core, "do_thi")
    staff = client_for("dothi.an")

    def events() -> list[str]:
        with core.uow() as uow:
            return [e.kind for e in uow.session.get(Incident, iid).events]

    before = events()

    def post_note(query: str = ""):
        too_large = FileStorage(io.BytesIO(b"\xff" * (17 * 1024 * 1024)), "hien-truong.jpg",
                                content_type="image/jpeg")
        form = {"csrf_token": csrf_token(staff, "/inbox"), "note": "Ảnh hiện trường",
                "photos": too_large}
        return staff.post(f"/inbox/incidents/{iid}/note{query}", **multipart(form))

    html = staff_page(post_note(), 413, "Dữ liệu gửi lên quá lớn")
    assert "Hãy chọn ảnh nhỏ hơn hoặc gửi ít ảnh hơn mỗi lần, rồi thử lại." in html
    html = staff_page(post_note("?lang=en"), 413, "Upload too large", "en")
    assert "Pick smaller photos or send fewer at a time, then try again." in html
    assert events() == before
    assert not (core.settings.instance_dir / "uploads" / str(iid)).exists()


def test_too_many_requests_is_a_staff_page_keeping_retry_after(client, raising) -> None:
    path = raising(TooManyRequests(retry_after=42))
    res = client.get(path)
    html = staff_page(res, 429, "Quá nhiều yêu cầu")
    assert "Vui lòng đợi vài phút rồi thử lại." in html
    assert res.headers["Retry-After"] == "42"
    english = client.get(f"{path}?lang=en")
    assert "wait a few minutes" in staff_page(english, 429, "Too many requests", "en")
    assert english.headers["Retry-After"] == "42"


@pytest.mark.parametrize(("exc", "title", "text"), [
    (BadRequest(), "Yêu cầu bị từ chối", "Không xử lý được yêu cầu này."),
    (ServiceUnavailable(), "Lỗi hệ thống", "Vui lòng thử lại sau ít phút."),
], ids=["400", "503"])
def test_other_http_errors_are_pages_too(client, raising, exc, title: str, text: str) -> None:
    html = staff_page(client.get(raising(exc)), exc.code, title)
    assert text in html and exc.description not in html  # not werkzeug's English


def test_an_unexpected_exception_is_a_page_on_html_paths_and_json_under_the_api(
        client, raising) -> None:
    page, api, citizen_page = (raising(RuntimeError("boom"), prefix)
                               for prefix in ("/thu-loi", "/api/v1/thu-loi", "/citizen/thu-loi"))
    html = staff_page(client.get(page), 500, "Lỗi hệ thống")
    assert "Vui lòng thử lại sau ít phút." in html and "boom" not in html
    res = client.get(api)
    assert res.status_code == 500 and "boom" not in res.get_data(as_text=True)
    assert res.get_json()["error"]["status"] == 500
    citizen = client.get(citizen_page)
    assert citizen.status_code == 500 and "Về trang gửi phản ánh" in citizen.get_data(as_text=True)
