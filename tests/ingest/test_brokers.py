"""The brokers `ioc up` can manage: Mosquitto (preferred) and amqtt (fallback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.broker import ManagedBroker, find_mosquitto, mosquitto_config
from ingest.mqtt import parse_mqtt_url
from tests.ingest import payloads as p
from tests.ingest.mqtt_helpers import Publisher, Subscriber
from tests.services import free_port

pytestmark = pytest.mark.broker


def test_amqtt_fallback_carries_messages_and_states_its_weaker_guarantee(tmp_path: Path) -> None:
    broker = ManagedBroker(free_port(), tmp_path, kind="amqtt")
    broker.start()
    try:
        assert broker.protocol == "3.1.1"
        assert "can be lost" in broker.guarantees
        target = parse_mqtt_url(broker.url, broker.protocol)
        sub = Subscriber(target, "ioc/v1/reports/#")
        pub = Publisher(target)
        body = p.encode(p.field_report("Đường ngập sâu sau cơn mưa"))
        pub.publish("ioc/v1/reports/field", body)
        pub.close()
        got = sub.collect(1, timeout=10)
        sub.close()
        assert [m.payload for m in got] == [body]
    finally:
        broker.stop()
    assert not broker.alive()


def test_generated_mosquitto_config_never_drops_queued_messages(tmp_path: Path) -> None:
    conf = mosquitto_config(1884, tmp_path)
    assert "max_queued_messages 0" in conf and "persistence true" in conf
    assert "listener 1884 127.0.0.1" in conf
    shipped = (Path(__file__).parents[2] / "config" / "mosquitto.conf").read_text()
    assert "\nmax_queued_messages 0\n" in shipped
    assert "\nallow_anonymous false\n" in shipped


def test_auto_prefers_mosquitto_when_installed(tmp_path: Path) -> None:
    broker = ManagedBroker(free_port(), tmp_path)
    assert broker.kind == ("mosquitto" if find_mosquitto() else "amqtt")


def test_port_in_use_is_a_clear_error(tmp_path: Path, mqtt_target) -> None:
    broker = ManagedBroker(mqtt_target.port, tmp_path)
    with pytest.raises(RuntimeError, match="already in use"):
        broker.start()
