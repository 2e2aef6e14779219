"""API keys of Open311 client applications."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from ioc.db import utcnow
from ioc.models import ApiKey
from ioc.unit_of_work import UnitOfWork


def create_api_key(uow: UnitOfWork, name: str) -> str:
    """Create a key for a client application; the clear key is returned once, never stored."""
    name = (name or "").strip()
    if not name:
        raise ValueError("an API key needs the name of the application using it")
    key = "o311_" + secrets.token_urlsafe(24)
    uow.session.add(ApiKey(name=name, digest=_digest(key), created_at=utcnow()))
    uow.session.flush()
    return key


def check_api_key(uow: UnitOfWork, key: str) -> ApiKey | None:
    """The active key record, or None when the key is unknown or revoked."""
    if not key:
        return None
    return uow.session.scalars(
        select(ApiKey).where(ApiKey.digest == _digest(key), ApiKey.revoked_at.is_(None))
    ).first()


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
