"""Open311 GeoReport v2 API under /open311/v2/ (a machine API: api_key, no CSRF, no session)."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response
from flask_limiter import Limiter
from werkzeug.exceptions import HTTPException

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")

from web.open311 import views  # noqa: E402,F401  (registers the routes)
from web.open311.formats import Open311Error, error_response, request_format  # noqa: E402

log = logging.getLogger(__name__)


@bp.errorhandler(Open311Error)
def _open311_error(exc: Open311Error) -> Response:
    return error_response(request_format(), exc.status, exc.description)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    return error_response(request_format(), exc.code or 500, exc.description or exc.name)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception) -> Response:
    log.exception("open311 request failed")
    return error_response(request_format(), 500, "internal error; it has been logged")


def register_open311(app: Flask, limiter: Limiter) -> None:
    """Register the API; POST requests is rate-limited per client IP; CSRF does not apply."""
    from web.citizen.limits import OPEN311_LIMIT_KEY, limit_posts

    limit_posts(limiter, bp, OPEN311_LIMIT_KEY)
    app.register_blueprint(bp)
    csrf = app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(bp)
