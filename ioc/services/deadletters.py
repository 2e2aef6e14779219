"""Dead letters: rejected messages kept with the reason, never dropped."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime

from sqlalchemy import select

from ioc.db import utcnow
from ioc.events import Event
from ioc.models import DeadLetter
from ioc.unit_of_work import UnitOfWork

MAX_STORED_PAYLOAD = 256 * 1024


def record_dead_letter(
    uow: UnitOfWork,
    topic: str,
    payload: bytes,
    reason: str,
    message_id: str | None = None,
    now: datetime | None = None,
) -> DeadLetter:
    """Store a rejected message; the same bytes on the same topic count up instead."""
    now = now or utcnow()
    fingerprint = hashlib.sha256(topic.encode() + b"\0" + payload).hexdigest()
    session = uow.session
    letter = session.scalars(select(DeadLetter).where(DeadLetter.fingerprint == fingerprint)).first()
    if letter is None:
        letter = next(
            (o for o in session.new if isinstance(o, DeadLetter) and o.fingerprint == fingerprint),
            None,
        )
    if letter is not None:
        letter.occurrences += 1
        letter.last_seen_at = now
        return letter
    stored = payload[:MAX_STORED_PAYLOAD]
    try:
        text, encoding = stored.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = base64.b64encode(stored).decode("ascii"), "base64"
    letter = DeadLetter(
        fingerprint=fingerprint,
        topic=topic,
        payload=text,
        payload_encoding=encoding,
        reason=reason[:2000],
        message_id=message_id,
        occurrences=1,
        first_seen_at=now,
        last_seen_at=now,
    )
    session.add(letter)
    session.flush()
    uow.emit(Event("deadletter.created", {"id": letter.id, "topic": topic, "reason": letter.reason}))
    return letter
