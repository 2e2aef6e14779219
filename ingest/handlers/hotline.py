"""``reports/hotline``: tickets the call-center makes from hotline calls."""

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

TOPIC = "reports/hotline"
CHANNEL = "hotline"


class HotlineTicket(Schema):
    """The payload of a hotline ticket (DESIGN.md)."""

    id: MessageId
    call_id: Annotated[str, Field(min_length=1, max_length=200)]
    transcript: Annotated[str, Field(min_length=1, max_length=20000)]
    received_at: Timestamp
    caller_phone: Annotated[str, Field(max_length=40, pattern=r"^[0-9+() .-]*$")] | None = None
    address: ShortText | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None


def to_command(msg: ReceivedMessage, data: Any, ctx: ParseContext) -> NewReport:
    """A validated HotlineTicket becomes a NewReport for the intake service."""
    ticket: HotlineTicket = data
    check_location(ticket.lat, ticket.lon, ctx)
    check_time(ticket.received_at, "received_at", ctx)
    return NewReport(
        channel=CHANNEL,
        source_id=ticket.id,
        text=ticket.transcript,
        reported_at=ticket.received_at,
        lat=ticket.lat,
        lon=ticket.lon,
        address=ticket.address,
        reporter_phone=ticket.caller_phone,
        extra={"call_id": ticket.call_id},
    )
