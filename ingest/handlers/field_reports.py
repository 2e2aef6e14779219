"""``reports/field``: on-the-spot reports from the citizen app."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from ingest.handlers.base import (
    Latitude,
    Longitude,
    MessageId,
    ParseContext,
    Schema,
    ShortText,
    Timestamp,
    check_location,
    check_time,
)
from ingest.messages import ReceivedMessage
from ioc.services.intake import NewReport

TOPIC = "reports/field"
CHANNEL = "field_report"


class Reporter(Schema):
    """Who filed the report (optional)."""

    name: Annotated[str, Field(max_length=200)] | None = None
    phone: Annotated[str, Field(max_length=40, pattern=r"^[0-9+() .-]*$")] | None = None


class FieldReport(Schema):
    """The payload of a field report (DESIGN.md)."""

    id: MessageId
    text: Annotated[str, Field(min_length=1, max_length=5000)]
    lat: Latitude
    lon: Longitude
    reported_at: Timestamp
    category: Annotated[str, Field(max_length=100)] | None = None
    photos: Annotated[list[Annotated[str, Field(max_length=1000)]], Field(max_length=20)] = Field(default_factory=list)
    reporter: Reporter | None = None
    address: ShortText | None = None


def to_command(msg: ReceivedMessage, data: Any, ctx: ParseContext) -> NewReport:
    """A validated FieldReport becomes a NewReport for the intake service."""
    report: FieldReport = data
    check_location(report.lat, report.lon, ctx)
    check_time(report.reported_at, "reported_at", ctx)
    return NewReport(
        channel=CHANNEL,
        source_id=report.id,
        text=report.text,
        reported_at=report.reported_at,
        lat=report.lat,
        lon=report.lon,
        address=report.address,
        category_hint=report.category,
        photos=tuple(report.photos),
        reporter_name=report.reporter.name if report.reporter else None,
        reporter_phone=report.reporter.phone if report.reporter else None,
    )
