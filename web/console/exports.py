"""CSV and GeoJSON exports of the console's filtered list, streamed in chunks.

Times are written in the city's time zone (ISO 8601 with offset). Text cells
that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``...) get a
leading apostrophe: incident text comes from citizens.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from flask import Response, stream_with_context

from ioc.actors import Actor
from ioc.console_queries import EXPORT_COLUMNS, iter_export_rows
from ioc.queries import IncidentFilter
from web.context import core
from web.i18n import city_tz, department_name

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (*EXPORT_COLUMNS[:4], "department_name", *EXPORT_COLUMNS[4:])


def _cell(value: Any, tz: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(tz).isoformat(timespec="seconds")
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return "" if value is None else value


def _filename(ext: str) -> str:
    stamp = datetime.now(city_tz()).strftime("%Y%m%d-%H%M")
    return f"incidents-{stamp}.{ext}"


def _rows(actor: Actor, flt: IncidentFilter) -> Iterator[dict[str, Any]]:
    with core().uow() as uow:
        yield from iter_export_rows(uow.session, actor, flt)


def _validated(actor: Actor, flt: IncidentFilter) -> Iterator[dict[str, Any]]:
    """Start the query now, so a bad filter is a 400 before streaming begins."""
    rows = _rows(actor, flt)
    first = next(rows, None)

    def chained() -> Iterator[dict[str, Any]]:
        if first is not None:
            yield first
            yield from rows

    return chained()


def csv_response(actor: Actor, flt: IncidentFilter) -> Response:
    """The filtered incidents as a CSV download (UTF-8 with BOM for spreadsheet programs)."""
    tz = city_tz()
    names: dict[str | None, str] = {}
    rows = _validated(actor, flt)

    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow(CSV_COLUMNS)
        for n, row in enumerate(rows, 1):
            dept = row["department"]
            if dept not in names:
                names[dept] = department_name(dept) if dept else ""
            values = [row[c] if c != "department_name" else names[dept] for c in CSV_COLUMNS]
            writer.writerow([_cell(v, tz) for v in values])
            if n % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(stream_with_context(generate()), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{_filename("csv")}"'})


def feature(row: dict[str, Any], tz: Any) -> dict[str, Any]:
    """One incident as a GeoJSON Feature (geometry null without coordinates)."""
    lat, lon = row["lat"], row["lon"]
    geometry = None if lat is None or lon is None else {"type": "Point",
                                                        "coordinates": [lon, lat]}
    props = {k: (v.astimezone(tz).isoformat(timespec="seconds") if isinstance(v, datetime)
                 else v) for k, v in row.items() if k not in ("lat", "lon")}
    return {"type": "Feature", "id": row["id"], "geometry": geometry, "properties": props}


def geojson_response(actor: Actor, flt: IncidentFilter) -> Response:
    """The filtered incidents as a GeoJSON FeatureCollection download."""
    tz = city_tz()
    rows = _validated(actor, flt)

    def generate() -> Iterator[str]:
        yield '{"type": "FeatureCollection", "features": ['
        for n, row in enumerate(rows):
            yield ("," if n else "") + json.dumps(feature(row, tz), ensure_ascii=False)
        yield "]}\n"

    return Response(stream_with_context(generate()), mimetype="application/geo+json",
                    headers={"Content-Disposition":
                             f'attachment; filename="{_filename("geojson")}"'})
