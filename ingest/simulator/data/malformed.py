"""A catalogue of broken messages, as real senders produce them.

Truncated or non-JSON bodies, invalid UTF-8 (text saved in a legacy
Windows code page), JSON arrays and scalars, missing or blank fields, wrong
types, timestamps without offset or in the future, impossible coordinates,
unknown enum values, a sensor kind that contradicts its topic, payloads over
the 64 KiB limit. :func:`corrupt` turns a valid payload into such bytes.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from typing import Any

from ingest.simulator.data.procedures import CITY_AGENCY, PROCEDURES
from ingest.simulator.data.workdays import due_time

MAX_PAYLOAD_BYTES = 64 * 1024

_REQUIRED: dict[str, tuple[str, ...]] = {
    "field": ("id", "text", "lat", "lon", "reported_at"),
    "hotline": ("id", "call_id", "transcript", "received_at"),
    "counter": ("id", "dossier_id", "event", "at", "procedure_code", "procedure_name", "field",
                "office", "channel"),
    "sensor": ("id", "sensor_id", "kind", "value", "unit", "at", "lat", "lon"),
}
_TIME_FIELD = {"field": "reported_at", "hotline": "received_at", "counter": "at", "sensor": "at"}
_INVALID_UTF8 = (b"\xff", b"\xfe\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\x80")
_OTHER_KINDS = ("water_level", "air_quality", "smoke", "flood_depth", "noise")


def _encode(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def counter_stub(rng: random.Random, message_id: str, now: datetime) -> dict[str, Any]:
    """A received event for a dossier nobody tracks: raw material to be broken."""
    proc = rng.choice(PROCEDURES)
    return {"id": message_id, "dossier_id": f"{CITY_AGENCY}-{now:%y%m%d}-9{rng.randint(0, 999):03d}",
            "event": "received", "at": now.isoformat(timespec="seconds"), "procedure_code": proc.code,
            "procedure_name": proc.name, "field": proc.field, "office": "city", "channel": "counter",
            "due_at": due_time(now, proc.days).isoformat(timespec="seconds")}


def kinds_for(stream: str, payload: dict[str, Any]) -> list[str]:
    """The ways a payload of this stream can be broken."""
    kinds = ["truncated", "not_json", "bad_utf8", "missing", "blank_id", "array", "scalar",
             "empty", "wrong_type", "naive_time", "future"]
    if stream != "counter":
        kinds.append("bad_coords")
    if stream in ("field", "hotline"):
        kinds.append("oversize")
    if stream == "counter":
        kinds += ["bad_enum", "no_due"]
    if stream == "sensor":
        kinds.append("kind_mismatch")
    return kinds


def corrupt(rng: random.Random, stream: str, payload: dict[str, Any], now: datetime) -> bytes:
    """Bytes that are not an acceptable message for ``stream``, built from a valid ``payload``."""
    kinds = kinds_for(stream, payload)
    kind = rng.choices(kinds, [0.3 if k == "oversize" else 1.0 for k in kinds])[0]
    p = dict(payload)
    data = _encode(p)
    if kind == "truncated":
        return data[: rng.randint(1, len(data) - 2)]
    if kind == "not_json":
        forms = [repr(p), "&".join(f"{k}={v}" for k, v in p.items()),
                 f"<message><id>{p['id']}</id></message>"]
        if stream in ("field", "hotline"):
            forms.append(str(p.get("text") or p.get("transcript")))
        return rng.choice(forms).encode("utf-8")
    if kind == "bad_utf8":
        legacy = json.dumps(p, ensure_ascii=False).encode("cp1258", errors="replace")
        if legacy != data and rng.random() < 0.5 and not _is_utf8(legacy):
            return legacy
        i = rng.randint(1, len(data) - 1)
        return data[:i] + rng.choice(_INVALID_UTF8) + data[i:]
    if kind == "array":
        return _encode([p] * rng.randint(1, 2))
    if kind == "scalar":
        return rng.choice((b"null", b"true", b"42", b'"ok"', b"{}"))
    if kind == "empty":
        return rng.choice((b"", b" ", b"\n"))
    if kind == "missing":
        for name in rng.sample(_REQUIRED[stream], rng.randint(1, 2)):
            p.pop(name, None)
    elif kind == "blank_id":
        p["id"] = rng.choice(("", "   ", None))
    elif kind == "wrong_type":
        _wrong_type(rng, stream, p)
    elif kind == "naive_time":
        p[_TIME_FIELD[stream]] = rng.choice((
            now.strftime("%Y-%m-%dT%H:%M:%S"), now.strftime("%d/%m/%Y %H:%M"), "hôm nay 8 giờ sáng"))
    elif kind == "future":
        p[_TIME_FIELD[stream]] = (now + timedelta(days=rng.randint(3, 400))).isoformat(timespec="seconds")
    elif kind == "bad_coords":
        _bad_coords(rng, p)
    elif kind == "oversize":
        key = "text" if stream == "field" else "transcript"
        p[key] = (str(p[key]) + " ") * (MAX_PAYLOAD_BYTES // max(1, len(str(p[key]))) + 2)
    elif kind == "bad_enum":
        key = rng.choice(("event", "channel"))
        p[key] = rng.choice(("approved", "done", "RECEIVED") if key == "event" else ("zalo", "email"))
    elif kind == "no_due":
        if rng.random() < 0.5:
            p.pop("due_at", None)
        else:
            p["due_at"] = (datetime.fromisoformat(p["at"]) - timedelta(days=2)).isoformat()
    elif kind == "kind_mismatch":
        p["kind"] = rng.choice([k for k in _OTHER_KINDS if k != p["kind"]] + ["Water Level"])
    return _encode(p)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _wrong_type(rng: random.Random, stream: str, p: dict[str, Any]) -> None:
    if stream == "field":
        choice = rng.randrange(4)
        if choice == 0:
            p["lat"] = f"{p['lat']}".replace(".", ",")
        elif choice == 1:
            p["photos"] = "https://app.honngu.gov.vn/media/anh.jpg"
        elif choice == 2:
            p["reporter"] = "Nguyễn Văn Tư"
        else:
            p["text"] = 12345
    elif stream == "hotline":
        p["transcript"] = str(p["transcript"]).split()[:5] if rng.random() < 0.5 else None
    elif stream == "counter":
        key = rng.choice(("due_at", "procedure_code", "dossier_id"))
        p[key] = {"due_at": "15/12/2025", "procedure_code": 1001193, "dossier_id": None}[key]
    else:
        p["value"] = rng.choice(("cao", "4,6", None, [1, 2]))


def _bad_coords(rng: random.Random, p: dict[str, Any]) -> None:
    lat, lon = p.get("lat", 10.807), p.get("lon", 105.343)
    choice = rng.randrange(6)
    if choice == 0:
        p["lat"] = 190.0
    elif choice == 1:
        p["lon"] = -200.0
    elif choice == 2:
        p["lat"], p["lon"] = lon, lat
    elif choice == 3:
        p["lat"], p["lon"] = 0.0, 0.0
    elif choice == 4:
        p["lat"], p["lon"] = 21.0285, 105.8542  # Hà Nội: far outside the service area
    else:
        p["lat"] = lat
        p.pop("lon", None)
