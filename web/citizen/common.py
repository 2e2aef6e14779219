"""Shared plumbing of the citizen pages: rendering, errors, security headers.

Every citizen answer is either a page (Vietnamese first) or, when the client
asks for JSON (the PWA's fetch calls), ``{"error": {"status", "message"}}``.
Errors are 4xx with a message in the citizen's language, never a bare 500;
HTTP errors (also those of /citizen/ URLs no route matched, which the app's
handler in ``web.errors`` sends here) add what to do next: a smaller photo,
wait a few minutes or call an emergency number.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Response, jsonify, make_response, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ioc.actors import NotFound
from web.citizen import bp, uploads_bp
from web.citizen.i18n import t, table
from web.context import core
from web.i18n import get_lang

log = logging.getLogger(__name__)

CSP = ("default-src 'self'; img-src 'self' data: blob:{tiles}; script-src 'self'; "
       "style-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")

#: HTTP error status → (message key, key of what to do next). A tracking code
#: nobody issued is not an HTTP 404: the NotFound handler says "no report has this code".
HTTP_MESSAGES: dict[int, tuple[str, str | None]] = {
    404: ("page_not_found", None),
    405: ("method_not_allowed", None),
    413: ("photo_too_large", "photo_too_large_hint"),  # past MAX_CONTENT_LENGTH
    429: ("too_many", "too_many_hint"),  # flask-limiter; its Retry-After stays
}


class FormError(ValueError):
    """A citizen input that cannot be accepted; ``key`` names the message."""

    def __init__(self, key: str, status: int = 400, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.status = status
        self.values = values

    def message(self) -> str:
        """The message in the citizen's language."""
        return t(self.key, **self.values)


def wants_json() -> bool:
    """True for the PWA's fetch calls (``Accept: application/json``) and ``/api/`` paths."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" or "/api/" in request.path


def tiles() -> dict[str, str] | None:
    """The base-map tile layer the console uses (``IOC_TILE_URL``), or None for none."""
    from web.console.basemap import tile_attribution, tile_url

    url = tile_url()
    return {"url": url, "attribution": tile_attribution()} if url else None


def page_config(**extra: Any) -> dict[str, Any]:
    """What every citizen page's JS needs: language, strings, city, URLs."""
    city = core().city
    config: dict[str, Any] = {
        "lang": get_lang(),
        "strings": table(),
        "city": {"name": city.name, "lat": city.lat, "lon": city.lon, "zoom": city.zoom},
        "tiles": tiles(),
        "urls": {
            "report": url_for("citizen.submit_report"),
            "csrf": url_for("citizen.csrf"),
            "track": url_for("citizen.index") + "track/",
            "public": url_for("citizen.public_incidents"),
            "sw": url_for("citizen.service_worker"),
        },
    }
    config.update(extra)
    return config


def render(template: str, status: int = 200, **context: Any) -> Response:
    """Render a citizen template with the citizen strings (``csrf_token()`` is a template global)."""
    lang = get_lang()
    context.setdefault("config", page_config())
    response = make_response(render_template(
        template, t=t, lang=lang, city_name=core().city.name,
        other_lang="vi" if lang == "en" else "en", **context), status)
    return response


def fail(status: int, message: str, hint: str | None = None) -> Response:
    """An error answer: JSON for the PWA, a small page otherwise.

    ``hint`` says what to do next: its own line on the page, appended to the
    message in JSON (the PWA shows the message as it is).
    """
    if wants_json():
        text = f"{message} {hint}" if hint else message
        response = jsonify({"error": {"status": status, "message": text}})
        response.status_code = status
        return response
    return render("citizen/error.html", status=status, message=message, hint=hint)


def http_failure(exc: HTTPException) -> Response:
    """The citizen answer to an HTTP error (message and hint keys from ``HTTP_MESSAGES``).

    Used by the blueprints' handler and by the app's (``web.errors``) for the
    URLs under /citizen/ that no route matched (unknown address, wrong method).
    """
    status = exc.code or 500
    message, hint = HTTP_MESSAGES.get(status, ("request_failed", None))
    return security_headers(fail(status, t(message), t(hint) if hint else None))


@bp.after_request
@uploads_bp.after_request
def security_headers(response: Response) -> Response:
    """The citizen pages' CSP (tile server allowed) and hardening headers, unless already set."""
    tile_origin = ""
    tile = tiles()
    if tile and tile["url"].startswith(("http://", "https://")):
        tile_origin = " " + "/".join(tile["url"].split("/", 3)[:3]).replace("{s}", "*")
    response.headers.setdefault("Content-Security-Policy", CSP.format(tiles=tile_origin))
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


@bp.errorhandler(CSRFError)
def _csrf(exc: CSRFError) -> Response:
    log.info("citizen request refused: %s", exc.description)
    return fail(400, t("csrf_invalid"))


@bp.errorhandler(FormError)
def _form(exc: FormError) -> Response:
    return fail(exc.status, exc.message())


@bp.errorhandler(NotFound)
@uploads_bp.errorhandler(NotFound)
def _not_found(_exc: NotFound) -> Response:
    return fail(404, t("not_found"))


@bp.errorhandler(HTTPException)
@uploads_bp.errorhandler(HTTPException)
def _http(exc: HTTPException) -> Response:
    return http_failure(exc)
