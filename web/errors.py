"""One error handler for the whole app: JSON for the API, text otherwise; never a bare 500."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from ioc.actors import NotFound, PermissionDenied
from ioc.lifecycle import IllegalTransition
from ioc.queries import QueryError

log = logging.getLogger(__name__)


def error_response(status: int, message: str):
    """A JSON error body ``{"error": {"status", "message"}}``."""
    return jsonify({"error": {"status": status, "message": message}}), status


def register_error_handlers(app: Flask) -> None:
    """Map domain errors to 4xx and HTTP errors to JSON bodies."""

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

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if request.path.startswith(("/api/", "/open311/")) or request.accept_mimetypes.best == "application/json":
            return error_response(exc.code or 500, exc.description or exc.name)
        return exc

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal error; it has been logged")
