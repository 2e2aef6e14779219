"""One error handler for the whole app: JSON for the API, HTML pages otherwise; never a bare 500.

Requests under ``/api/`` (or asking for JSON) get ``{"error": {"status", "message"}}``;
requests under ``/open311/`` get the Open311 spec's error list (the blueprint
answers its own routes; this covers the paths around it). Paths under
``/citizen/`` get the citizen app's own answer: its page style, or JSON for
its fetch calls. Any other HTTP error (unknown URL 404, wrong method 405,
body past ``MAX_CONTENT_LENGTH`` 413, rate limit 429, ...) gets a small
page on the staff base template saying what to do, in Vietnamese or, with
``?lang=en``, English. The ``Allow`` and ``Retry-After`` headers of the
error are kept. Blueprints with their own handlers (citizen, Open311) keep
answering the routes they own.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from ioc.actors import NotFound, PermissionDenied
from ioc.lifecycle import IllegalTransition
from ioc.queries import QueryError
from web.i18n import MESSAGES, t

log = logging.getLogger(__name__)

#: Headers of an HTTP error that its answer keeps (405's methods, 429's wait).
KEPT_HEADERS = ("Allow", "Retry-After")


def error_response(status: int, message: str):
    """A JSON error body ``{"error": {"status", "message"}}``."""
    return jsonify({"error": {"status": status, "message": message}}), status


def render_error(status: int, message: str | None = None):
    """An error page in the user's language, on the staff base template.

    The title and text come from ``error.<status>`` and ``error.<status>.text``
    when defined, else from ``error.500`` for server errors or the "request
    refused" title and ``error.other.text`` for the other 4xx; ``message``
    replaces the text.
    """
    key = f"error.{status}"
    if key not in MESSAGES:
        key = "error.500" if status >= 500 else ""
    title = t(key) if key else t("csrf.title")
    text = message or t(f"{key}.text" if key else "error.other.text")
    return render_template("errors/error.html", status=status, title=title, message=text), status


def wants_json() -> bool:
    """True for the JSON API and for clients that ask for JSON first."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def is_citizen_path() -> bool:
    """True under the citizen app's ``/citizen/`` (``/uploads/`` also serves staff photos)."""
    from web.citizen import bp

    return request.path.startswith(f"{bp.url_prefix}/")


def http_error(exc: HTTPException) -> Response | HTTPException:
    """The answer to an HTTP error raised outside a blueprint's own handlers.

    An error that carries its own response (``abort(response)``) keeps it.
    """
    if exc.response is not None:
        return exc
    status = exc.code or 500
    description = exc.description or exc.name
    if request.path.startswith("/open311/"):
        # Imported here: the Open311 package loads its views, which web.errors need not.
        from web.open311.formats import error_response as open311_error
        from web.open311.formats import request_format

        answer = open311_error(request_format(), status, description)
    elif is_citizen_path():
        from web.citizen.common import http_failure

        answer = http_failure(exc)
    elif wants_json():
        answer = make_response(error_response(status, description))
    else:
        answer = make_response(render_error(status))
    for name, value in exc.get_headers():
        if name in KEPT_HEADERS:
            answer.headers[name] = value
    return answer


def register_error_handlers(app: Flask) -> None:
    """Map domain errors to 4xx and HTTP errors to JSON bodies or HTML pages."""

    @app.errorhandler(QueryError)
    @app.errorhandler(IllegalTransition)
    def _bad_request(exc: Exception):
        status = 409 if isinstance(exc, IllegalTransition) else 400
        return error_response(status, str(exc))

    @app.errorhandler(NotFound)
    def _not_found(exc: NotFound):
        return error_response(404, str(exc))

    @app.errorhandler(PermissionDenied)
    def _forbidden(exc: PermissionDenied):
        return error_response(403, str(exc))

    app.register_error_handler(HTTPException, http_error)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        try:  # in the format of the page asked for, like any HTTP error
            return http_error(InternalServerError())
        except Exception:  # the error page itself failed (the database is down, say)
            log.exception("the error page failed too")
            return error_response(500, "internal error; it has been logged")
