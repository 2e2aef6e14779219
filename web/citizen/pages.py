"""The PWA shell: the report page, the public map, manifest, service worker and photos."""

from __future__ import annotations

from pathlib import Path

from flask import Response, abort, jsonify, request, send_file, url_for
from flask_wtf.csrf import generate_csrf

from ioc.db import utcnow
from ioc.geo import bbox_around
from ioc.uploads import KEY_PATTERN, photo_store
from web.citizen import bp, uploads_bp
from web.citizen.common import FormError, page_config, render
from web.citizen.i18n import t
from web.citizen.public import map_item, recent_public
from web.context import core
from web.i18n import get_lang

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "citizen"
MAX_DAYS = 90
NEAR_RADIUS_M = 300.0


def report_page(error: str | None = None, status: int = 200) -> Response:
    """The three-step report form (also re-shown with an error when JS is off)."""
    departments = [
        {"code": d.code, "name": d.name_en if get_lang() == "en" else d.name_vi}
        for d in core().taxonomy.departments
    ]
    return render("citizen/report.html", status=status, error=error, departments=departments,
                  form=request.form if request.method == "POST" else {})


@bp.get("/")
def index() -> Response:
    """The citizen app's start page: file a report."""
    return report_page()


@bp.get("/map")
def map_page() -> Response:
    """The public map of recent reports, with a plain list under it."""
    c = core()
    lang = get_lang()
    with c.uow() as uow:
        items = [map_item(i, lang, c.settings.timezone)
                 for i in recent_public(uow.session, utcnow(), days=30, limit=50)]
    return render("citizen/map.html", items=items)


@bp.get("/api/public-incidents")
def public_incidents() -> Response:
    """Recent incidents without personal data: ``days`` (≤ 90), ``near=lat,lon``, ``limit`` (≤ 500)."""
    c = core()
    try:
        days = min(max(int(request.args.get("days") or 30), 1), MAX_DAYS)
        limit = min(max(int(request.args.get("limit") or 500), 1), 500)
    except ValueError:
        raise FormError("bad_parameter") from None
    bbox = None
    near = (request.args.get("near") or "").strip()
    if near:
        try:
            lat, lon = (float(v) for v in near.split(","))
        except ValueError:
            raise FormError("location_invalid") from None
        bbox = bbox_around(lat, lon, NEAR_RADIUS_M)
    lang = get_lang()
    with c.uow() as uow:
        items = [map_item(i, lang, c.settings.timezone)
                 for i in recent_public(uow.session, utcnow(), days, limit, bbox)]
    response = jsonify({"items": items, "days": days})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/csrf")
def csrf() -> Response:
    """A fresh CSRF token for the offline queue, which may send long after the page loaded."""
    response = jsonify({"csrf_token": generate_csrf()})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """The web app manifest: installable, standalone, scoped to /citizen/."""
    icons = url_for("static", filename="citizen/icons/")
    response = jsonify({
        "name": f"{t('app_name')} – {core().city.name}",
        "short_name": t("app_name"),
        "description": t("app_tagline"),
        "lang": get_lang(),
        "start_url": url_for("citizen.index"),
        "scope": url_for("citizen.index"),
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#b71c1c",
        "icons": [
            {"src": f"{icons}icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": f"{icons}icon-512.png", "sizes": "512x512", "type": "image/png"},
            {"src": f"{icons}icon-maskable-512.png", "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    })
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/sw.js")
def service_worker() -> Response:
    """The service worker, served from /citizen/ so that its scope is the whole app."""
    response = send_file(STATIC_DIR / "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = url_for("citizen.index")
    return response


@bp.get("/offline")
def offline() -> Response:
    """The page the service worker shows when a page is neither online nor cached."""
    return render("citizen/offline.html", config=page_config())


@uploads_bp.get("/<key>.jpg")
def photo(key: str) -> Response:
    """A stored photo (EXIF already stripped)."""
    return _send_photo(key, thumb=False)


@uploads_bp.get("/thumbs/<key>.jpg")
def thumbnail(key: str) -> Response:
    """A stored photo's 320 px thumbnail."""
    return _send_photo(key, thumb=True)


def _send_photo(key: str, thumb: bool) -> Response:
    store = photo_store(core().settings)
    if not KEY_PATTERN.match(key) or not store.exists(key, thumb):
        abort(404)
    response = send_file(store.path(key, thumb), mimetype="image/jpeg", max_age=365 * 24 * 3600)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["Content-Disposition"] = "inline"
    return response
