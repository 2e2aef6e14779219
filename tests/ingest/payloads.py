"""Valid payloads per topic family, and builders for variations of them."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

NOW = datetime.now(UTC)
CITY = (10.807, 105.343)


def iso(dt: datetime) -> str:
    """ISO 8601 in Vietnam time (+07:00), as senders write it."""
    return dt.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).isoformat()


def field_report(text: str = "Đèn đường trước chợ Hồng Ngự bị hư 3 đêm rồi, tối thui",
                 **over: Any) -> dict[str, Any]:
    """A valid citizen field report."""
    data = {
        "id": f"app-{uuid.uuid4().hex}",
        "text": text,
        "lat": CITY[0] + 0.002,
        "lon": CITY[1] - 0.001,
        "reported_at": iso(NOW),
        "photos": ["https://app.example.vn/media/a1.jpg"],
        "reporter": {"name": "Nguyễn Văn An", "phone": "0912 345 678"},
        "address": "12 Nguyễn Huệ, phường An Thạnh",
    }
    data.update(over)
    return data


def hotline_ticket(text: str = "alo dạ em muốn phản ánh cái ống nước bể ở đường Lê Lợi "
                   "nước chảy lênh láng từ sáng tới giờ", **over: Any) -> dict[str, Any]:
    """A valid hotline ticket (no coordinates: the hotline has only an address)."""
    data = {
        "id": f"hl-{uuid.uuid4().hex}",
        "call_id": f"call-{uuid.uuid4().hex[:8]}",
        "transcript": text,
        "received_at": iso(NOW),
        "caller_phone": "0987654321",
        "address": "đường Lê Lợi gần trường tiểu học",
    }
    data.update(over)
    return data


def counter_event(dossier_id: str, event: str, at: datetime, due_at: datetime | None = None,
                  **over: Any) -> dict[str, Any]:
    """A valid one-stop-counter event."""
    data: dict[str, Any] = {
        "id": f"ce-{uuid.uuid4().hex}",
        "dossier_id": dossier_id,
        "event": event,
        "at": iso(at),
        "procedure_code": "1.001193",
        "procedure_name": "Đăng ký khai sinh",
        "field": "hộ tịch",
        "office": "an_thanh",
        "channel": "counter",
    }
    if due_at is not None:
        data["due_at"] = iso(due_at)
    data.update(over)
    return data


def sensor_alert(kind: str = "water_level", **over: Any) -> dict[str, Any]:
    """A valid sensor alert."""
    data = {
        "id": f"s-{uuid.uuid4().hex}",
        "sensor_id": "WL-07",
        "kind": kind,
        "value": 4.6,
        "unit": "m",
        "threshold": 4.0,
        "at": iso(NOW),
        "lat": CITY[0] - 0.004,
        "lon": CITY[1] + 0.003,
    }
    data.update(over)
    return data


def encode(data: Any) -> bytes:
    """JSON bytes as a sender would publish them."""
    return json.dumps(data, ensure_ascii=False).encode()


HOURS = timedelta(hours=1)
