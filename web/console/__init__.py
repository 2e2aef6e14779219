"""The operator console: live map, queue, KPI strip, exports and manual triage."""

from flask import Blueprint

bp = Blueprint("console", __name__)

from web.console import triage, views  # noqa: E402,F401  (registers the routes)
