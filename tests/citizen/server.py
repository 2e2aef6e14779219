"""Serve the real app over HTTP in a background thread (for the browser and Open311 clients)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server

from tests.services import free_port


@contextmanager
def live_server(app) -> Iterator[str]:
    """``http://127.0.0.1:<port>`` serving ``app`` (threaded werkzeug) until the block ends."""
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="test-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
