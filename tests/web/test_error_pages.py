"""Unknown URLs and methods outside the API: a small page on the base template, never werkzeug's."""

from __future__ import annotations

import pytest

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
