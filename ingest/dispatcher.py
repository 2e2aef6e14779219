"""Match a message to its handler and turn it into a core command or a rejection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ingest.handlers import HANDLERS, Handler
from ingest.handlers.base import ParseContext, Rejected, decode_json, validate
from ingest.messages import ReceivedMessage

DEADLETTER_SUFFIX = "deadletter"


@dataclass(frozen=True)
class Parsed:
    """Either a command for the core or the reason the message was rejected."""

    message: ReceivedMessage
    command: Any = None
    rejection: Rejected | None = None


class Dispatcher:
    """Topic routing for one topic root (``ioc/v1`` by default)."""

    def __init__(self, topic_root: str = "ioc/v1", handlers: tuple[Handler, ...] = HANDLERS):
        self.topic_root = topic_root.strip("/")
        self.handlers = handlers
        # paho's topic_matches_sub builds a matcher per call: far too slow per message
        self._exact: dict[str, Handler] = {}
        self._wildcards: list[tuple[list[str], Handler]] = []
        for h in handlers:
            full = f"{self.topic_root}/{h.pattern}"
            if "+" in full or "#" in full:
                if "#" in full:
                    raise ValueError(f"handler pattern {h.pattern!r}: only '+' wildcards")
                self._wildcards.append((full.split("/"), h))
            else:
                self._exact[full] = h

    @property
    def subscriptions(self) -> list[str]:
        """The topic filters the ingest worker subscribes to."""
        return [f"{self.topic_root}/{h.pattern}" for h in self.handlers]

    @property
    def deadletter_topic(self) -> str:
        """Where rejected messages are republished."""
        return f"{self.topic_root}/{DEADLETTER_SUFFIX}"

    def handler_for(self, topic: str) -> Handler | None:
        """The handler whose pattern matches ``topic`` (``+`` matches one level)."""
        handler = self._exact.get(topic)
        if handler is not None:
            return handler
        levels = topic.split("/")
        for parts, candidate in self._wildcards:
            if len(parts) == len(levels) and all(
                p == "+" or p == level for p, level in zip(parts, levels, strict=True)
            ):
                return candidate
        return None

    def parse(self, msg: ReceivedMessage, ctx: ParseContext) -> Parsed:
        """Decode, validate and convert; never raises on bad input."""
        handler = self.handler_for(msg.topic)
        if handler is None:
            return Parsed(msg, rejection=Rejected(f"no handler for topic '{msg.topic}'"))
        try:
            model = None
            if len(msg.payload) <= ctx.max_payload_bytes:
                try:  # the fast path: pydantic parses and validates the bytes in one go
                    model = handler.schema.model_validate_json(msg.payload)
                except ValidationError:
                    model = None
            if model is None:  # the slow path says precisely what is wrong
                model = validate(handler.schema, decode_json(msg, ctx))
            return Parsed(msg, command=handler.to_command(msg, model, ctx))
        except Rejected as exc:
            return Parsed(msg, rejection=exc)
