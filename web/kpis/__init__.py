"""The leaders' KPI page: figures per department, dossiers owing an apology letter, CSV."""

from flask import Blueprint

bp = Blueprint("kpis", __name__)

from web.kpis import views  # noqa: E402,F401  (registers the routes)
