"""The citizen report rate limit (Settings.report_rate_limit, here 2 a minute): past it,
a localized answer with Retry-After that says to wait or, in an emergency, to call;
nothing stored beyond the limit."""

from __future__ import annotations

import pytest

from ioc.config import Settings
from ioc.core import Core
from tests.citizen.helpers import citizen_page, csrf, json_error, shown, stored, submit

EMERGENCY_VI = "Nếu sự cố khẩn cấp, hãy gọi ngay 113 (công an), 114 (cứu nạn, cứu hỏa) hoặc 115"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The suite's settings with a citizen report limit of 2 a minute."""
    return settings.with_overrides(report_rate_limit="2/minute")


def fill_the_limit(client) -> str:
    """Two reports, both accepted; returns the session's CSRF token."""
    token = csrf(client)
    codes = [submit(client, token=token, text=f"Cống nghẹt đoạn số {i}").status_code
             for i in range(2)]
    assert codes == [201, 201]
    return token


def test_form_post_past_the_limit_is_a_citizen_page_with_retry_after(client, core: Core) -> None:
    token = fill_the_limit(client)
    res = submit(client, token=token, html_form=True, text="Cống nghẹt lần nữa")
    html = citizen_page(res, 429)
    assert shown(html) == "Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau ít phút."
    assert shown(html, "hint").startswith(EMERGENCY_VI)
    assert int(res.headers["Retry-After"]) > 0
    english = submit(client, token=token, html_form=True, query="?lang=en")
    html = citizen_page(english, 429, "en")
    assert shown(html) == "Too many requests. Please try again in a few minutes."
    assert shown(html, "hint").startswith("In an emergency, call 113 (police)")
    assert int(english.headers["Retry-After"]) > 0
    assert stored(core)[0] == 2


def test_fetch_call_past_the_limit_is_json_with_retry_after(client, core: Core) -> None:
    token = fill_the_limit(client)
    res = submit(client, token=token, text="Cống nghẹt lần nữa")
    message = json_error(res, 429)
    assert message.startswith("Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau ít phút.")
    assert EMERGENCY_VI in message
    assert int(res.headers["Retry-After"]) > 0
    assert stored(core)[0] == 2
