"""Serve the real app over HTTP in a background thread (for the browser and Open311 clients)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tests.services import serve


@contextmanager
def live_server(app) -> Iterator[str]:
    """``http://127.0.0.1:<port>`` serving ``app`` (threaded werkzeug) until the block ends."""
    server = serve(app)
    try:
        yield server.url
    finally:
        server.stop()
