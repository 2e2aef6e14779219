"""What handlers receive: a frozen copy of an MQTT message, never a paho object."""

from __future__ import annotations

from typing import NamedTuple


class ReceivedMessage(NamedTuple):
    """One message as it came off the wire.

    A named tuple, not a dataclass: paho's network thread builds one per
    message, and a tuple is several times cheaper to make.
    """

    topic: str
    payload: bytes
    qos: int = 1
    mid: int = 0
    retain: bool = False
    dup: bool = False
