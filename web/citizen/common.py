"""Shared plumbing of the citizen pages: rendering, errors, security headers.

Every citizen answer is either a page (Vietnamese first) or, when the client
asks for JSON (the PWA's fetch calls), ``{"error": {"status", "message"}}``.
Errors are 4xx with a message in the citizen's language, never a bare 500.
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


def fail(status: int, message: str) -> Response:
    """An error answer: JSON for the PWA, a small page otherwise."""
    if wants_json():
        response = jsonify({"error": {"status": status, "message": message}})
        response.status_code = status
        return response
    return render("citizen/error.html", status=status, message=message)


@bp.after_request
@uploads_bp.after_request
def _security_headers(response: Response) -> Response:
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
    status = exc.code or 500
    if status == 429:
        return fail(429, t("too_many"))
    if status == 413:
        return fail(413, t("photo_too_large"))
    if status == 404:
        return fail(404, t("not_found"))
    return fail(status, exc.description or exc.name)
