"""ioc/uploads.py: photos checked by content, cleaned of EXIF, GPS read, thumbnails, refusals."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from ioc.core import Core
from ioc.models import Upload
from ioc.uploads import (
    PhotoStore,
    UploadRefused,
    inspect_image,
    key_from_url,
    photo_url,
    store_photo,
    thumb_url,
)
from tests.citizen import images


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepted_photo_is_reencoded_without_metadata(fmt: str) -> None:
    raw = images.photo(fmt, gps=images.GPS)
    assert images.CAMERA.encode() in raw  # the original carries the camera's EXIF
    clean = inspect_image(raw)
    assert clean.source_format == fmt
    assert clean.gps == pytest.approx(images.GPS_DECIMAL, abs=1e-4)
    assert images.CAMERA.encode() not in clean.data
    assert b"Exif" not in clean.data
    out = Image.open(io.BytesIO(clean.data))
    assert out.format == "JPEG"
    assert dict(out.getexif()) == {}
    assert (out.width, out.height) == (640, 480) == (clean.width, clean.height)
    thumb = Image.open(io.BytesIO(clean.thumbnail))
    assert max(thumb.size) == 320
    assert b"Exif" not in clean.thumbnail


def test_southern_and_western_references_are_negative() -> None:
    gps = {1: "S", 2: (33.0, 52.0, 4.0), 3: "W", 4: (151.0, 12.0, 36.0)}
    clean = inspect_image(images.photo(gps=gps))
    assert clean.gps == pytest.approx((-33.8678, -151.21), abs=1e-3)


def test_no_gps_and_zero_gps_give_none() -> None:
    assert inspect_image(images.photo()).gps is None
    zero = {1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)}
    assert inspect_image(images.photo(gps=zero)).gps is None


def test_large_photo_is_scaled_down() -> None:
    clean = inspect_image(images.photo(size=(4000, 1000), with_exif=False))
    assert (clean.width, clean.height) == (3000, 750)


@pytest.mark.parametrize(("raw", "reason", "status"), [
    (images.not_an_image(), "not_image", 415),
    (b"", "empty", 400),
    (images.oversized_jpeg(), "too_large", 413),
    (images.png_header_only(8000, 8000), "too_many_pixels", 413),  # our own limit (64 Mpx)
    (images.png_header_only(10000, 10000), "too_many_pixels", 413),  # Pillow's bomb warning
    (images.png_header_only(30000, 30000), "too_many_pixels", 413),  # Pillow's bomb error
    (images.truncated_jpeg(), "corrupt", 400),
    (images.photo("GIF", with_exif=False), "not_image", 415),
], ids=["pdf", "empty", "oversized", "64mpx", "bomb-warning", "bomb-error", "truncated", "gif"])
def test_bad_inputs_are_refused_with_a_reason(raw: bytes, reason: str, status: int) -> None:
    with pytest.raises(UploadRefused) as info:
        inspect_image(raw)
    assert info.value.reason == reason
    assert info.value.status == status
    assert info.value.message("vi") and info.value.message("en")
    assert info.value.message("vi") != info.value.message("en")


def test_truncated_png_is_refused() -> None:
    data = images.photo("PNG", with_exif=False)
    with pytest.raises(UploadRefused) as info:
        inspect_image(data[: len(data) - 40])
    assert info.value.reason == "corrupt"


def test_store_writes_both_files_and_a_row(core: Core, tmp_path) -> None:
    store = PhotoStore(tmp_path / "uploads")
    clean = inspect_image(images.photo())
    with core.uow() as uow:
        upload = store_photo(uow, store, clean, "citizen")
        uow.commit()
        key = upload.key
    assert store.exists(key) and store.exists(key, thumb=True)
    assert store.path(key).read_bytes() == clean.data
    assert key_from_url(photo_url(key)) == key == key_from_url(thumb_url(key))
    with core.uow() as uow:
        row = uow.session.scalars(select(Upload)).one()
        assert (row.sha256, row.size, row.source) == (clean.sha256, len(clean.data), "citizen")
    store.remove(key)
    assert not store.exists(key) and not store.exists(key, thumb=True)
    with pytest.raises(ValueError):
        store.path("../../etc/passwd")
    with core.uow() as uow, pytest.raises(ValueError):
        store_photo(uow, store, clean, "anyone")
    with core.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Upload)) == 1
