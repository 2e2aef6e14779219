"""The department inbox: routed incidents, live, and the actions staff take on them."""

from flask import Blueprint

bp = Blueprint("inbox", __name__)

from web.inbox import actions, listing, uploads, views  # noqa: E402,F401  (registers the routes)
