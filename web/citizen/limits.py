"""Rate limits for the public write endpoints (citizen reports, ratings, Open311 POST).

One Flask-Limiter per app, keyed by client IP: in memory by default, in Redis
when ``settings.redis_url`` is set so every web process shares the counts.
The key prefix is the deployment's topic root, so several deployments (or
test runs) sharing one Redis never count each other's requests. The limits
are read from ``app.config`` at request time:

- ``IOC_REPORT_RATE_LIMIT`` (default ``10 per minute;60 per hour``): citizen
  report submissions and ratings;
- ``IOC_OPEN311_RATE_LIMIT`` (default ``30 per minute;300 per hour``): Open311
  ``POST requests`` (per client IP, whatever the api_key).
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from ioc.config import Settings

REPORT_LIMIT_KEY = "IOC_REPORT_RATE_LIMIT"
OPEN311_LIMIT_KEY = "IOC_OPEN311_RATE_LIMIT"
DEFAULT_REPORT_LIMIT = "10 per minute;60 per hour"
DEFAULT_OPEN311_LIMIT = "30 per minute;300 per hour"
TOO_MANY = ("Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau ít phút. / "
            "Too many requests: please try again in a few minutes.")


def init_limiter(app: Flask, settings: Settings) -> Limiter:
    """Create the app's limiter (no default limits: only the routes that ask are limited)."""
    app.config.setdefault(REPORT_LIMIT_KEY, DEFAULT_REPORT_LIMIT)
    app.config.setdefault(OPEN311_LIMIT_KEY, DEFAULT_OPEN311_LIMIT)
    limiter = Limiter(
        key_func=get_remote_address,
        storage_uri=settings.redis_url or "memory://",
        key_prefix=f"ioc-limits:{settings.topic_root}",
        default_limits=[],
        headers_enabled=True,
        strategy="fixed-window",
    )
    limiter.init_app(app)
    app.extensions["ioc.limiter"] = limiter
    return limiter


def limit_posts(limiter: Limiter, blueprint: Blueprint, config_key: str) -> None:
    """Limit every POST to the blueprint's routes by the figure in ``app.config[config_key]``."""
    limiter.limit(
        lambda: current_app.config[config_key],
        methods=["POST"],
        error_message=TOO_MANY,
        override_defaults=False,
    )(blueprint)
