"""Staff accounts in the browser: login/logout, sessions, CSRF and role checks."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from web.auth import views  # noqa: E402,F401  (registers the routes)
from web.auth.session import init_auth  # noqa: E402

__all__ = ["bp", "init_auth"]
