"""What handlers receive: a frozen copy of an MQTT message, never a paho object."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ioc.db import utcnow


@dataclass(frozen=True)
class ReceivedMessage:
    """One message as it came off the wire."""

    topic: str
    payload: bytes
    qos: int = 1
    mid: int = 0
    retain: bool = False
    dup: bool = False
    received_at: datetime = field(default_factory=utcnow)
    received_monotonic: float = 0.0
