"""Schemas and conversion of every topic family: parametrised payload tables."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ingest.dispatcher import Dispatcher
from ingest.handlers.base import ParseContext
from ingest.messages import ReceivedMessage
from ioc.db import utcnow
from ioc.geo import DEFAULT_CITY
from ioc.services.dossiers import CounterEvent
from ioc.services.intake import NewReport
from tests.ingest import payloads as p

ROOT = "ioc/v1"
DISPATCHER = Dispatcher(ROOT)


def parse(subtopic: str, payload: bytes | dict[str, Any]) -> Any:
    body = payload if isinstance(payload, bytes) else p.encode(payload)
    msg = ReceivedMessage(topic=f"{ROOT}/{subtopic}", payload=body)
    return DISPATCHER.parse(msg, ParseContext(city=DEFAULT_CITY, now=utcnow()))


VALID = [
    ("reports/field", p.field_report(), NewReport, "field_report"),
    ("reports/field", p.field_report(photos=[], reporter=None, address=None), NewReport,
     "field_report"),
    ("reports/hotline", p.hotline_ticket(), NewReport, "hotline"),
    ("reports/hotline", p.hotline_ticket(lat=10.81, lon=105.34), NewReport, "hotline"),
    ("counter/events", p.counter_event("D-1", "received", p.NOW, p.NOW + timedelta(days=3)),
     CounterEvent, None),
    ("counter/events", p.counter_event("D-1", "resolved", p.NOW), CounterEvent, None),
    ("sensors/water_level", p.sensor_alert(), NewReport, "sensor"),
]


@pytest.mark.parametrize(("subtopic", "payload", "kind", "channel"), VALID)
def test_valid_payloads_become_commands(subtopic: str, payload: dict[str, Any], kind: type,
                                        channel: str | None) -> None:
    parsed = parse(subtopic, payload)
    assert parsed.rejection is None
    assert isinstance(parsed.command, kind)
    if channel:
        assert parsed.command.channel == channel
        assert parsed.command.source_id == payload["id"]


def test_field_report_keeps_reporter_photos_and_hint() -> None:
    cmd = parse("reports/field", p.field_report(category="do_thi")).command
    assert cmd.reporter_name == "Nguyễn Văn An"
    assert cmd.reporter_phone == "0912 345 678"
    assert cmd.photos == ("https://app.example.vn/media/a1.jpg",)
    assert cmd.category_hint == "do_thi"


def test_sensor_alert_is_routed_by_rule_with_readable_text() -> None:
    cmd = parse("sensors/smoke", p.sensor_alert(kind="smoke", value=80, unit="ppm",
                                                threshold=50)).command
    assert cmd.routing.department == "pccc" and cmd.routing.urgent
    assert "khói" in cmd.text and "80 ppm" in cmd.text


INVALID = [
    ("not JSON", "reports/field", b"{text: no quotes}", "not valid JSON"),
    ("not UTF-8", "reports/field", b'{"id": "x", "text": "\xff\xfe"}', "not valid UTF-8"),
    ("array", "reports/field", b"[1, 2, 3]", "must be a JSON object"),
    ("empty", "reports/field", b"", "not valid JSON"),
    ("oversized", "reports/field", b'{"text": "' + b"a" * 70000 + b'"}', "payload too large"),
    ("missing text", "reports/field", {k: v for k, v in p.field_report().items() if k != "text"},
     "text: Field required"),
    ("blank id", "reports/field", p.field_report(id="   "), "id:"),
    ("lat out of range", "reports/field", p.field_report(lat=123.0), "lat:"),
    ("lon not a number", "reports/field", p.field_report(lon="east"), "lon:"),
    ("null island", "reports/field", p.field_report(lat=0, lon=0), "0,0"),
    ("far away", "reports/field", p.field_report(lat=21.03, lon=105.85), "outside the service area"),
    ("naive time", "reports/field", p.field_report(reported_at="2026-11-23T10:00:00"),
     "reported_at:"),
    ("future", "reports/field", p.field_report(reported_at="2031-01-01T00:00:00+07:00"),
     "in the future"),
    ("too many photos", "reports/field", p.field_report(photos=["u"] * 30), "photos:"),
    ("bad phone", "reports/field", p.field_report(reporter={"phone": "<script>"}), "phone"),
    ("hotline without transcript", "reports/hotline",
     {k: v for k, v in p.hotline_ticket().items() if k != "transcript"}, "transcript"),
    ("hotline lat without lon", "reports/hotline", p.hotline_ticket(lat=10.8), "together"),
    ("counter unknown event", "counter/events", p.counter_event("D", "archived", p.NOW), "event:"),
    ("counter received without due", "counter/events", p.counter_event("D", "received", p.NOW),
     "due_at is required"),
    ("counter due before received", "counter/events",
     p.counter_event("D", "received", p.NOW, p.NOW - timedelta(days=2)), "before"),
    ("counter bad channel", "counter/events",
     p.counter_event("D", "resolved", p.NOW, channel="fax"), "channel:"),
    ("sensor kind mismatch", "sensors/smoke", p.sensor_alert(kind="water_level"),
     "does not match"),
    ("sensor value NaN", "sensors/water_level", b'{"id":"s","sensor_id":"a","kind":"water_level",'
     b'"value":NaN,"unit":"m","at":"2026-11-23T10:00:00+07:00","lat":10.8,"lon":105.3}', "value"),
    ("unknown topic", "reports/email", p.field_report(), "no handler"),
]


@pytest.mark.parametrize(("label", "subtopic", "payload", "reason"), INVALID,
                         ids=[row[0] for row in INVALID])
def test_invalid_payloads_are_rejected_with_the_reason(label: str, subtopic: str,
                                                       payload: Any, reason: str) -> None:
    parsed = parse(subtopic, payload)
    assert parsed.command is None
    assert parsed.rejection is not None
    assert reason in parsed.rejection.reason, parsed.rejection.reason


def test_subscriptions_cover_the_three_streams_and_sensors() -> None:
    assert DISPATCHER.subscriptions == [
        "ioc/v1/reports/field", "ioc/v1/reports/hotline", "ioc/v1/counter/events",
        "ioc/v1/sensors/+",
    ]
    assert DISPATCHER.deadletter_topic == "ioc/v1/deadletter"
