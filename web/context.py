"""Access to the per-app core objects from inside a request."""

from __future__ import annotations

from flask import current_app
from flask_socketio import SocketIO

from ioc.core import Core


def core() -> Core:
    """The Core bound to the current app."""
    return current_app.extensions["ioc.core"]


def socketio() -> SocketIO:
    """The Socket.IO server bound to the current app."""
    return current_app.extensions["ioc.socketio"]
