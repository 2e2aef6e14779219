"""Role checks for pages, forms and data endpoints (error pages: ``web.errors``).

Pages and forms send an anonymous visitor to the login page; data endpoints
(JSON, CSV, GeoJSON, photos) answer 401. A logged-in user without the role
gets 403; an incident of another department is a 404, never a 403, so its
existence is not revealed (the services raise NotFound for that).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import redirect, request, url_for
from flask_login import current_user

from ioc.actors import Actor
from web.errors import error_response, render_error

F = TypeVar("F", bound=Callable[..., Any])

STAFF = ("admin", "operator", "department", "leader")
CONSOLE_ROLES = ("admin", "operator", "leader")
ACTING_ROLES = ("admin", "operator", "department")
TRIAGE_ROLES = ("admin", "operator")


def actor() -> Actor:
    """The logged-in user's actor (call only inside a role-checked view)."""
    return current_user.actor


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site (no open redirect), else None."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def roles_required(*roles: str, data: bool = False) -> Callable[[F], F]:
    """Allow only logged-in users with one of ``roles``.

    ``data=True`` for endpoints read by scripts: 401/403 JSON bodies instead
    of a redirect to the login page / an HTML error page.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                if data:
                    return error_response(401, "log in first (or use the JSON API with a token)")
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if current_user.role not in roles:
                if data:
                    return error_response(403, f"role '{current_user.role}' may not do this")
                return render_error(403)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def home_for(role: str | None) -> str:
    """Where a role starts: the console for the operations room, the inbox for departments."""
    if role == "department":
        return url_for("inbox.inbox")
    if role in CONSOLE_ROLES:
        return url_for("console.page")
    return url_for("auth.login")
