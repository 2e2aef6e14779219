"""Shared parts of the topic handlers: decoding, rejection, the parse context."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from ingest.messages import ReceivedMessage
from ioc.geo import City, haversine_m


class Rejected(Exception):
    """A message that cannot be accepted; ``reason`` says why in plain words."""

    def __init__(self, reason: str, message_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message_id = message_id


@dataclass(frozen=True)
class ParseContext:
    """What validation needs to know about the city and the clock."""

    city: City
    now: datetime
    max_payload_bytes: int = 64 * 1024
    service_radius_km: float = 100.0
    max_clock_skew: timedelta = timedelta(hours=24)


def decode_json(msg: ReceivedMessage, ctx: ParseContext) -> dict[str, Any]:
    """Bytes → JSON object, or Rejected with the reason."""
    if len(msg.payload) > ctx.max_payload_bytes:
        raise Rejected(
            f"payload too large: {len(msg.payload)} bytes (limit {ctx.max_payload_bytes})"
        )
    try:
        text = msg.payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Rejected(f"payload is not valid UTF-8: {exc.reason} at byte {exc.start}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Rejected(f"payload is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(data, dict):
        raise Rejected(f"payload must be a JSON object, got {type(data).__name__}")
    return data


def validate(model: type[BaseModel], data: dict[str, Any]) -> Any:
    """Validate against a schema; a failure becomes Rejected listing each problem."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'payload'}: {err['msg']}"
            for err in exc.errors(include_url=False)
        )
        message_id = data.get("id") if isinstance(data.get("id"), str) else None
        raise Rejected(f"schema violation: {problems}", message_id) from None


def check_location(lat: float | None, lon: float | None, ctx: ParseContext) -> None:
    """Reject coordinates that cannot be a place in this city."""
    if lat is None and lon is None:
        return
    if lat is None or lon is None:
        raise Rejected("lat and lon must be given together")
    if lat == 0 and lon == 0:
        raise Rejected("coordinates 0,0 are a GPS failure, not a place in the city")
    distance_km = haversine_m(lat, lon, ctx.city.lat, ctx.city.lon) / 1000
    if distance_km > ctx.service_radius_km:
        raise Rejected(
            f"coordinates {lat},{lon} are {distance_km:.0f} km from {ctx.city.name}, "
            f"outside the service area ({ctx.service_radius_km:.0f} km)"
        )


def check_time(value: datetime, name: str, ctx: ParseContext) -> None:
    """Reject times far in the future (a wrong clock or a wrong year)."""
    if value - ctx.now > ctx.max_clock_skew:
        raise Rejected(f"{name} {value.isoformat()} is in the future")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value.strip()


MessageId = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_not_blank)]
ShortText = Annotated[str, Field(max_length=500)]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
Timestamp = AwareDatetime


class Schema(BaseModel):
    """Base of payload schemas: strict about types, lenient about extra fields."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)
