"""Socket.IO namespace ``/live``: rooms per department code and ``operators``."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, request
from flask_socketio import SocketIO, join_room

from ioc.actors import Actor
from ioc.core import Core
from ioc.events import OPERATORS_ROOM
from ioc.services.users import actor_for_token
from web.live.pusher import NAMESPACE, LivePusher

log = logging.getLogger(__name__)


def rooms_for_actor(actor: Actor) -> list[str]:
    """Operators (and everyone who sees everything) join ``operators``; staff their department."""
    if actor.sees_everything:
        return [OPERATORS_ROOM]
    return [actor.department] if actor.department else []


def register_live(app: Flask, socketio: SocketIO, core: Core) -> None:
    """Attach the namespace handlers and the coalescing pusher to the app."""

    def authenticate(auth: Any) -> Actor | None:
        token = auth.get("token") if isinstance(auth, dict) else None
        if token:
            with core.uow() as uow:
                return actor_for_token(uow, str(token))
        hook = app.extensions.get("ioc.session_actor")
        return hook() if hook else None

    @socketio.on("connect", namespace=NAMESPACE)
    def on_connect(auth: Any = None) -> bool:
        actor = authenticate(auth)
        if actor is None:
            log.info("refused live connection from %s: not authenticated", request.remote_addr)
            return False
        for room in rooms_for_actor(actor):
            join_room(room)
        return True

    pusher = LivePusher(socketio)
    core.bus.subscribe(pusher)
    app.extensions["ioc.pusher"] = pusher.start()
