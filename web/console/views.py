"""Console page and its data: compact snapshot, KPI strip, CSV and GeoJSON exports."""

from __future__ import annotations

from flask import Response, current_app, jsonify, render_template, request, url_for

from ioc.console_queries import open_snapshot
from ioc.db import utcnow
from ioc.kpi_cache import KpiCache
from ioc.queries import IncidentFilter
from web.api.params import bool_arg, csv_arg, time_arg
from web.auth.roles import CONSOLE_ROLES, TRIAGE_ROLES, actor, roles_required
from web.console import bp
from web.console.basemap import build_basemap, tile_attribution, tile_url
from web.console.exports import csv_response, geojson_response
from web.context import core
from web.i18n import department_entries, get_lang, js_strings


def kpi_cache() -> KpiCache:
    """The app's KPI cache (one per process)."""
    return current_app.extensions.setdefault("ioc.kpi_cache", KpiCache())


@bp.get("/console")
@roles_required(*CONSOLE_ROLES)
def page():
    """The full-screen live map with the queue, filters and KPI strip."""
    c = core()
    static_prefix = url_for("static", filename="").rstrip("/")
    basemap = build_basemap(c.city, static_prefix, tile_url(), tile_attribution())
    config = {
        "lang": get_lang(),
        "tz": c.settings.timezone,
        "strings": js_strings(),
        "map_var": basemap.name,
        "departments": department_entries(),
        "channels": list(c.taxonomy.channels),
        "wards": [{"code": w.code, "name": w.name} for w in c.city.wards],
        "can_triage": actor().role in TRIAGE_ROLES,
        "urls": {
            "snapshot": url_for("console.snapshot"),
            "kpis": url_for("console.kpis"),
            "detail": url_for("api.incidents_list"),
            "action_page": url_for("inbox.inbox") + "/incidents/",
            "export_csv": url_for("console.export_csv"),
            "export_geojson": url_for("console.export_geojson"),
            "triage": url_for("console.triage_page"),
        },
    }
    return render_template("console/console.html", basemap=basemap, page_config=config)


@bp.get("/console/snapshot.json")
@roles_required(*CONSOLE_ROLES, data=True)
def snapshot():
    """Every open incident as compact rows, with the time of the snapshot."""
    c = core()
    now = utcnow()
    with c.uow() as uow:
        snap = open_snapshot(uow.session, actor(), now, c.taxonomy.codes)
    response = jsonify(snap.as_dict())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/console/kpis.json")
@roles_required(*CONSOLE_ROLES, data=True)
def kpis():
    """The KPI strip (cached a few seconds; the browser keeps it current from live events)."""
    c = core()
    strip = kpi_cache().get(c.db.sessionmaker, c.settings.timezone)
    response = jsonify(strip)
    response.headers["Cache-Control"] = "no-store"
    return response


def export_filter() -> IncidentFilter:
    """The console's filters from the query string; open incidents unless a status is given."""
    statuses = csv_arg("status")
    open_arg = bool_arg("open")
    return IncidentFilter(
        statuses=statuses,
        departments=csv_arg("department"),
        channels=csv_arg("channel"),
        since=time_arg("since"),
        open_only=open_arg if open_arg is not None else not statuses,
        triage_only=bool(bool_arg("triage")),
        urgent=bool_arg("urgent"),
        ward=request.args.get("ward") or None,
    )


@bp.get("/console/export.csv")
@roles_required(*CONSOLE_ROLES, data=True)
def export_csv() -> Response:
    """The filtered list as CSV (UTF-8 with BOM, times in the city's zone)."""
    return csv_response(actor(), export_filter())


@bp.get("/console/export.geojson")
@roles_required(*CONSOLE_ROLES, data=True)
def export_geojson() -> Response:
    """The filtered list as a GeoJSON FeatureCollection."""
    return geojson_response(actor(), export_filter())
