"""MQTT connection settings and client construction (paho-mqtt 2.x)."""

from __future__ import annotations

import contextlib
import logging
import ssl
import threading
import time
import uuid
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

log = logging.getLogger(__name__)

#: A persistent session outlives a worker restart by this long (seconds).
SESSION_EXPIRY_S = 7 * 24 * 3600


@dataclass(frozen=True)
class MqttTarget:
    """Where and how to connect."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    tls: bool = False
    protocol: str = "5"

    @property
    def paho_protocol(self) -> mqtt.MQTTProtocolVersion:
        """paho's protocol constant."""
        return mqtt.MQTTv5 if self.protocol == "5" else mqtt.MQTTv311


def parse_mqtt_url(url: str, protocol: str = "5") -> MqttTarget:
    """``mqtt://user:pass@host:1883`` or ``mqtts://...`` → MqttTarget; ValueError if malformed."""
    parsed = urlparse(url)
    if parsed.scheme not in {"mqtt", "mqtts", "tcp", "ssl"}:
        raise ValueError(f"unsupported MQTT URL scheme in {url!r} (use mqtt:// or mqtts://)")
    if not parsed.hostname:
        raise ValueError(f"MQTT URL {url!r} has no host")
    tls = parsed.scheme in {"mqtts", "ssl"}
    return MqttTarget(
        host=parsed.hostname,
        port=parsed.port or (8883 if tls else 1883),
        username=unquote(parsed.username) if parsed.username else None,
        password=unquote(parsed.password) if parsed.password else None,
        tls=tls,
        protocol="5" if protocol in {"5", "5.0", "v5"} else "3.1.1",
    )


def make_client(
    target: MqttTarget,
    client_id: str | None = None,
    *,
    persistent: bool = False,
    manual_ack: bool = False,
) -> mqtt.Client:
    """A paho client; ``persistent`` keeps the broker-side session (and its queue) across restarts."""
    client_id = client_id or f"ioc-{uuid.uuid4().hex[:12]}"
    if target.protocol == "5":
        client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5,
            manual_ack=manual_ack,
        )
    else:
        client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv311,
            clean_session=not persistent, manual_ack=manual_ack,
        )
    if target.username:
        client.username_pw_set(target.username, target.password)
    if target.tls:
        client.tls_set(cert_reqs=ssl.CERT_REQUIRED)
    client.reconnect_delay_set(min_delay=1, max_delay=10)
    # Outgoing QoS 1 window: the default 20 throttles publishers badly.
    client.max_inflight_messages_set(1000)
    return client


def connect(
    client: mqtt.Client,
    target: MqttTarget,
    *,
    persistent: bool = False,
    receive_maximum: int = 1000,
    asynchronous: bool = False,
) -> None:
    """Connect; with ``asynchronous`` the network loop keeps retrying until the broker answers.

    The network loop must be started by the caller.
    """
    kwargs: dict[str, object] = {"keepalive": 30}
    if target.protocol == "5":
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = SESSION_EXPIRY_S if persistent else 0
        # How many unacknowledged QoS 1 messages the broker may send us: since
        # we acknowledge after the batch commit, this bounds the batch size.
        props.ReceiveMaximum = receive_maximum
        kwargs.update(clean_start=not persistent, properties=props)
    if asynchronous:
        client.connect_async(target.host, target.port, **kwargs)  # type: ignore[arg-type]
    else:
        client.connect(target.host, target.port, **kwargs)  # type: ignore[arg-type]


def wait_published(infos: list[mqtt.MQTTMessageInfo], timeout: float = 10.0) -> int:
    """Wait until the broker acknowledged these publishes; returns how many did not make it."""
    deadline = time.monotonic() + timeout
    missing = 0
    for info in infos:
        remaining = deadline - time.monotonic()
        if info.is_published():
            continue
        with contextlib.suppress(RuntimeError, ValueError):
            info.wait_for_publish(max(remaining, 0.01))
        if not info.is_published():
            missing += 1
    return missing


def disconnect_cleanly(client: mqtt.Client, timeout: float = 3.0) -> None:
    """Disconnect, wait for the network loop to close the socket, then stop the loop."""
    done = threading.Event()
    previous = client.on_disconnect

    def on_disconnect(*args: object) -> None:
        done.set()
        if previous is not None:
            previous(*args)

    client.on_disconnect = on_disconnect
    if client.disconnect() == mqtt.MQTT_ERR_SUCCESS:
        done.wait(timeout)
    client.loop_stop()
    # paho keeps its wake-up socket pair (and the socket, if the broker is
    # gone) open until garbage collection; close them now. No public API.
    reset = getattr(client, "_reset_sockets", None)
    if reset is not None:
        reset()
