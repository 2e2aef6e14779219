"""Plain facts about MQTT brokers that both ingest and the web side need.

What each kind of broker promises about message loss, and whether something
accepts TCP connections on a port. No MQTT library and no HTTP here: the
managed broker (``ingest.broker``) and the health check (``web.health``)
both import from this module, so neither adapter imports the other.
"""

from __future__ import annotations

import socket

#: Broker kind (as ``ManagedBroker.kind``, or ``external``) → its delivery guarantee.
GUARANTEES = {
    "mosquitto": "persistent sessions: messages queued while ingest is down and "
    "unacknowledged ones redelivered after a crash (zero loss)",
    "amqtt": "pure-Python amqtt (MQTT 3.1.1): no queueing for offline sessions and no "
    "redelivery after a crash; messages published while ingest is down can be lost",
    "external": "external broker: guarantees depend on its configuration",
}


def port_open(host: str, port: int) -> bool:
    """True when something accepts TCP connections on host:port (0.3 s timeout)."""
    try:
        with socket.create_connection((host, port), timeout=0.3):
            return True
    except OSError:
        return False
