"""Errors under /citizen/ are the citizen app's own: its page style and strings (Vietnamese,
English with ?lang=en), a way back to /citizen/, JSON for its fetch calls; never werkzeug's
page or the staff area's."""

from __future__ import annotations

import pytest

from ioc.core import Core
from tests.citizen.helpers import JSON, citizen_page, json_error, shown, stored, submit

PAST_APP_LIMIT = b"\xff" * (17 * 1024 * 1024)  # MAX_CONTENT_LENGTH is 16 MB


def test_mistyped_address_is_a_vietnamese_citizen_page(client) -> None:
    html = citizen_page(client.get("/citizen/khong-co-trang-nay"), 404)
    # not "Không tìm thấy phản ánh với mã này.": that is for an unknown tracking code
    assert shown(html) == ("Không tìm thấy trang này. Có thể địa chỉ bị gõ sai hoặc trang "
                           "không còn nữa.")
    assert ">Về trang gửi phản ánh</a>" in html


def test_mistyped_address_in_english_on_request(client) -> None:
    res = client.get("/citizen/khong-co-trang-nay?lang=en")
    html = citizen_page(res, 404, "en")
    assert shown(html) == "This page does not exist. The address may be mistyped, or the page is gone."
    assert ">Back to the report page</a>" in html
    assert "ioc_lang=en" in res.headers["Set-Cookie"]


def test_unknown_tracking_code_keeps_its_own_message(client) -> None:
    html = citizen_page(client.get("/citizen/track/PA2024-ZZZZZZ"), 404)
    assert shown(html) == "Không tìm thấy phản ánh với mã này."
    english = citizen_page(client.get("/citizen/track/PA2024-ZZZZZZ?lang=en"), 404, "en")
    assert shown(english) == "No report has this code."


def test_fetch_calls_to_unknown_citizen_urls_get_json(client) -> None:
    message = json_error(client.get("/citizen/api/khong-co", headers=JSON), 404)
    assert message == "Không tìm thấy trang này. Có thể địa chỉ bị gõ sai hoặc trang không còn nữa."


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("get", "/citizen/report", "POST"),
    ("delete", "/citizen/", "GET"),
    ("put", "/citizen/track/PA2024-ZZZZZZ/rate", "POST"),
])
def test_wrong_method_is_a_citizen_page(client, method: str, path: str, allowed: str) -> None:
    res = getattr(client, method)(path)
    html = citizen_page(res, 405)
    assert shown(html).startswith("Trang này không nhận loại yêu cầu vừa gửi.")
    assert allowed in res.headers["Allow"]
    english = citizen_page(getattr(client, method)(f"{path}?lang=en"), 405, "en")
    assert shown(english).startswith("This page does not accept that kind of request.")


def test_oversized_form_post_is_a_citizen_page_and_stores_nothing(client, core: Core) -> None:
    res = submit(client, PAST_APP_LIMIT, html_form=True)
    html = citizen_page(res, 413)
    assert shown(html) == "Ảnh quá lớn: tối đa 8 MB."
    assert shown(html, "hint").startswith("Hãy chọn ảnh nhỏ hơn (hoặc chụp lại ở độ phân giải")
    english = citizen_page(submit(client, PAST_APP_LIMIT, html_form=True, query="?lang=en"),
                           413, "en")
    assert shown(english) == "The photo is too large: at most 8 MB."
    assert shown(english, "hint").startswith("Pick a smaller photo")
    assert stored(core) == (0, 0, 0)


def test_oversized_fetch_call_is_json_and_stores_nothing(client, core: Core) -> None:
    message = json_error(submit(client, PAST_APP_LIMIT), 413)
    assert message.startswith("Ảnh quá lớn: tối đa 8 MB. Hãy chọn ảnh nhỏ hơn")
    english = json_error(submit(client, PAST_APP_LIMIT, query="?lang=en"), 413)
    assert english.startswith("The photo is too large: at most 8 MB. Pick a smaller photo")
    assert stored(core) == (0, 0, 0)
