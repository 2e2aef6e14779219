"""Helpers for the citizen tests: CSRF token, submitting a report, counting what is stored."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from ioc.core import Core
from ioc.models import Incident, Upload

HONG_NGU = (10.8070, 105.3430)
JSON = {"Accept": "application/json"}


def csrf(client: Any) -> str:
    """A CSRF token for the test client's session (as the PWA fetches it)."""
    return client.get("/citizen/csrf").get_json()["csrf_token"]


def submit(client: Any, photo: bytes | None = None, filename: str = "photo.jpg",
           as_json: bool = True, token: str | None = None, **fields: Any):
    """POST /citizen/report like the PWA (multipart, X-CSRFToken, Accept JSON)."""
    data: dict[str, Any] = {"text": "Ổ gà lớn giữa đường", "lat": str(HONG_NGU[0]),
                            "lon": str(HONG_NGU[1])}
    data.update({k: v for k, v in fields.items() if v is not None})
    for key in [k for k, v in fields.items() if v is None]:
        data.pop(key, None)
    if photo is not None:
        data["photo"] = FileStorage(io.BytesIO(photo), filename, content_type="image/jpeg")
    headers = {"X-CSRFToken": token or csrf(client)}
    if as_json:
        headers.update(JSON)
    # encoded in memory: the test client spools large bodies to a temporary file it never closes
    boundary, body = encode_multipart(data)
    return client.post("/citizen/report", data=body, headers=headers,
                       content_type=f"multipart/form-data; boundary={boundary}")


def stored(core: Core) -> tuple[int, int, int]:
    """(incidents, upload rows, photo files on disk)."""
    with core.uow() as uow:
        incidents = uow.session.scalar(select(func.count()).select_from(Incident))
        uploads = uow.session.scalar(select(func.count()).select_from(Upload))
    root = Path(core.settings.instance_dir) / "uploads"
    files = len([p for p in root.rglob("*") if p.is_file()]) if root.exists() else 0
    return incidents, uploads, files
