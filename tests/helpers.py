"""Helpers shared by the citizen and the staff web tests: multipart bodies, the app served
for real, logging in through the staff form in Chromium, screenshots kept for review."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from werkzeug.test import encode_multipart

from tests.services import LiveServer, serve

#: Where browser tests leave their screenshots (ignored by git).
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
#: Headless Chromium in a container: no sandbox, no GPU, no calls home; sounds may play.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--autoplay-policy=no-user-gesture-required"]


def multipart(fields: dict[str, Any]) -> dict[str, Any]:
    """``client.post`` arguments for ``fields`` (``FileStorage`` values are files) as a
    multipart body encoded in memory: given a dict, the test client spools a large body to
    a temporary file it never closes (a ResourceWarning, an error in this suite)."""
    boundary, body = encode_multipart(fields)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


@contextmanager
def served(app: Any) -> Iterator[LiveServer]:
    """``app`` served over HTTP (threaded werkzeug, free port) until the block ends."""
    server = serve(app)
    try:
        yield server
    finally:
        server.stop()


def log_in(page: Any, url: str, username: str, password: str,
           timeout: float | None = None) -> None:
    """Open the staff page ``url``; the login form appears; log in and land on the page."""
    page.goto(url)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{urlsplit(url).path}", timeout=timeout)


def screenshot(page: Any, name: str, full_page: bool = False) -> Path:
    """Save a screenshot of ``page`` as ``test-artifacts/<name>`` and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full_page)
    return path
