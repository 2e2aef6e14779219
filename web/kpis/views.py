"""``/kpis``: the leaders' page, and its department table as CSV.

Readable by the operations room (admin, operator, leader); department staff get
403. A report is kept for ``CACHE_SECONDS`` per period and process, so the CSV
export after a look at the page, or reloads, do not recompute it.
"""

from __future__ import annotations

from datetime import datetime

from flask import Response, current_app, render_template, request

from ioc.kpi_cache import TtlCache
from ioc.kpi_report import DEFAULT_PERIOD, PERIODS, KpiReport, kpi_report
from web.auth.roles import CONSOLE_ROLES, roles_required
from web.context import core
from web.i18n import city_tz
from web.kpis import bp
from web.kpis.present import csv_text, fmt_number, fmt_percent, rating_breakdown, row_name

#: How long a computed report is served again (seconds).
CACHE_SECONDS = 30.0


def period_arg() -> int:
    """``?days=7|30|90``; the default period for anything else."""
    days = request.args.get("days", type=int)
    return days if days in PERIODS else DEFAULT_PERIOD


def report_for(days: int) -> KpiReport:
    """The report of the last ``days`` days, from this process's short-lived cache."""
    cache: TtlCache = current_app.extensions.setdefault("ioc.kpi_reports", TtlCache(CACHE_SECONDS))
    c = core()

    def compute() -> KpiReport:
        with c.uow() as uow:
            return kpi_report(uow.session, c.settings.timezone, days, c.taxonomy.codes)

    return cache.get(days, compute)


@bp.get("/kpis")
@roles_required(*CONSOLE_ROLES)
def page():
    """Figures per department and city-wide, dossiers and the apology letters owed."""
    report = report_for(period_arg())
    return render_template(
        "kpis/kpis.html", report=report, periods=PERIODS, fmt_number=fmt_number,
        fmt_percent=fmt_percent, rating_breakdown=rating_breakdown, row_name=row_name,
        tz_name=core().settings.timezone)


@bp.get("/kpis/export.csv")
@roles_required(*CONSOLE_ROLES, data=True)
def export_csv() -> Response:
    """The department table of the chosen period as CSV (UTF-8 with BOM)."""
    report = report_for(period_arg())
    stamp = datetime.now(city_tz()).strftime("%Y%m%d-%H%M")
    return Response(csv_text(report), mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="kpis-{report.days}d-{stamp}.csv"'})
