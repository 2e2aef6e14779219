"""Live push end to end: an MQTT report reaches a Socket.IO client of /live.

Default pass: the ingest worker shares the web app's core (as in `ioc up`).
With IOC_REDIS_URL (CI's second pass): the worker has its own core and pushes
through Redis, the Socket.IO message queue, as separate `ioc ingest` processes do.
"""

from __future__ import annotations

import threading
import time

import pytest
import socketio

from ioc.core import Core, build_core
from ioc.processes import attach_redis_pusher, start_ingest
from ioc.services.users import create_token, create_user
from tests.ingest import payloads as p
from tests.ingest.mqtt_helpers import Publisher
from tests.services import serve

pytestmark = pytest.mark.broker


def operator_token(core: Core, username: str = "op.live", role: str = "operator",
                   department: str | None = None) -> str:
    with core.uow() as uow:
        token = create_token(uow, create_user(uow, username, "mat-khau-9x", role, department))
        uow.commit()
    return token


def test_mqtt_report_reaches_the_operator_console_live(app, core: Core, settings,
                                                       mqtt_target, topic_root) -> None:
    server = serve(app)
    worker_core = core
    pusher = None
    if settings.redis_url:
        worker_core = build_core(settings)
        pusher = attach_redis_pusher(worker_core)
    worker = start_ingest(worker_core, mqtt_target)
    received: list[dict] = []
    got = threading.Event()
    client = socketio.Client(reconnection=False)

    @client.on("events", namespace="/live")
    def on_events(items: list[dict]) -> None:
        received.extend(items)
        if any(i["type"] == "incident.created" for i in items):
            got.set()

    try:
        client.connect(server.url, namespaces=["/live"], transports=["websocket"],
                       auth={"token": operator_token(core)}, wait_timeout=10)
        assert worker.wait_ready(10)
        report = p.field_report("Cột điện trước chợ nghiêng sắp đổ, dây điện võng sát đầu người")
        sent = time.monotonic()
        pub = Publisher(mqtt_target)
        pub.publish(f"{topic_root}/reports/field", p.encode(report))
        pub.close()
        assert got.wait(15), f"no live event; received {received}"
        latency = time.monotonic() - sent
        created = [i["data"] for i in received if i["type"] == "incident.created"]
        assert created[0]["text"] == report["text"]
        assert created[0]["channel"] == "field_report"
        assert "reporter" not in created[0]  # live events carry no personal data
        assert latency < 10
    finally:
        client.disconnect()
        worker.stop()
        if pusher is not None:
            pusher.stop()
            worker_core.close()
        server.stop()
        app.extensions["ioc.pusher"].stop()


def test_unauthenticated_live_connection_is_refused(app) -> None:
    server = serve(app)
    client = socketio.Client(reconnection=False)
    try:
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(server.url, namespaces=["/live"], transports=["websocket"],
                           auth={"token": "wrong"}, wait_timeout=5)
    finally:
        client.disconnect()
        server.stop()
