"""IOC core: domain model, lifecycle, SLA clock, KPIs, services, app factory, CLI."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(*args: Any, **kwargs: Any) -> Flask:
    """Build the web app (see ``ioc.app.create_app``)."""
    from ioc.app import create_app as factory

    return factory(*args, **kwargs)
