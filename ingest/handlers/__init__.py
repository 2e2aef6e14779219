"""Topic handlers, one module per topic family: topic, schema, conversion."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ingest.handlers import counter, field_reports, hotline, sensors
from ingest.handlers.base import ParseContext
from ingest.messages import ReceivedMessage


@dataclass(frozen=True)
class Handler:
    """A topic pattern (relative to the topic root), its schema and its converter."""

    pattern: str
    schema: type[BaseModel]
    to_command: Callable[[ReceivedMessage, Any, ParseContext], Any]


HANDLERS: tuple[Handler, ...] = (
    Handler(field_reports.TOPIC, field_reports.FieldReport, field_reports.to_command),
    Handler(hotline.TOPIC, hotline.HotlineTicket, hotline.to_command),
    Handler(counter.TOPIC, counter.CounterEventPayload, counter.to_command),
    Handler(sensors.TOPIC, sensors.SensorAlert, sensors.to_command),
)
