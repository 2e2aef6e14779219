"""Every endpoint × every role, with the expected status code.

Roles: anonymous, admin, operator, staff of the incident's department
(do_thi), staff of another department (moi_truong), leader. Pages and forms
send anonymous visitors to the login page (302); data endpoints answer 401.
A department user asking for another department's incident gets 404, never
the incident and never a 403 that would confirm it exists. Form POSTs carry
a valid CSRF token here (the CSRF refusal is tested in test_auth.py).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from PIL import Image

from ioc.core import Core
from tests.web.conftest import ROLE_USERS, csrf_token, make_incident, move_to

ROLES = ("anonymous", "admin", "operator", "department", "other_department", "leader")


def expect(anonymous: int, admin: int, operator: int, department: int, other: int,
           leader: int) -> dict[str, int]:
    """The expected statuses in ROLES order."""
    return dict(zip(ROLES, (anonymous, admin, operator, department, other, leader), strict=True))


@dataclass
class Case:
    """One endpoint: how to build its URL (and form) from fresh fixtures, and the statuses."""

    method: str
    path: str
    expected: dict[str, int]
    form: dict[str, str] = field(default_factory=dict)
    state: str = "routed"  # the state the incident must be in
    bearer: bool = False  # also check the same with bearer tokens (JSON API)


PAGE = expect(302, 200, 200, 403, 403, 200)  # console pages
DATA = expect(401, 200, 200, 403, 403, 200)  # console data endpoints
ACT = expect(302, 303, 303, 303, 404, 403)  # incident action forms
API_ALL = expect(401, 200, 200, 200, 200, 200)
API_ONE = expect(401, 200, 200, 200, 404, 200)

CASES = [
    Case("GET", "/login", expect(200, 302, 302, 302, 302, 302)),
    Case("GET", "/staff", expect(302, 302, 302, 302, 302, 302)),
    Case("GET", "/console", PAGE),
    Case("GET", "/console/snapshot.json", DATA),
    Case("GET", "/console/kpis.json", DATA),
    Case("GET", "/console/export.csv", DATA),
    Case("GET", "/console/export.geojson?department=do_thi", DATA),
    Case("GET", "/kpis", PAGE),
    Case("GET", "/kpis/export.csv?days=90", DATA),
    Case("GET", "/console/triage", expect(302, 200, 200, 403, 403, 403)),
    Case("POST", "/console/triage/{triage}", expect(302, 303, 303, 403, 403, 403),
         {"department": "do_thi"}),
    Case("GET", "/inbox", expect(302, 200, 200, 200, 200, 403)),
    Case("GET", "/inbox?department=do_thi", expect(302, 200, 200, 200, 200, 403)),
    Case("GET", "/inbox/page.json", expect(401, 200, 200, 200, 200, 403)),
    Case("GET", "/inbox/page.json?department=do_thi", expect(401, 200, 200, 200, 200, 403)),
    Case("GET", "/inbox/counts.json?department=do_thi", expect(401, 200, 200, 200, 200, 403)),
    Case("GET", "/inbox/incidents/{id}", expect(302, 200, 200, 200, 404, 200)),
    Case("GET", "/inbox/incidents/{code}", expect(302, 200, 200, 200, 404, 200)),
    Case("POST", "/inbox/incidents/{id}/acknowledge", ACT),
    Case("POST", "/inbox/incidents/{id}/start", ACT, state="acknowledged"),
    Case("POST", "/inbox/incidents/{id}/resolve", ACT, {"note": "Đã sửa xong"},
         state="in_progress"),
    Case("POST", "/inbox/incidents/{id}/note", ACT, {"note": "Đã liên hệ người dân"}),
    Case("POST", "/inbox/incidents/{id}/reassign", ACT,
         {"department": "giao_thong", "reason": "Thuộc an toàn giao thông"}),
    Case("POST", "/inbox/incidents/{id}/reject", ACT, {"kind": "not_in_scope"}),
    Case("POST", "/inbox/incidents/{id}/duplicate", ACT, {"original": "{original}"}),
    Case("POST", "/inbox/incidents/{triage}/triage", expect(302, 303, 303, 404, 404, 403),
         {"department": "do_thi"}),
    Case("GET", "/uploads/{id}/{photo}", expect(401, 200, 200, 200, 404, 200)),
    Case("POST", "/logout", expect(302, 302, 302, 302, 302, 302)),
    Case("GET", "/api/v1/incidents", API_ALL, bearer=True),
    Case("GET", "/api/v1/incidents/{id}", API_ONE, bearer=True),
    Case("GET", "/api/v1/incidents/{code}", API_ONE, bearer=True),
    Case("GET", "/api/v1/kpis", API_ALL, bearer=True),
    Case("GET", "/api/v1/dossiers", API_ALL, bearer=True),
    # raw payloads may carry names and phones: not for department staff or leaders
    Case("GET", "/api/v1/deadletters", expect(401, 200, 200, 403, 403, 403), bearer=True),
]


def _photo(core: Core, incident_id: int) -> str:
    folder = core.settings.instance_dir / "uploads" / str(incident_id)
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    (folder / ("a" * 32 + ".png")).write_bytes(buffer.getvalue())
    return "a" * 32 + ".png"


def _fill(case: Case, core: Core) -> tuple[str, dict[str, str]]:
    """Fresh incidents for one cell, so that every role starts from the same state."""
    iid = make_incident(core, "do_thi")
    if case.state != "routed":
        move_to(core, iid, case.state)
    values = {"id": str(iid), "triage": str(make_incident(core, None))}
    with core.uow() as uow:
        from ioc.models import Incident

        values["code"] = uow.session.get(Incident, iid).code
        if "{original}" in str(case.form):
            values["original"] = uow.session.get(Incident, make_incident(core, "do_thi")).code
    if "{photo}" in case.path:
        values["photo"] = _photo(core, iid)
    form = {k: v.format(**values) for k, v in case.form.items()}
    return case.path.format(**values), form


def test_every_endpoint_for_every_role(core: Core, client_for: Callable, app) -> None:
    mismatches = []
    for case in CASES:
        for role in ROLES:
            username = None if role == "anonymous" else ROLE_USERS[role]
            client = client_for(username) if case.path != "/logout" else _fresh(app, username)
            path, form = _fill(case, core)
            if case.method == "POST":
                form["csrf_token"] = csrf_token(client, "/login")
                res = client.post(path, data=form)
            else:
                res = client.get(path)
            res.get_data()  # consume streamed bodies (exports) so their request context ends
            res.close()
            if res.status_code != case.expected[role]:
                mismatches.append(f"{case.method} {path} as {role}: {res.status_code}, "
                                  f"expected {case.expected[role]}")
    assert not mismatches, "\n".join(mismatches)


def _fresh(app, username: str | None):
    from tests.web.conftest import login

    client = app.test_client()
    if username:
        login(client, username)
    return client


@pytest.mark.parametrize("case", [c for c in CASES if c.bearer], ids=lambda c: c.path)
def test_json_api_with_bearer_tokens(case: Case, core: Core, client, staff) -> None:
    for role in ROLES:
        path, _ = _fill(case, core)
        headers = {} if role == "anonymous" else staff.bearer(ROLE_USERS[role])
        res = client.get(path, headers=headers)
        res.close()
        assert res.status_code == case.expected[role], (role, path)


def test_other_department_gets_404_not_the_incident(core: Core, client_for) -> None:
    iid = make_incident(core, "do_thi", text="Bí mật: nắp cống mất trước nhà số 7")
    other = client_for("moitruong.binh")
    for path in (f"/inbox/incidents/{iid}", f"/api/v1/incidents/{iid}"):
        res = other.get(path)
        assert res.status_code == 404
        assert "nắp cống" not in res.get_data(as_text=True)
    listing = other.get("/api/v1/incidents").get_json()["items"]
    assert iid not in {i["id"] for i in listing}
    page = other.get(f"/inbox/incidents/{iid}").get_data(as_text=True)
    assert "Không tìm thấy" in page


def test_leader_reads_but_cannot_act(core: Core, client_for) -> None:
    iid = make_incident(core, "do_thi")
    leader = client_for("lanhdao")
    page = leader.get(f"/inbox/incidents/{iid}").get_data(as_text=True)
    assert "form-acknowledge" not in page  # no action forms for a read-only role
    console = leader.get("/console").get_data(as_text=True)
    assert "Bản đồ điều hành" in console
