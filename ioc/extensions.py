"""Flask extensions, created unbound and attached in the app factory."""

from __future__ import annotations

from flask_socketio import SocketIO


def make_socketio() -> SocketIO:
    """A fresh, unbound Socket.IO server (one per app, so tests do not share state)."""
    return SocketIO()
