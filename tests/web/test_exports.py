"""CSV and GeoJSON exports of the console's filtered list."""

from __future__ import annotations

import csv
import io

from ioc.core import Core
from ioc.models import Incident
from tests.web.conftest import make_incident, move_to


def _get(client, path: str):
    res = client.get(path)
    body = res.get_data(as_text=True)
    res.close()
    return res, body


def _csv(client, query: str = "") -> tuple[list[dict[str, str]], str]:
    res, body = _get(client, f"/console/export.csv{query}")
    assert res.status_code == 200, body
    assert res.mimetype == "text/csv"
    assert "attachment" in res.headers["Content-Disposition"]
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:]))), body


def test_csv_holds_the_open_incidents_with_city_times(core: Core, client_for) -> None:
    a = make_incident(core, "do_thi", text="Ổ gà lớn trước chợ, xe máy té")
    b = make_incident(core, "moi_truong", urgent=True, channel="hotline")
    done = make_incident(core, "do_thi")
    move_to(core, done, "resolved")
    rows, _ = _csv(client_for("dieuhanh"))
    by_id = {int(r["id"]): r for r in rows}
    assert set(by_id) == {a, b}  # open incidents only, by default
    row = by_id[a]
    with core.uow() as uow:
        inc = uow.session.get(Incident, a)
        assert row["code"] == inc.code
    assert row["text"] == "Ổ gà lớn trước chợ, xe máy té"
    assert row["department"] == "do_thi" and row["department_name"] == "Phòng Quản lý đô thị"
    assert row["status"] == "routed" and row["sla_state"] == "on_time"
    assert row["created_at"].endswith("+07:00") and row["ack_due_at"].endswith("+07:00")
    assert by_id[b]["urgent"] == "1" and by_id[b]["channel"] == "hotline"
    assert list(rows[0])[:5] == ["id", "code", "status", "department", "department_name"]


def test_csv_follows_the_console_filters(core: Core, client_for) -> None:
    a = make_incident(core, "do_thi", urgent=True)
    make_incident(core, "do_thi")
    c = make_incident(core, "moi_truong", channel="hotline")
    t = make_incident(core, None)
    done = make_incident(core, "do_thi")
    move_to(core, done, "resolved")
    op = client_for("dieuhanh")

    def ids(query: str) -> set[int]:
        return {int(r["id"]) for r in _csv(op, query)[0]}

    assert ids("?department=do_thi&urgent=true") == {a}
    assert ids("?channel=hotline") == {c}
    assert ids("?triage=true") == {t}
    assert ids("?status=resolved") == {done}
    assert len(ids("?open=false")) == 5
    assert ids("?ward=nowhere") == set()
    res, body = _get(op, "/console/export.csv?status=nonsense")
    assert res.status_code == 400 and "unknown status" in body


def test_csv_neutralises_spreadsheet_formulas(core: Core, client_for) -> None:
    make_incident(core, "do_thi", text='=HYPERLINK("http://x","bấm vào")')
    rows, _ = _csv(client_for("dieuhanh"))
    assert rows[0]["text"].startswith("'=HYPERLINK")


def test_geojson_is_a_feature_collection(core: Core, client_for) -> None:
    a = make_incident(core, "do_thi", lat=10.81, lon=105.35)
    no_place = make_incident(core, "do_thi", channel="hotline", lat=None, lon=None)
    with core.uow() as uow:  # a hotline ticket without coordinates
        uow.session.get(Incident, no_place).lat = None
        uow.session.get(Incident, no_place).lon = None
        uow.commit()
    res = client_for("dieuhanh").get("/console/export.geojson?department=do_thi")
    assert res.status_code == 200 and res.mimetype == "application/geo+json"
    data = res.get_json()
    res.close()
    assert data["type"] == "FeatureCollection"
    features = {f["id"]: f for f in data["features"]}
    assert set(features) == {a, no_place}
    point = features[a]
    assert point["type"] == "Feature"
    assert point["geometry"] == {"type": "Point", "coordinates": [105.35, 10.81]}
    assert point["properties"]["department"] == "do_thi"
    assert "lat" not in point["properties"]
    assert point["properties"]["created_at"].endswith("+07:00")
    assert features[no_place]["geometry"] is None


def test_large_export_streams_every_row(core: Core, client_for) -> None:
    from ioc.db import utcnow
    from ioc.routing import RoutingDecision
    from ioc.services.intake import NewReport, record_reports

    reports = [NewReport(channel="hotline", source_id=f"bulk-{i}", text=f"Phản ánh {i}",
                         reported_at=utcnow(), routing=RoutingDecision("dien", 0.9, False, "t"))
               for i in range(4500)]
    with core.uow() as uow:
        record_reports(uow, core, reports)
        uow.commit()
    rows, _ = _csv(client_for("dieuhanh"), "?department=dien")
    assert len(rows) == 4500 and len({r["id"] for r in rows}) == 4500
