"""``counter/events``: dossier events from the one-stop counters."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from ingest.handlers.base import MessageId, ParseContext, Rejected, Schema, Timestamp, check_time
from ingest.messages import ReceivedMessage
from ioc.services.dossiers import CounterEvent

TOPIC = "counter/events"

Name = Annotated[str, Field(max_length=500)]


class CounterEventPayload(Schema):
    """The payload of a counter event (DESIGN.md)."""

    id: MessageId
    dossier_id: Annotated[str, Field(min_length=1, max_length=100)]
    event: Literal["received", "processing", "supplement_requested", "resolved", "returned",
                   "cancelled"]
    at: Timestamp
    procedure_code: Annotated[str, Field(max_length=100)]
    procedure_name: Name
    field: Annotated[str, Field(max_length=200)]
    office: Annotated[str, Field(max_length=64)]
    channel: Literal["counter", "online", "postal"]
    due_at: Timestamp | None = None

    @model_validator(mode="after")
    def _due_on_received(self) -> CounterEventPayload:
        if self.event == "received" and self.due_at is None:
            raise ValueError("due_at is required on a 'received' event")
        if self.due_at is not None and self.due_at < self.at and self.event == "received":
            raise ValueError("due_at is before the dossier was received")
        return self


def to_command(msg: ReceivedMessage, data: Any, ctx: ParseContext) -> CounterEvent:
    """A validated counter event becomes a CounterEvent for the dossier service."""
    ev: CounterEventPayload = data
    check_time(ev.at, "at", ctx)
    if ev.due_at is not None and ev.due_at.year > ctx.now.year + 5:
        raise Rejected(f"due_at {ev.due_at.isoformat()} is implausibly far away", ev.id)
    return CounterEvent(
        message_id=ev.id,
        dossier_id=ev.dossier_id,
        event=ev.event,
        at=ev.at,
        procedure_code=ev.procedure_code,
        procedure_name=ev.procedure_name,
        field=ev.field,
        office=ev.office,
        channel=ev.channel,
        due_at=ev.due_at,
    )
