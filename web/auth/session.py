"""Flask-Login sessions, CSRF protection and the session → Actor hooks.

Every state-changing request made with the session cookie must carry a CSRF
token (form field ``csrf_token`` or header ``X-CSRFToken``). Requests that
authenticate with ``Authorization: Bearer`` carry no ambient credential, so
they are not checked; nor are the public paths in ``IOC_CSRF_EXEMPT_PREFIXES``
(the Open311 API) or views marked with ``app.extensions["csrf"].exempt``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, g, request
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from ioc.actors import Actor
from ioc.models import User
from web.context import core
from web.errors import error_response, render_error, wants_json
from web.i18n import t

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass
class SessionUser(UserMixin):
    """The logged-in staff member, as loaded for one request."""

    id: int
    username: str
    role: str
    department: str | None
    full_name: str = ""

    @classmethod
    def from_user(cls, user: User) -> SessionUser:
        """Copy what the request needs out of the ORM row."""
        return cls(user.id, user.username, user.role, user.department_code, user.full_name)

    def get_id(self) -> str:
        """Flask-Login's session key."""
        return str(self.id)

    @property
    def actor(self) -> Actor:
        """The identity services check and the event log records."""
        return Actor(self.username, self.role, self.department)

    @property
    def display_name(self) -> str:
        """Full name, or the username."""
        return self.full_name or self.username


def session_actor() -> Actor | None:
    """The Actor of the logged-in user, or None (also used by the Socket.IO connect hook)."""
    user = current_user
    if user is None or not user.is_authenticated:
        return None
    return user.actor


def _load_user(user_id: str) -> SessionUser | None:
    if not user_id.isdigit():
        return None
    with core().uow() as uow:
        user = uow.session.get(User, int(user_id))
        if user is None or not user.active:
            return None
        return SessionUser.from_user(user)


def _is_bearer() -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


def init_auth(app: Flask) -> None:
    """Attach Flask-Login, CSRF protection and the session-actor hooks to the app."""
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", timedelta(hours=12))
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # valid for the session's life
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # checked by _csrf below
    app.config.setdefault("IOC_CSRF_EXEMPT_PREFIXES", ("/open311/",))

    manager = LoginManager()
    manager.session_protection = "basic"
    manager.user_loader(_load_user)
    manager.init_app(app)
    csrf = CSRFProtect(app)
    app.extensions["ioc.session_actor"] = session_actor

    @app.before_request
    def _csrf() -> None:
        if request.method in SAFE_METHODS or _is_bearer():
            return
        if request.path.startswith(tuple(app.config["IOC_CSRF_EXEMPT_PREFIXES"])):
            return
        csrf.protect(apply_exemptions=True)

    @app.before_request
    def _session_actor() -> None:
        if request.endpoint != "static":
            g.session_actor = session_actor()

    @app.errorhandler(CSRFError)
    def _csrf_refused(exc: CSRFError):
        log.info("refused %s %s: %s", request.method, request.path, exc.description)
        message = f"{t('csrf.message')} ({exc.description})"
        if wants_json():
            return error_response(400, message)
        return render_error(400, message)
