"""The Flask application factory."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from flask_compress import Compress

from ioc.config import Settings
from ioc.core import Core, build_core
from ioc.extensions import make_socketio

log = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent.parent / "web"

#: Responses worth compressing (images and uploads already are).
COMPRESSED_TYPES = [
    "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
    "application/geo+json", "text/csv", "image/svg+xml", "application/xml", "text/xml",
]


def create_app(settings: Settings | None = None, core: Core | None = None) -> Flask:
    """Build the web app: JSON API, health, live push, staff login, console and inbox.

    ``core`` may be shared with an ingest worker in the same process (``ioc up``);
    otherwise one is built from ``settings``.
    """
    settings = settings or Settings.from_env()
    core = core or build_core(settings)
    app = Flask("web", root_path=str(WEB_DIR), template_folder="templates",
                static_folder="static")
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        JSON_AS_ASCII=False,
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        REMEMBER_COOKIE_SECURE=settings.secure_cookies,
        IOC_REPORT_RATE_LIMIT=settings.report_rate_limit,
        IOC_OPEN311_RATE_LIMIT=settings.open311_rate_limit,
    )
    if settings.proxy_hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Behind a reverse proxy the client's address is in X-Forwarded-For;
        # without this every citizen would share the proxy's rate limit.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_hops,  # type: ignore[method-assign]
                                x_proto=settings.proxy_hops, x_host=settings.proxy_hops)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    # The console snapshot of 30k incidents is megabytes of JSON; `ioc up` has no
    # reverse proxy in front to compress it, so the app does (gzip, br, zstd).
    # Streams (static files, exports) stay as they are: flask-compress leaves a
    # streamed file open, and browsers cache the static files anyway.
    app.config.update(COMPRESS_MIMETYPES=COMPRESSED_TYPES, COMPRESS_MIN_SIZE=1024,
                      COMPRESS_STREAMS=False)
    Compress(app)
    app.extensions["ioc.core"] = core

    socketio = make_socketio()
    socketio.init_app(
        app,
        async_mode="threading",
        message_queue=settings.redis_url or None,
        cors_allowed_origins=[],
        json=None,
    )
    app.extensions["ioc.socketio"] = socketio

    from web.api import bp as api_bp
    from web.auth import bp as auth_bp
    from web.auth import init_auth
    from web.console import bp as console_bp
    from web.errors import register_error_handlers
    from web.health import bp as health_bp
    from web.i18n import register_i18n
    from web.inbox import bp as inbox_bp
    from web.kpis import bp as kpis_bp
    from web.live import register_live

    init_auth(app)  # sessions, CSRF, session → actor hooks (before the blueprints)
    register_i18n(app)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(health_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(console_bp)
    app.register_blueprint(inbox_bp)
    app.register_blueprint(kpis_bp)  # the leaders' KPI page /kpis
    from web.citizen import register_citizen
    from web.citizen.limits import init_limiter
    from web.open311 import register_open311

    limiter = init_limiter(app, settings)  # per client IP; Redis when settings.redis_url
    register_citizen(app, limiter)  # citizen PWA /citizen/, public map, photos /uploads/
    register_open311(app, limiter)  # Open311 GeoReport v2 /open311/v2/
    register_error_handlers(app)
    register_live(app, socketio, core)
    return app
