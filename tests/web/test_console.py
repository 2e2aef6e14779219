"""The console page and its data: compact snapshot, KPI strip, base map without any CDN."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text

from ioc.core import Core
from ioc.db import utcnow
from ioc.kpi_cache import KpiCache, compute_strip
from ioc.models import Incident
from tests.web.conftest import make_incident, move_to

URL = re.compile(r"""(?:https?:)?//[^\s"'`<>)]+""")
RESOURCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)""")


def test_console_page_is_a_vietnamese_full_screen_map(client_for) -> None:
    html = client_for("dieuhanh").get("/console").get_data(as_text=True)
    assert '<html lang="vi">' in html
    for words in ("Bản đồ điều hành", "Hàng đợi (theo thời gian còn lại)", "Bản đồ nhiệt",
                  "Chờ phân loại", "Trung vị tiếp nhận hôm nay", "Tỷ lệ đúng hạn hôm nay",
                  "Xuất CSV", "Xuất GeoJSON", "Phường An Thạnh", "Phòng Quản lý đô thị"):
        assert words in html, words
    assert re.search(r"var (map_[0-9a-f]+) = L\.map\(", html), "folium's map script is embedded"
    assert "/static/vendor/leaflet-1.9.4/leaflet.js" in html
    assert "/static/vendor/socket.io-client-4.8.4/socket.io.min.js" in html


def _local_resources(html: str) -> list[str]:
    return [a or b for a, b in RESOURCE.findall(html)]


def test_no_page_or_script_of_ours_references_another_host(client_for, staff) -> None:
    """Closed city network: every resource is served by the app (vendor files included)."""
    seen: set[str] = set()
    pages = [("dieuhanh", "/console"), ("dieuhanh", "/console/triage"), ("dothi.an", "/inbox"),
             (None, "/login")]
    for username, path in pages:
        client = client_for(username)
        html = client.get(path).get_data(as_text=True)
        external = [u for u in URL.findall(html) if urlsplit(u if u.startswith("http")
                                                               else "http:" + u).netloc]
        assert not external, (path, external)
        for ref in _local_resources(html):
            if ref.startswith("/static/") and ref not in seen and ref.endswith((".js", ".css")):
                seen.add(ref)
                res = client.get(ref)
                assert res.status_code == 200, ref
                body = res.get_data(as_text=True)
                res.close()
                if "/vendor/" not in ref:  # our own code: no URL to any host at all
                    assert not URL.findall(body), (ref, URL.findall(body))
                else:  # vendor code: may link its homepage, must load nothing from another host
                    assert not re.search(r"""src\s*=\s*["']https?://|@import\s+["']?https?://"""
                                         r"""|url\(\s*["']?https?://""", body), ref
    assert any("console.js" in s for s in seen) and any("leaflet.js" in s for s in seen)


def test_tile_url_is_configurable(core: Core, client_for) -> None:
    core.settings = core.settings.with_overrides(
        tile_url="http://tiles.hongngu.local/{z}/{x}/{y}.png")
    html = client_for("dieuhanh").get("/console").get_data(as_text=True)
    hosts = {urlsplit(u).netloc for u in URL.findall(html) if u.startswith("http")}
    assert hosts == {"tiles.hongngu.local"}
    assert "L.tileLayer(" in html


def test_without_tile_url_there_is_no_tile_layer(core: Core, client_for) -> None:
    assert not core.settings.tile_url
    assert "L.tileLayer(" not in client_for("dieuhanh").get("/console").get_data(as_text=True)


def test_snapshot_is_compact_and_holds_only_open_incidents(core: Core, client_for) -> None:
    open_id = make_incident(core, "do_thi", urgent=True)
    triage_id = make_incident(core, None)
    done_id = make_incident(core, "moi_truong")
    move_to(core, done_id, "resolved", "moitruong.binh")
    body = client_for("dieuhanh").get("/console/snapshot.json").get_json()
    cols = body["columns"]
    rows = {r[cols.index("id")]: r for r in body["rows"]}
    assert set(rows) == {open_id, triage_id}
    assert body["count"] == 2 and body["at_epoch_ms"] > 0
    row = rows[open_id]
    dicts = body["dictionaries"]
    assert isinstance(row, list) and len(row) == len(cols)
    assert dicts["department"][row[cols.index("department")]] == "do_thi"
    assert dicts["status"][row[cols.index("status")]] == "routed"
    assert dicts["sla_state"][row[cols.index("sla_state")]] == "on_time"
    assert row[cols.index("urgent")] == 1
    with core.uow() as uow:
        inc = uow.session.get(Incident, open_id)
        assert row[cols.index("deadline")] == int(inc.ack_due_at.timestamp())
        assert row[cols.index("code")] == inc.code
    assert rows[triage_id][cols.index("department")] is None


def test_kpi_strip_counts_and_today_medians(core: Core, client_for) -> None:
    a = make_incident(core, "do_thi")
    b = make_incident(core, "do_thi")
    make_incident(core, "moi_truong")
    make_incident(core, None)
    move_to(core, a, "acknowledged")
    move_to(core, b, "resolved")
    strip = client_for("dieuhanh").get("/console/kpis.json").get_json()
    assert strip["open_by_department"] == {"do_thi": 1, "moi_truong": 1}
    assert strip["awaiting_triage"] == 1 and strip["open_total"] == 3
    assert len(strip["ack_minutes_today"]) == 2  # a acknowledged, b acknowledged when resolved
    assert strip["resolved_today"] == 1 and strip["resolved_on_time_today"] == 1
    assert strip["on_time_rate_today"] == 1.0
    assert strip["median_minutes_to_acknowledge_today"] is not None


def test_citizen_satisfaction_in_the_strip_and_the_leaders_kpis(core: Core, client_for) -> None:
    from ioc.kpis import compute_kpis
    from ioc.services.feedback import rate_incident

    ratings = ("very_satisfied", "satisfied", "not_satisfied")
    for rating in ratings:
        iid = make_incident(core, "do_thi")
        move_to(core, iid, "resolved")
        with core.uow() as uow:
            rate_incident(uow, core, uow.session.get(Incident, iid), rating)
            uow.commit()
    expected = {"ratings": 3, "very_satisfied": 1, "satisfied": 1, "not_satisfied": 1,
                "satisfied_rate": 0.6667}
    strip = client_for("dieuhanh").get("/console/kpis.json").get_json()
    assert strip["satisfaction_30d"] == expected
    with core.uow() as uow:
        assert compute_kpis(uow.session, "Asia/Ho_Chi_Minh")["satisfaction_30d"] == expected
    html = client_for("dieuhanh").get("/console").get_data(as_text=True)
    assert "Người dân hài lòng (30 ngày)" in html and 'id="kpi-satisfaction"' in html


def test_kpi_strip_is_cached_per_process(core: Core) -> None:
    cache = KpiCache(ttl=60)
    first = cache.get(core.db.sessionmaker, "Asia/Ho_Chi_Minh")
    make_incident(core, "do_thi")
    assert cache.get(core.db.sessionmaker, "Asia/Ho_Chi_Minh") is first
    assert cache.computations == 1
    tomorrow = utcnow() + timedelta(days=1)
    assert cache.get(core.db.sessionmaker, "Asia/Ho_Chi_Minh", tomorrow) is not first


def test_kpi_strip_today_starts_at_midnight_city_time(core: Core) -> None:
    with core.uow() as uow:
        strip = compute_strip(uow.session, "Asia/Ho_Chi_Minh")
    assert strip["day_start"].endswith("17:00:00+00:00")  # 00:00 at UTC+7


def _plan(core: Core, sql: str) -> str:
    with core.db.engine.connect() as conn:
        return " | ".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))


def test_console_queries_read_indexes_not_the_whole_table(core: Core) -> None:
    """The snapshot and the open counts search the (status, department) index."""
    if core.db.dialect != "sqlite":
        pytest.skip("query plans are checked on SQLite")
    from ioc.console_queries import OPEN_VALUES

    statuses = ", ".join(f"'{s}'" for s in OPEN_VALUES)
    counts = _plan(core, "SELECT department_code, count(*) FROM incidents "
                         f"WHERE status IN ({statuses}) GROUP BY department_code")
    assert "USING COVERING INDEX ix_incidents_status_department" in counts, counts
    snapshot = _plan(core, f"SELECT id, code FROM incidents WHERE status IN ({statuses})")
    assert "ix_incidents_status_department" in snapshot, snapshot


def test_snapshot_and_pages_are_compressed_for_clients_that_accept_it(core: Core,
                                                                     client_for) -> None:
    import gzip
    import json

    for i in range(40):
        make_incident(core, "do_thi" if i % 2 else "moi_truong")
    client = client_for("dieuhanh")
    plain = client.get("/console/snapshot.json")
    assert "Content-Encoding" not in plain.headers
    packed = client.get("/console/snapshot.json", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    raw = gzip.decompress(packed.get_data())
    assert json.loads(raw)["count"] == plain.get_json()["count"] == 40
    assert len(packed.get_data()) < 0.4 * len(raw)
    page = client.get("/console", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert "Bản đồ điều hành" in gzip.decompress(page.get_data()).decode()
