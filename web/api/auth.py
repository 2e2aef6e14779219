"""Bearer-token authentication of the JSON API."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request

from ioc.actors import Actor
from ioc.services.users import actor_for_token
from web.context import core
from web.errors import error_response

F = TypeVar("F", bound=Callable[..., Any])


def current_actor() -> Actor | None:
    """The actor of the request's bearer token (or of the logged-in session user)."""
    if "actor" in g:
        return g.actor
    actor = None
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        with core().uow() as uow:
            actor = actor_for_token(uow, header[7:].strip())
    if actor is None:
        session_actor = g.get("session_actor")
        actor = session_actor
    g.actor = actor
    return actor


def require_staff(view: F) -> F:
    """401 unless the request carries a valid staff token."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        actor = current_actor()
        if actor is None:
            return error_response(401, "staff endpoint: send 'Authorization: Bearer <token>'")
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
