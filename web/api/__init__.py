"""JSON API under /api/v1/."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from web.api import incidents, records  # noqa: E402,F401  (registers the routes)
