"""Real services for the test suite: a throw-away database and MQTT brokers.

By default the suite runs on SQLite and the embedded broker (the one `ioc up`
manages: Mosquitto when installed, amqtt otherwise). When IOC_DATABASE_URL,
IOC_MQTT_URL or IOC_REDIS_URL are set (CI's second pass), it runs against
those servers instead: a fresh PostgreSQL database is created on the given
server for the session and dropped afterwards.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def temporary_database(tmp_dir: Path) -> Iterator[str]:
    """A database URL for one test session (SQLite file, or a fresh PostgreSQL database)."""
    server_url = os.environ.get("IOC_DATABASE_URL", "")
    if not server_url or server_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_dir / 'test.sqlite3'}"
        return
    url = make_url(server_url)
    name = f"ioc_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
            ), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@dataclass
class LiveServer:
    """An app served by werkzeug on a free port, in a background thread."""

    url: str
    server: Any
    thread: threading.Thread

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self.server.shutdown()
        self.thread.join(10)
        self.server.server_close()


def serve(app: Any) -> LiveServer:
    """Serve ``app`` for real (HTTP, Socket.IO polling and websocket) until ``stop()``."""
    from werkzeug.serving import make_server

    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    return LiveServer(f"http://127.0.0.1:{port}", server, thread)
