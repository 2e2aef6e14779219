"""Helpers for the citizen tests: CSRF token, submitting a report, counting what is stored,
reading an error page."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from ioc.core import Core
from ioc.models import Incident, Upload
from tests.helpers import multipart

HONG_NGU = (10.8070, 105.3430)
JSON = {"Accept": "application/json"}
#: What Chromium sends with a page navigation (a form post included).
BROWSER_ACCEPT = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
                  "image/webp,*/*;q=0.8")
#: Signs of werkzeug's bare error page and of the staff area's layout.
WERKZEUG = ("The requested URL was not found on the server", "Request Entity Too Large")
STAFF = ('class="topbar"', 'href="/staff"')


def csrf(client: Any) -> str:
    """A CSRF token for the test client's session (as the PWA fetches it)."""
    return client.get("/citizen/csrf").get_json()["csrf_token"]


def submit(client: Any, photo: bytes | None = None, filename: str = "photo.jpg",
           as_json: bool = True, token: str | None = None, html_form: bool = False,
           query: str = "", **fields: Any):
    """POST /citizen/report like the PWA (multipart, X-CSRFToken, Accept JSON).

    ``html_form``: like the page's form without JavaScript instead (the token
    in the ``csrf_token`` field, a browser's Accept header).
    """
    data: dict[str, Any] = {"text": "Ổ gà lớn giữa đường", "lat": str(HONG_NGU[0]),
                            "lon": str(HONG_NGU[1])}
    data.update({k: v for k, v in fields.items() if v is not None})
    for key in [k for k, v in fields.items() if v is None]:
        data.pop(key, None)
    if photo is not None:
        data["photo"] = FileStorage(io.BytesIO(photo), filename, content_type="image/jpeg")
    if html_form:
        data["csrf_token"] = token or csrf(client)
        headers = {"Accept": BROWSER_ACCEPT}
    else:
        headers = {"X-CSRFToken": token or csrf(client), **(JSON if as_json else {})}
    return client.post(f"/citizen/report{query}", headers=headers, **multipart(data))


def stored(core: Core) -> tuple[int, int, int]:
    """(incidents, upload rows, photo files on disk)."""
    with core.uow() as uow:
        incidents = uow.session.scalar(select(func.count()).select_from(Incident))
        uploads = uow.session.scalar(select(func.count()).select_from(Upload))
    root = Path(core.settings.instance_dir) / "uploads"
    files = len([p for p in root.rglob("*") if p.is_file()]) if root.exists() else 0
    return incidents, uploads, files


def citizen_page(res, status: int, lang: str = "vi") -> str:
    """The page's HTML, after checking it is a citizen page with the way back to /citizen/."""
    html = res.get_data(as_text=True)
    assert res.status_code == status and res.mimetype == "text/html"
    assert f'<html lang="{lang}">' in html and '<body class="citizen">' in html
    assert 'id="error-back" href="/citizen/"' in html
    assert not any(marker in html for marker in STAFF + WERKZEUG)
    assert "frame-ancestors 'none'" in res.headers["Content-Security-Policy"]
    return html


def shown(html: str, part: str = "message") -> str:
    """The error ``message`` or ``hint`` a citizen error page shows (its JS strings table
    holds every string too, so a plain ``in html`` proves nothing)."""
    match = re.search(rf'id="error-{part}">([^<]*)<', html)
    assert match, f"no error {part} in the page"
    return match.group(1)


def json_error(res, status: int) -> str:
    """The message of a JSON error answer, after checking its status and its shape."""
    assert res.status_code == status and res.mimetype == "application/json"
    body = res.get_json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    return body["error"]["message"]
