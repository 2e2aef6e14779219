"""Staff log-in: password check, sessions, logout, CSRF, throttling, shell-made accounts."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from ioc.config import Settings
from ioc.core import Core
from ioc.models import Incident, User
from tests.web.conftest import PASSWORD, csrf_token, login, make_incident


def test_login_page_is_vietnamese_and_carries_a_csrf_token(client) -> None:
    res = client.get("/login")
    html = res.get_data(as_text=True)
    assert res.status_code == 200
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html and "Mật khẩu" in html and "Tên đăng nhập" in html
    assert 'name="csrf_token"' in html


def test_login_with_the_right_password_lands_on_the_role_home(app, staff) -> None:
    homes = {"dieuhanh": "/console", "quantri": "/console", "lanhdao": "/console",
             "dothi.an": "/inbox"}
    for username, home in homes.items():
        client = app.test_client()
        token = csrf_token(client)
        res = client.post("/login", data={"username": username.upper(), "password": PASSWORD,
                                          "csrf_token": token})
        assert res.status_code == 302 and res.location == home, username
        cookie = res.headers.get("Set-Cookie", "")
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_wrong_password_or_unknown_user_is_refused_the_same_way(app, staff) -> None:
    client = app.test_client()
    for username, password in (("dieuhanh", "sai-mat-khau"), ("khong-co-ai", PASSWORD)):
        res = client.post("/login", data={"username": username, "password": password,
                                          "csrf_token": csrf_token(client)})
        assert res.status_code == 401
        assert "Sai tên đăng nhập hoặc mật khẩu." in res.get_data(as_text=True)
    assert client.get("/console").status_code == 302


def test_next_only_redirects_inside_the_site(app, staff) -> None:
    for target, expected in (("/console/triage", "/console/triage"),
                             ("https://evil.example/x", "/console"),
                             ("//evil.example/x", "/console"), ("/\\evil.example", "/console")):
        client = app.test_client()
        res = client.post(f"/login?next={target}", data={
            "username": "dieuhanh", "password": PASSWORD, "csrf_token": csrf_token(client)})
        assert res.location == expected, target


def test_anonymous_pages_redirect_to_login_with_next(client) -> None:
    res = client.get("/console")
    assert res.status_code == 302 and res.location.startswith("/login?next=/console")


def test_logout_needs_post_and_csrf_and_ends_the_session(app, staff) -> None:
    client = app.test_client()
    login(client, "dieuhanh")
    assert client.get("/logout").status_code == 405
    refused = client.post("/logout")
    assert refused.status_code == 400
    assert client.get("/console").status_code == 200  # still logged in
    res = client.post("/logout", data={"csrf_token": csrf_token(client, "/console")})
    assert res.status_code == 302 and res.location == "/login"
    assert client.get("/console").status_code == 302
    assert "Bạn đã đăng xuất." in client.get("/login").get_data(as_text=True)


def test_form_post_without_csrf_token_is_refused_with_a_clear_message(app, core: Core,
                                                                      staff) -> None:
    iid = make_incident(core, "do_thi")
    client = app.test_client()
    login(client, "dothi.an")
    res = client.post(f"/inbox/incidents/{iid}/acknowledge")
    html = res.get_data(as_text=True)
    assert res.status_code == 400
    assert "mã bảo vệ CSRF" in html and "The CSRF token is missing." in html
    bad = client.post(f"/inbox/incidents/{iid}/acknowledge", data={"csrf_token": "forged"})
    assert bad.status_code == 400 and "CSRF" in bad.get_data(as_text=True)
    anonymous = app.test_client().post("/login", data={"username": "dieuhanh",
                                                        "password": PASSWORD})
    assert anonymous.status_code == 400
    with core.uow() as uow:
        assert uow.session.get(Incident, iid).status == "routed"  # nothing happened
    english = client.post(f"/inbox/incidents/{iid}/acknowledge?lang=en")
    assert "CSRF protection token is missing or invalid" in english.get_data(as_text=True)


def test_bearer_requests_are_not_subject_to_csrf(client, staff) -> None:
    # A token is not an ambient credential: a cross-site page cannot send it.
    res = client.post("/api/v1/incidents", headers=staff.bearer("dieuhanh"))
    assert res.status_code == 405  # reached the routing layer, not refused for CSRF


def test_repeated_failures_are_throttled(app, staff) -> None:
    client = app.test_client()
    token = csrf_token(client)
    codes = [client.post("/login", data={"username": "lanhdao", "password": "sai",
                                         "csrf_token": token}).status_code for _ in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429
    res = client.post("/login", data={"username": "lanhdao", "password": PASSWORD,
                                      "csrf_token": token})
    assert res.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in res.get_data(as_text=True)


def test_a_deactivated_account_loses_its_session(app, core: Core, staff) -> None:
    client = app.test_client()
    login(client, "dieuhanh")
    assert client.get("/console").status_code == 200
    with core.uow() as uow:
        uow.session.execute(update(User).where(User.username == "dieuhanh").values(active=False))
        uow.commit()
    assert client.get("/console").status_code == 302


@pytest.mark.usefixtures("core")
def test_accounts_and_tokens_made_from_the_shell_work_in_the_web_app(
        app, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from ioc.cli import main

    monkeypatch.setenv("IOC_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("IOC_INSTANCE_DIR", str(settings.instance_dir))
    monkeypatch.setenv("IOC_TAXONOMY", str(settings.taxonomy_path))
    runner = CliRunner()
    made = runner.invoke(main, ["users", "create", "capnuoc.hoa", "--role", "department",
                                "--department", "cap_nuoc", "--password", PASSWORD])
    assert made.exit_code == 0, made.output
    token = runner.invoke(main, ["tokens", "create", "capnuoc.hoa"]).output.strip()
    assert token.startswith("ioc_")
    client = app.test_client()
    login(client, "capnuoc.hoa")
    assert client.get("/inbox").status_code == 200
    res = client.get("/api/v1/incidents", headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 200
