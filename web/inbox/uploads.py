"""Photos attached to notes: checked with Pillow, stored under the instance
folder (``uploads/<incident id>/``), served only to staff who may see the incident."""

from __future__ import annotations

import io
import re
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import abort, send_from_directory
from PIL import Image, UnidentifiedImageError
from werkzeug.datastructures import FileStorage

from ioc.actors import NotFound
from ioc.services.incidents import get_incident
from web.auth.roles import STAFF, actor, roles_required
from web.context import core
from web.inbox import bp

MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 8 * 1024 * 1024
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp|gif)$")


class PhotoError(ValueError):
    """An upload that is not an acceptable image; ``name`` is the client's file name."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@dataclass(frozen=True)
class CheckedPhoto:
    """An upload that Pillow accepted as an image."""

    data: bytes
    extension: str


def uploads_dir() -> Path:
    """Where note photos live."""
    return core().settings.instance_dir / "uploads"


def check_photo(upload: FileStorage) -> CheckedPhoto:
    """Read and verify one upload; PhotoError unless it is a real JPEG/PNG/WebP/GIF image."""
    name = upload.filename or "?"
    data = upload.read(MAX_PHOTO_BYTES + 1)
    if not data or len(data) > MAX_PHOTO_BYTES:
        raise PhotoError(name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt = image.format
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(name) from None
    if fmt not in FORMATS:
        raise PhotoError(name)
    return CheckedPhoto(data, FORMATS[fmt])


def save_photos(incident_id: int, uploads: list[FileStorage]) -> list[str]:
    """Check every upload first, then store them; returns their URLs. Raises PhotoError."""
    checked = [check_photo(u) for u in uploads if u and u.filename]
    folder = uploads_dir() / str(incident_id)
    urls = []
    for photo in checked:
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{uuid.uuid4().hex}.{photo.extension}"
        (folder / name).write_bytes(photo.data)
        urls.append(f"/uploads/{incident_id}/{name}")
    return urls


@bp.get("/uploads/<int:incident_id>/<name>")
@roles_required(*STAFF, data=True)
def photo(incident_id: int, name: str):
    """A stored note photo, to staff who may see its incident (404 otherwise)."""
    if not NAME.match(name):
        abort(404)
    with core().uow() as uow:
        try:
            get_incident(uow, actor(), incident_id)
        except NotFound:
            abort(404)
    response = send_from_directory(uploads_dir() / str(incident_id), name, max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
