"""The citizens' side: the reporting PWA, status pages, ratings, the public map and photos."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_limiter import Limiter

bp = Blueprint("citizen", __name__, url_prefix="/citizen")
uploads_bp = Blueprint("uploads", __name__, url_prefix="/uploads")

from web.citizen import pages, reports, tracking  # noqa: E402,F401  (registers the routes)


def register_citizen(app: Flask, limiter: Limiter) -> None:
    """Register the citizen app and the photo routes; limit their POSTs per client IP."""
    from web.citizen.limits import REPORT_LIMIT_KEY, limit_posts

    limit_posts(limiter, bp, REPORT_LIMIT_KEY)
    app.register_blueprint(bp)
    app.register_blueprint(uploads_bp)
