"""Photos for the tests, made on the spot: good ones (with EXIF), and every kind of bad one."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, ImageDraw
from PIL.ExifTags import IFD

CAMERA = "SecretCam X100"
OWNER = "Nguyễn Văn Chủ Máy"
# Hồng Ngự centre (10.807, 105.343) in degrees, minutes, seconds
GPS = {1: "N", 2: (10.0, 48.0, 25.2), 3: "E", 4: (105.0, 20.0, 34.8)}
GPS_DECIMAL = (10.807, 105.343)


def photo(fmt: str = "JPEG", size: tuple[int, int] = (640, 480), gps: dict | None = None,
          with_exif: bool = True) -> bytes:
    """A small picture of a 'pothole' with camera, owner and (optionally) GPS EXIF."""
    image = Image.new("RGB", size, (120, 120, 120))
    draw = ImageDraw.Draw(image)
    draw.ellipse([size[0] // 4, size[1] // 3, size[0] * 3 // 4, size[1] * 2 // 3], fill=(40, 30, 20))
    out = io.BytesIO()
    kwargs = {}
    if with_exif:
        exif = Image.Exif()
        exif[0x010F] = CAMERA  # Make
        exif[0x013B] = OWNER  # Artist
        exif[0x0112] = 1  # Orientation
        if gps:
            exif[IFD.GPSInfo] = gps
        kwargs["exif"] = exif
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG file that *claims* width × height pixels (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def truncated_jpeg() -> bytes:
    """A real JPEG cut in the middle of its pixel data."""
    data = photo(size=(800, 600), with_exif=False)
    return data[: len(data) // 2]


def not_an_image() -> bytes:
    """A PDF, to be uploaded as 'photo.jpg' with type image/jpeg."""
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def oversized_jpeg(limit: int = 8 * 1024 * 1024) -> bytes:
    """A valid JPEG padded past the size limit (bytes after the end marker)."""
    data = photo(with_exif=False)
    return data + b"\x00" * (limit + 1024 - len(data))
