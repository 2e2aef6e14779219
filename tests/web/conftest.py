"""Fixtures of the staff web tests: accounts per role, logged-in clients and
incidents in a chosen state (the app served for real is ``live_server`` in tests/conftest.py)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ioc.core import Core
from ioc.db import utcnow
from ioc.routing import RoutingDecision
from ioc.services import incidents as svc
from ioc.services.intake import NewReport, record_reports
from ioc.services.users import actor_for_user, create_token, create_user

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mat-khau-that-dai-9x"
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"|name="csrf_token" value="([^"]+)"')

#: username → (role, department)
ACCOUNTS = {
    "quantri": ("admin", None),
    "dieuhanh": ("operator", None),
    "dothi.an": ("department", "do_thi"),
    "moitruong.binh": ("department", "moi_truong"),
    "lanhdao": ("leader", None),
}
#: The roles of the authorization matrix and the account that plays each.
ROLE_USERS = {
    "admin": "quantri",
    "operator": "dieuhanh",
    "department": "dothi.an",  # the department of the test incidents (do_thi)
    "other_department": "moitruong.binh",
    "leader": "lanhdao",
}

_positions = itertools.count()


@dataclass
class Staff:
    """The accounts of a test and their bearer tokens."""

    tokens: dict[str, str]

    def bearer(self, username: str) -> dict[str, str]:
        """The Authorization header of ``username``."""
        return {"Authorization": f"Bearer {self.tokens[username]}"}


@pytest.fixture
def staff(core: Core, monkeypatch: pytest.MonkeyPatch) -> Staff:
    """One account per role (plus a second department), each with an API token.

    The accounts are hashed with cheap argon2 parameters (verification reads
    the parameters from the hash), so logging in costs milliseconds in tests.
    """
    from argon2 import PasswordHasher

    from ioc.services import users

    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024,
                                                         parallelism=1))
    tokens = {}
    with core.uow() as uow:
        for username, (role, dept) in ACCOUNTS.items():
            user = create_user(uow, username, PASSWORD, role, dept, full_name=username.title())
            tokens[username] = create_token(uow, user, "tests")
        uow.commit()
    return Staff(tokens)


def csrf_from(html: str) -> str:
    """The CSRF token in a rendered page."""
    match = CSRF.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1) or match.group(2)


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """A CSRF token valid for the client's session (from ``path`` or where it redirects)."""
    return csrf_from(client.get(path, follow_redirects=True).get_data(as_text=True))


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> None:
    """Log the test client in through the real form (with its CSRF token)."""
    token = csrf_token(client, "/login")
    res = client.post("/login", data={"username": username, "password": password,
                                      "csrf_token": token})
    assert res.status_code == 302, res.get_data(as_text=True)[:500]


@pytest.fixture
def client_for(app: Flask, staff: Staff):
    """``client_for(username)``: a test client logged in as that account (None: anonymous)."""
    cache: dict[str | None, FlaskClient] = {}

    def make(username: str | None) -> FlaskClient:
        if username not in cache:
            client = app.test_client()
            if username is not None:
                login(client, username)
            cache[username] = client
        return cache[username]

    return make


def make_incident(core: Core, department: str | None = "do_thi", *, urgent: bool = False,
                  text: str | None = None, channel: str = "field_report",
                  lat: float | None = None, lon: float | None = None,
                  candidates: tuple[tuple[str, float], ...] = ()) -> int:
    """A new incident routed to ``department`` (None: awaiting triage), far from the others."""
    n = next(_positions)
    if lat is None:
        lat, lon = 10.74 + (n % 40) * 0.004, 105.30 + (n // 40 % 40) * 0.004
    report = NewReport(
        channel=channel, source_id=f"web-test-{n}", reported_at=utcnow(), lat=lat, lon=lon,
        text=text or f"Phản ánh thử nghiệm số {n}: đèn đường hư, cống nghẹt đoạn {n}",
        address=f"{n} Nguyễn Huệ",
        routing=RoutingDecision(department, 0.91 if department else 0.2, urgent, "test",
                                candidates))
    with core.uow() as uow:
        incident = record_reports(uow, core, [report]).created[0]
        uow.commit()
        return incident.id


def move_to(core: Core, incident_id: int, status: str, username: str = "dothi.an") -> None:
    """Bring an incident to ``acknowledged``/``in_progress``/``resolved`` through the services."""
    from ioc.models import User

    steps = {"acknowledged": ["acknowledge"], "in_progress": ["acknowledge", "start"],
             "resolved": ["acknowledge", "resolve"]}[status]
    with core.uow() as uow:
        user = uow.session.query(User).filter_by(username=username).one()
        who = actor_for_user(user)
        inc = svc.get_incident(uow, who, incident_id)
        for step in steps:
            if step == "resolve":
                svc.resolve(uow, core, inc, who, "Đã xử lý xong")
            else:
                getattr(svc, step)(uow, core, inc, who)
        uow.commit()
