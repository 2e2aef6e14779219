"""Staff accounts and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from ioc.actors import ROLES, Actor
from ioc.db import utcnow
from ioc.models import ApiToken, Department, User
from ioc.unit_of_work import UnitOfWork

_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    """True when the password matches the user's hash."""
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_user(uow: UnitOfWork, username: str, password: str, role: str,
                department: str | None = None, full_name: str = "") -> User:
    """Create a staff account; ValueError explains what is wrong with the input."""
    username = username.strip().lower()
    if not username or not username.replace("_", "").replace(".", "").replace("-", "").isalnum():
        raise ValueError("username must be letters, digits, '.', '-' or '_'")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if role == "department":
        if not department or uow.session.get(Department, department) is None:
            raise ValueError("department staff need a valid department code")
    elif department is not None:
        raise ValueError("only department staff belong to a department")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if uow.session.scalars(select(User).where(User.username == username)).first():
        raise ValueError(f"user '{username}' already exists")
    user = User(username=username, password_hash=hash_password(password), role=role,
                department_code=department, full_name=full_name, created_at=utcnow())
    uow.session.add(user)
    uow.session.flush()
    return user


def find_user(uow: UnitOfWork, username: str) -> User | None:
    """The active user with this name."""
    return uow.session.scalars(
        select(User).where(User.username == username.strip().lower(), User.active.is_(True))
    ).first()


def create_token(uow: UnitOfWork, user: User, label: str = "") -> str:
    """Create a bearer token; the clear value is returned once and never stored."""
    token = "ioc_" + secrets.token_urlsafe(32)
    uow.session.add(ApiToken(user_id=user.id, digest=_digest(token), label=label,
                             created_at=utcnow()))
    uow.session.flush()
    return token


def actor_for_token(uow: UnitOfWork, token: str) -> Actor | None:
    """The actor a bearer token stands for, or None if unknown or revoked."""
    row = uow.session.scalars(
        select(ApiToken).where(ApiToken.digest == _digest(token), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not row.user.active:
        return None
    return actor_for_user(row.user)


def actor_for_user(user: User) -> Actor:
    """The actor of a staff account."""
    return Actor(user.username, user.role, user.department_code)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
