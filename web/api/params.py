"""Parsing query-string parameters into typed values with clear 400 errors."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import request

from ioc.queries import QueryError


def csv_arg(name: str) -> list[str]:
    """``?x=a,b&x=c`` → ``["a", "b", "c"]``; empty values are ignored."""
    values: list[str] = []
    for raw in request.args.getlist(name):
        values += [v.strip() for v in raw.split(",") if v.strip()]
    return values


def int_arg(name: str, default: int) -> int:
    """An integer parameter."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise QueryError(f"'{name}' must be an integer") from None


def bool_arg(name: str) -> bool | None:
    """true/false/1/0, or None when absent."""
    raw = request.args.get(name, "").strip().lower()
    if not raw:
        return None
    if raw in {"1", "true", "yes"}:
        return True
    if raw in {"0", "false", "no"}:
        return False
    raise QueryError(f"'{name}' must be true or false")


def time_arg(name: str) -> datetime | None:
    """An ISO 8601 time; without an offset it is taken as UTC."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise QueryError(f"'{name}' must be an ISO 8601 time") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
