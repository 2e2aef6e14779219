"""The JSON API: authentication, filters, paging, detail, dossiers, dead letters, health."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from ioc.core import Core
from ioc.db import utcnow
from ioc.routing import RoutingDecision
from ioc.services.deadletters import record_dead_letter
from ioc.services.dossiers import CounterEvent, apply_counter_events
from ioc.services.intake import NewReport, record_reports
from ioc.services.users import create_token, create_user

ROOT = Path(__file__).resolve().parents[2]


def token_for(core: Core, username: str, role: str, department: str | None = None) -> dict:
    with core.uow() as uow:
        user = create_user(uow, username, "mat-khau-9x", role, department)
        token = create_token(uow, user)
        uow.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def seeded(core: Core) -> dict[str, int]:
    reports = []
    for i, (dept, channel, urgent) in enumerate([
        ("do_thi", "field_report", False), ("do_thi", "hotline", False),
        ("cap_nuoc", "field_report", True), (None, "field_report", False),
        ("an_ninh", "hotline", False),
    ]):
        reports.append(NewReport(
            channel=channel, source_id=f"seed-{i}", text=f"Phản ánh số {i} <b>in đậm</b>",
            reported_at=utcnow(), lat=10.80 + i * 0.01, lon=105.34,
            reporter_name="Trần Thị Bé", reporter_phone="0909000111",
            routing=RoutingDecision(dept, 0.9 if dept else 0.1, urgent, "test")))
    now = utcnow()
    with core.uow() as uow:
        created = record_reports(uow, core, reports).created
        apply_counter_events(uow, [
            CounterEvent("m1", "HS-9", "received", now - timedelta(days=5), "1.1", "Khai sinh",
                         "hộ tịch", "an_thanh", "counter", now - timedelta(days=2)),
            CounterEvent("m2", "HS-9", "resolved", now - timedelta(days=1)),
        ])
        record_dead_letter(uow, "ioc/v1/reports/field", b"\xff broken", "payload is not valid UTF-8")
        uow.commit()
    return {r.source_id: r.id for r in created}


def test_staff_endpoints_need_a_valid_token(client) -> None:
    for path in ("/api/v1/incidents", "/api/v1/incidents/1", "/api/v1/dossiers",
                 "/api/v1/deadletters", "/api/v1/kpis"):
        res = client.get(path)
        assert res.status_code == 401, path
        assert "Bearer" in res.get_json()["error"]["message"]
        assert client.get(path, headers={"Authorization": "Bearer nope"}).status_code == 401


def test_list_filters_and_paging(client, core: Core, seeded: dict[str, int]) -> None:
    auth = token_for(core, "op", "operator")
    items = client.get("/api/v1/incidents", headers=auth).get_json()["items"]
    assert len(items) == 5
    assert items[0]["id"] > items[-1]["id"]  # newest first
    assert "reporter" not in items[0]  # the list carries no personal data

    def ids(query: str) -> set[int]:
        res = client.get(f"/api/v1/incidents?{query}", headers=auth)
        assert res.status_code == 200, res.get_json()
        return {i["id"] for i in res.get_json()["items"]}

    assert ids("department=do_thi") == {seeded["seed-0"], seeded["seed-1"]}
    assert ids("department=do_thi,cap_nuoc&channel=field_report") == {
        seeded["seed-0"], seeded["seed-2"]}
    assert ids("triage=true") == {seeded["seed-3"]}
    assert ids("urgent=true") == {seeded["seed-2"]}
    assert ids("status=new") == {seeded["seed-3"]}
    assert ids(f"since={(utcnow() + timedelta(minutes=1)).isoformat().replace('+00:00', 'Z')}") == set()

    seen: list[int] = []
    cursor = ""
    for _ in range(5):
        page = client.get(f"/api/v1/incidents?limit=2&cursor={cursor}", headers=auth).get_json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen, reverse=True) == seen and len(set(seen)) == 5


@pytest.mark.parametrize(("query", "message"), [
    ("limit=0", "limit"), ("limit=abc", "integer"), ("status=done", "unknown status"),
    ("cursor=%%%", "cursor"), ("since=yesterday", "ISO 8601"), ("urgent=maybe", "true or false"),
])
def test_bad_parameters_answer_400_with_a_message(client, core: Core, query: str,
                                                  message: str) -> None:
    auth = token_for(core, "op", "operator")
    res = client.get(f"/api/v1/incidents?{query}", headers=auth)
    assert res.status_code == 400
    assert message in res.get_json()["error"]["message"]


def test_detail_has_history_and_department_scoping(client, core: Core,
                                                   seeded: dict[str, int]) -> None:
    op = token_for(core, "op", "operator")
    dothi = token_for(core, "dt", "department", "do_thi")
    iid = seeded["seed-0"]
    detail = client.get(f"/api/v1/incidents/{iid}", headers=op).get_json()
    assert detail["department"] == "do_thi"
    assert detail["text"] == "Phản ánh số 0 <b>in đậm</b>"
    assert detail["reporter"] == {"name": "Trần Thị Bé", "phone": "0909000111"}
    assert [e["kind"] for e in detail["events"]] == ["created", "routed"]
    by_code = client.get(f"/api/v1/incidents/{detail['code']}", headers=dothi).get_json()
    assert by_code["id"] == iid
    other = client.get(f"/api/v1/incidents/{seeded['seed-2']}", headers=dothi)
    assert other.status_code == 404 and "not found" in other.get_json()["error"]["message"]
    only_mine = client.get("/api/v1/incidents", headers=dothi).get_json()["items"]
    assert {i["department"] for i in only_mine} == {"do_thi"}


def test_dossiers_deadletters_and_kpis(client, core: Core, seeded: dict[str, int]) -> None:
    auth = token_for(core, "lead", "leader")
    dossiers = client.get("/api/v1/dossiers?late=true", headers=auth).get_json()["items"]
    assert [d["dossier_id"] for d in dossiers] == ["HS-9"]
    assert dossiers[0]["apology_due"] is True and len(dossiers[0]["events"]) == 2
    assert client.get("/api/v1/dossiers?late=false", headers=auth).get_json()["items"] == []
    denied = client.get("/api/v1/deadletters", headers=auth)
    assert denied.status_code == 403 and "operators" in denied.get_json()["error"]["message"]
    letters = client.get("/api/v1/deadletters",
                         headers=token_for(core, "op", "operator")).get_json()["items"]
    assert letters[0]["reason"] == "payload is not valid UTF-8"
    assert letters[0]["payload_encoding"] == "base64"
    kpis = client.get("/api/v1/kpis", headers=auth).get_json()
    assert kpis["open_total"] == 5 and kpis["awaiting_triage"] == 1
    assert kpis["open_by_department"] == {"do_thi": 2, "cap_nuoc": 1, "an_ninh": 1}
    assert kpis["dossiers"]["late"] == 1 and kpis["dossiers"]["apology_letters_due"] == 1


def test_healthz_reports_database_and_broker(client) -> None:
    res = client.get("/healthz")
    body = res.get_json()
    assert res.status_code == 200, body
    assert body["ready"] is True
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["broker"]["guarantees"]


def test_healthz_is_503_when_the_broker_is_unreachable(app, settings) -> None:
    from tests.services import free_port

    core = app.extensions["ioc.core"]
    core.settings = settings.with_overrides(mqtt_url=f"mqtt://127.0.0.1:{free_port()}")
    res = app.test_client().get("/healthz")
    assert res.status_code == 503
    assert res.get_json()["checks"]["broker"]["ok"] is False


def test_metrics_in_prometheus_format(client, seeded: dict[str, int]) -> None:
    text = client.get("/metrics").get_data(as_text=True)
    assert "# TYPE ioc_incidents_open gauge" in text
    assert 'ioc_incidents_open{department="do_thi"} 2' in text
    assert "ioc_dead_letters 1" in text


def test_health_check_imports_no_ingest_adapter() -> None:
    """web.health takes broker facts from the core (ioc.brokers), which loads no MQTT or HTTP library."""
    probe = ("import sys, ioc.brokers\n"
             "core = sorted(m for m in sys.modules if m.split('.')[0] in {'paho', 'amqtt', 'flask'})\n"
             "import web.health\n"
             "print(core, sorted(m for m in sys.modules if m.split('.')[0] == 'ingest'))\n")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "[] []", out.stdout + out.stderr


def test_ingest_and_health_share_the_broker_facts() -> None:
    import ingest.broker
    import ioc.brokers

    assert ingest.broker.GUARANTEES is ioc.brokers.GUARANTEES
    assert ingest.broker.port_open is ioc.brokers.port_open
    assert set(ioc.brokers.GUARANTEES) == {"mosquitto", "amqtt", "external"}
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert ioc.brokers.port_open("127.0.0.1", port)
    assert not ioc.brokers.port_open("127.0.0.1", port)
