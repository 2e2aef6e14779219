"""``sensors/<kind>``: automatic alerts from field devices."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from ingest.handlers.base import (
    Latitude,
    Longitude,
    MessageId,
    ParseContext,
    Rejected,
    Schema,
    Timestamp,
    check_location,
    check_time,
)
from ingest.messages import ReceivedMessage
from ioc.routing import route_sensor
from ioc.services.intake import NewReport

TOPIC = "sensors/+"
CHANNEL = "sensor"

KIND_NAMES_VI = {
    "water_level": "mực nước",
    "flood_depth": "độ sâu ngập",
    "rainfall": "lượng mưa",
    "air_quality": "chất lượng không khí",
    "pm25": "bụi PM2.5",
    "water_quality": "chất lượng nước",
    "noise": "tiếng ồn",
    "smoke": "khói",
    "gas": "khí gas",
    "fire": "cháy",
    "temperature": "nhiệt độ",
}


class SensorAlert(Schema):
    """The payload of a sensor alert (DESIGN.md)."""

    id: MessageId
    sensor_id: Annotated[str, Field(min_length=1, max_length=100)]
    kind: Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[a-z0-9_]+$")]
    value: Annotated[float, Field(allow_inf_nan=False)]
    unit: Annotated[str, Field(max_length=20)]
    at: Timestamp
    lat: Latitude
    lon: Longitude
    threshold: Annotated[float, Field(allow_inf_nan=False)] | None = None


def to_command(msg: ReceivedMessage, data: Any, ctx: ParseContext) -> NewReport:
    """A sensor alert becomes an incident routed by rule, with a readable text."""
    alert: SensorAlert = data
    topic_kind = msg.topic.rsplit("/", 1)[-1]
    if topic_kind != alert.kind:
        raise Rejected(f"kind '{alert.kind}' does not match the topic's '{topic_kind}'", alert.id)
    check_location(alert.lat, alert.lon, ctx)
    check_time(alert.at, "at", ctx)
    name = KIND_NAMES_VI.get(alert.kind, alert.kind)
    text = f"Cảnh báo cảm biến {name} ({alert.sensor_id}): {alert.value:g} {alert.unit}"
    if alert.threshold is not None:
        text += f", vượt ngưỡng {alert.threshold:g} {alert.unit}"
    return NewReport(
        channel=CHANNEL,
        source_id=alert.id,
        text=text,
        reported_at=alert.at,
        lat=alert.lat,
        lon=alert.lon,
        extra={"sensor_id": alert.sensor_id, "kind": alert.kind, "value": alert.value,
               "unit": alert.unit, "threshold": alert.threshold},
        routing=route_sensor(alert.kind, alert.value, alert.threshold),
    )
