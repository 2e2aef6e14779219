"""How the KPI report reads on the page and in the CSV: numbers in the page's
language (1.234,5 in Vietnamese, 1,234.5 in English), rates, rating words,
and the department table as plain rows."""

from __future__ import annotations

import csv
import io
from typing import Any

from ioc.kpi_report import DepartmentFigures, KpiReport
from ioc.services.feedback import RATINGS
from web.citizen.i18n import STRINGS as CITIZEN_STRINGS
from web.i18n import department_name, t, translate
from web.i18n import format_number as fmt_number


def fmt_percent(rate: float | None) -> str:
    """A 0..1 rate as a percentage with one decimal (66,7% / 66.7%); a dash for None."""
    return t("none") if rate is None else f"{fmt_number(rate * 100, 1)}%"


def rating_breakdown(figures: DepartmentFigures) -> str:
    """'Rất hài lòng 1 · Hài lòng 1 · Không hài lòng 1' in the page's language."""
    sat = figures.satisfaction
    return " · ".join(f"{translate(CITIZEN_STRINGS, r)} {fmt_number(sat[r])}" for r in RATINGS)


def row_name(figures: DepartmentFigures) -> str:
    """The row's department name (or awaiting triage, or city-wide)."""
    return t("kpis.total") if figures.code == "total" else department_name(figures.code)


def _plain(value: float | None, scale: float = 1.0) -> str:
    """A machine-readable CSV number: one decimal, '.' as the decimal mark, '' for None."""
    return "" if value is None else f"{value * scale:.1f}"


def csv_text(report: KpiReport) -> str:
    """The department table as CSV text, starting with a UTF-8 BOM so spreadsheet
    programs read Vietnamese correctly; names and headers in the page's language."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([t("kpis.csv.code"), t("field.department"), t("kpis.open"),
                     t("kpis.overdue"), t("kpis.resolved"), t("kpis.on_time"),
                     t("kpis.csv.on_time_pct"), t("kpis.csv.ack_minutes"),
                     t("kpis.csv.resolve_minutes"), t("kpis.csv.ratings"),
                     t("kpis.csv.satisfied_pct")])
    for figures in [*report.departments, report.total]:
        sat: dict[str, Any] = figures.satisfaction
        writer.writerow([
            figures.code or "triage", row_name(figures), figures.open, figures.overdue,
            figures.resolved, figures.resolved_on_time, _plain(figures.on_time_rate, 100),
            _plain(figures.median_ack_seconds, 1 / 60),
            _plain(figures.median_resolve_seconds, 1 / 60),
            sat["ratings"], _plain(sat["satisfied_rate"], 100),
        ])
    return buffer.getvalue()
