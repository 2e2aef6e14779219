"""The traffic simulator: payloads follow DESIGN.md, dossiers have real lifecycles, texts vary."""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from ingest.simulator.data import REPORTS
from ingest.simulator.data.hotline import CORES
from ingest.simulator.data.procedures import PROCEDURES
from ingest.simulator.data.workdays import due_time, is_working_day
from ingest.simulator.traffic import DEFAULT_WARDS_PATH, SimMessage, TrafficGenerator, load_wards

ROOT = Path(__file__).resolve().parents[2]
VN = timezone(timedelta(hours=7))
START = datetime(2025, 10, 15, 8, 0, tzinfo=VN)  # a Wednesday in the flood season
N = 5000
CENTRE = (10.807, 105.343)
SERVICE_RADIUS_M = 100_000
EVENTS = {"received", "processing", "supplement_requested", "resolved", "returned", "cancelled"}
CHANNELS = {"counter", "online", "postal"}
PHONE = re.compile(r"^[0-9+() .-]*$")
DOSSIER_ID = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}$")


class FakeClock:
    """Starts at ``start`` and moves ``step`` forward on every call."""

    def __init__(self, start: datetime = START, step: timedelta = timedelta(seconds=20)) -> None:
        self.now = start
        self.step = step

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now


def generate(n: int, seed: int = 7, **kwargs: Any) -> list[tuple[SimMessage, datetime]]:
    """``n`` messages, each with the clock time it was made at."""
    clock = FakeClock()
    gen = TrafficGenerator(seed, clock=clock, **kwargs)
    out = []
    for _ in range(n):
        msg = gen.next()
        out.append((msg, clock.now))
    return out


# --- the contract, written out (DESIGN.md "MQTT topics") ------------------------------------

def _str(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _time(now: datetime, ahead: timedelta = timedelta(days=1)) -> Callable[[Any], bool]:
    """An ISO 8601 time with offset, at most ``ahead`` after now."""

    def check(v: Any) -> bool:
        if not isinstance(v, str):
            return False
        try:
            t = datetime.fromisoformat(v)
        except ValueError:
            return False
        return t.tzinfo is not None and t <= now + ahead
    return check


def _reporter(v: Any) -> bool:
    return isinstance(v, dict) and all(isinstance(v.get(k), str | None) for k in ("name", "phone")) \
        and PHONE.match(v.get("phone") or "") is not None


def _photos(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(u, str) for u in v)


def _spec(stream: str, now: datetime) -> tuple[dict[str, Callable[[Any], bool]], dict[str, Callable[[Any], bool]]]:
    ts = _time(now)
    lat = lambda v: _num(v) and -90 <= v <= 90  # noqa: E731
    lon = lambda v: _num(v) and -180 <= v <= 180  # noqa: E731
    phone = lambda v: isinstance(v, str) and PHONE.match(v) is not None  # noqa: E731
    return {
        "field": ({"id": _str, "text": _str, "lat": lat, "lon": lon, "reported_at": ts},
                  {"category": _str, "photos": _photos, "reporter": _reporter, "address": _str}),
        "hotline": ({"id": _str, "call_id": _str, "transcript": _str, "received_at": ts},
                    {"caller_phone": phone, "address": _str, "lat": lat, "lon": lon}),
        "counter": ({"id": _str, "dossier_id": _str, "event": lambda v: v in EVENTS, "at": ts,
                     "procedure_code": _str, "procedure_name": _str, "field": _str, "office": _str,
                     "channel": lambda v: v in CHANNELS},
                    {"due_at": _time(now, timedelta(days=5 * 365))}),
        "sensor": ({"id": _str, "sensor_id": _str, "kind": _str, "value": _num, "unit": _str,
                    "at": ts, "lat": lat, "lon": lon},
                   {"threshold": _num}),
    }[stream]


def problems(stream: str, subtopic: str, body: bytes, now: datetime) -> list[str]:
    """Why this message breaks the contract (empty: it is valid)."""
    if len(body) > 64 * 1024:
        return ["too large"]
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return ["not utf-8"]
    except ValueError:
        return ["not json"]
    if not isinstance(data, dict):
        return ["not an object"]
    required, optional = _spec(stream, now)
    errors = [f"missing {k}" for k in required if k not in data]
    errors += [f"bad {k}" for k, ok in required.items() if k in data and not ok(data[k])]
    errors += [f"bad {k}" for k, ok in optional.items() if data.get(k) is not None and not ok(data[k])]
    if errors:
        return errors
    lat, lon = data.get("lat"), data.get("lon")
    if (lat is None) != (lon is None):
        return ["half coordinates"]
    if lat is not None and (lat == lon == 0 or distance_m(lat, lon, *CENTRE) > SERVICE_RADIUS_M):
        return ["outside the service area"]
    if stream == "counter":
        if data["event"] == "received" and "due_at" not in data:
            return ["received without due_at"]
        if "due_at" in data and datetime.fromisoformat(data["due_at"]) < datetime.fromisoformat(data["at"]):
            return ["due before received"]
    if stream == "sensor" and (not re.fullmatch(r"[a-z0-9_]+", data["kind"])
                               or subtopic != f"sensors/{data['kind']}"):
        return ["kind does not match topic"]
    return []


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def body(msg: SimMessage) -> bytes:
    return msg.raw if msg.raw is not None else json.dumps(msg.payload, ensure_ascii=False).encode()


@pytest.fixture(scope="module")
def sample() -> list[tuple[SimMessage, datetime]]:
    return generate(N, malformed_rate=0.05, duplicate_rate=0.03)


@pytest.fixture(scope="module")
def valid(sample: list[tuple[SimMessage, datetime]]) -> list[SimMessage]:
    return [m for m, _ in sample if m.raw is None]


# --- tests ----------------------------------------------------------------------------------

def test_valid_messages_follow_the_contract(sample: list[tuple[SimMessage, datetime]]) -> None:
    for msg, now in sample:
        assert (msg.payload is None) == (msg.raw is not None)
        assert msg.subtopic == {"field": "reports/field", "hotline": "reports/hotline",
                                "counter": "counter/events"}.get(msg.stream, msg.subtopic)
        assert msg.stream != "sensor" or msg.subtopic.startswith("sensors/")
        if msg.raw is None:
            assert problems(msg.stream, msg.subtopic, body(msg), now) == [], msg.payload
            assert "_truth" not in msg.payload
    shares = Counter(m.stream for m, _ in sample)
    assert 0.40 < shares["field"] / N < 0.50
    assert 0.20 < shares["hotline"] / N < 0.30
    assert 0.20 < shares["counter"] / N < 0.30
    assert 0.03 < shares["sensor"] / N < 0.07


def test_malformed_messages_are_really_malformed(sample: list[tuple[SimMessage, datetime]]) -> None:
    broken = [(m, now) for m, now in sample if m.raw is not None]
    assert 0.03 * N < len(broken) < 0.07 * N
    reasons = Counter()
    for msg, now in broken:
        found = problems(msg.stream, msg.subtopic, msg.raw, now)
        assert found, msg.raw[:300]
        word = found[0].split()[0]
        reasons[word if word in ("missing", "bad") else found[0]] += 1
    assert len(reasons) >= 8, reasons  # varied: not json, not utf-8, too large, missing, ...
    assert {m.stream for m, _ in broken} == {"field", "hotline", "counter", "sensor"}


def test_ids_are_unique_except_replays(valid: list[SimMessage]) -> None:
    by_id: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for msg in valid:
        by_id[msg.payload["id"]].append(msg.payload)
    replays = sum(len(p) - 1 for p in by_id.values())
    assert 0.015 * N < replays < 0.045 * N
    for payloads in by_id.values():
        assert all(p == payloads[0] for p in payloads)  # a replay is the same message
    call_ids = Counter(p[0]["call_id"] for p in by_id.values() if "call_id" in p[0])
    assert max(call_ids.values()) == 1


def dossier_histories(messages: list[SimMessage]) -> dict[str, list[dict[str, Any]]]:
    """Each dossier's events in the order they were sent (replays left out)."""
    seen: set[str] = set()
    histories: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for msg in messages:
        if msg.raw is None and msg.stream == "counter" and msg.payload["id"] not in seen:
            seen.add(msg.payload["id"])
            histories[msg.payload["dossier_id"]].append(msg.payload)
    return histories


def test_counter_lifecycles(valid: list[SimMessage]) -> None:
    offices = {w.code for w in load_wards()} | {"city"}
    days = {p.code: p.days for p in PROCEDURES}
    histories = dossier_histories(valid)
    assert len(histories) > 200
    seen_events: Counter[str] = Counter()
    for dossier_id, events in histories.items():
        assert DOSSIER_ID.match(dossier_id)
        first = events[0]
        assert first["event"] == "received"
        received, due = datetime.fromisoformat(first["at"]), datetime.fromisoformat(first["due_at"])
        assert due > received
        assert due == due_time(received, days[first["procedure_code"]])
        assert is_working_day(due.date())
        assert first["office"] in offices
        times = [datetime.fromisoformat(e["at"]) for e in events]
        assert times == sorted(times), dossier_id
        names = [e["event"] for e in events]
        assert names.count("received") == 1
        for done in ("returned", "cancelled"):
            if done in names:
                assert names.index(done) == len(names) - 1, names
        if "returned" in names:
            assert "resolved" in names[: names.index("returned")]
        assert "resolved" not in names or "cancelled" not in names
        for e in events:
            assert all(e[k] == first[k] for k in ("procedure_code", "office", "channel", "field"))
            assert ("due_at" in e) == (e["event"] == "received")
        seen_events.update(names)
    assert set(seen_events) == EVENTS, seen_events


def test_some_dossiers_are_late_but_not_most() -> None:
    messages = [m for m, _ in generate(4000, seed=11, mix={"counter": 1.0})]
    late = on_time = 0
    for events in dossier_histories(messages).values():
        due = datetime.fromisoformat(events[0]["due_at"])
        for e in events:
            if e["event"] == "resolved":
                late += datetime.fromisoformat(e["at"]) > due
                on_time += datetime.fromisoformat(e["at"]) <= due
    assert late + on_time > 300
    assert 0.04 <= late / (late + on_time) <= 0.18


def test_counter_events_are_not_in_the_future(sample: list[tuple[SimMessage, datetime]]) -> None:
    for msg, now in sample:
        if msg.raw is None and msg.stream == "counter":
            assert datetime.fromisoformat(msg.payload["at"]) <= now


def test_coordinates_are_inside_the_city(valid: list[SimMessage]) -> None:
    wards = load_wards()
    deg = 111_320
    south = min(w.lat - w.radius_m / deg for w in wards)
    north = max(w.lat + w.radius_m / deg for w in wards)
    west = min(w.lon - w.radius_m / (deg * math.cos(math.radians(w.lat))) for w in wards)
    east = max(w.lon + w.radius_m / (deg * math.cos(math.radians(w.lat))) for w in wards)
    points = [(m.payload["lat"], m.payload["lon"]) for m in valid if "lat" in m.payload]
    assert len(points) > 2000
    for lat, lon in points:
        assert south <= lat <= north and west <= lon <= east, (lat, lon)
        assert any(distance_m(lat, lon, w.lat, w.lon) <= w.radius_m for w in wards), (lat, lon)
    hotline = [m.payload for m in valid if m.stream == "hotline"]
    with_coords = sum("lat" in p for p in hotline) / len(hotline)
    assert 0.05 < with_coords < 0.3  # the hotline mostly has only a spoken address


def test_texts_vary_and_read_like_people(valid: list[SimMessage]) -> None:
    reports = [m.payload["text"] for m in valid if m.stream == "field"]
    calls = [m.payload["transcript"] for m in valid if m.stream == "hotline"]
    assert len(set(reports + calls)) >= 1000
    assert len(set(reports)) > 0.9 * len(set(m.payload["id"] for m in valid if m.stream == "field"))
    for text in reports + calls:
        assert "{" not in text and "}" not in text and "  " not in text
    assert 0.05 < sum(t.isascii() for t in reports) / len(reports) < 0.4  # typed without diacritics
    for text in calls:
        assert text == text.lower() and not re.search(r"[.,!?;:]", text), text
    assert sum(t.startswith(("alo", "dạ", "ờ")) for t in calls) > 0.5 * len(calls)
    fields = [m.payload for m in valid if m.stream == "field"]
    for key, low, high in (("category", 0.2, 0.5), ("photos", 0.3, 0.6), ("reporter", 0.35, 0.65),
                           ("address", 0.2, 0.5)):
        assert low < sum(key in p for p in fields) / len(fields) < high, key
    for p in fields:
        for url in p.get("photos", ()):
            assert re.fullmatch(r"https://app\.honngu\.gov\.vn/media/[0-9a-f]{32}\.jpg", url)
        phone = p.get("reporter", {}).get("phone")
        if phone:
            assert re.fullmatch(r"(\+84|0)[35789]\d[\d ]{7,9}", phone), phone


def test_material_covers_every_department() -> None:
    taxonomy = yaml.safe_load((ROOT / "config" / "taxonomy.yaml").read_text(encoding="utf-8"))
    codes = {d["code"] for d in taxonomy["departments"]}
    assert set(REPORTS) == codes and set(CORES) == codes
    bases = [text for entries in REPORTS.values() for text, _ in entries]
    assert len(set(bases)) == len(bases) >= 150
    ctx = {"street": "Hùng Vương", "place": "chợ Hồng Ngự", "khom": "khóm 1",
           "ward": "phường An Thạnh", "n": 12, "time": "mấy hôm nay", "hours": "từ sáng",
           "ago": "Lúc nãy", "short": "An Thạnh"}
    for code in codes:
        assert len(REPORTS[code]) >= 12 and len(CORES[code]) >= 5, code
        for text, urgent in (*REPORTS[code], *CORES[code]):
            assert isinstance(urgent, bool)
            assert "{" not in text.format(**ctx)
    urgent_share = sum(u for entries in REPORTS.values() for _, u in entries) / len(bases)
    assert 0.1 < urgent_share < 0.4
    assert len(PROCEDURES) >= 25 and len({p.code for p in PROCEDURES}) == len(PROCEDURES)


def test_truth_only_when_asked() -> None:
    messages = [m for m, _ in generate(600, with_truth=True)]
    for msg in messages:
        if msg.stream in ("field", "hotline"):
            truth = msg.payload["_truth"]
            assert truth["department"] in REPORTS and isinstance(truth["urgent"], bool)
    assert {m.payload["_truth"]["department"] for m in messages if m.stream == "field"} == set(REPORTS)


def test_same_seed_same_sequence() -> None:
    def run(seed: int) -> list[tuple[Any, ...]]:
        return [(m.stream, m.subtopic, m.payload, m.raw) for m, _ in
                generate(800, seed=seed, malformed_rate=0.1, duplicate_rate=0.1)]
    assert run(3) == run(3)
    assert run(3) != run(4)


def test_mix_and_rates() -> None:
    sensors = [m for m, _ in generate(300, mix={"sensor": 1.0})]
    assert all(m.stream == "sensor" and m.subtopic == f"sensors/{m.payload['kind']}" for m in sensors)
    assert len({m.payload["kind"] for m in sensors}) >= 5
    assert all(m.raw is not None for m, _ in generate(200, malformed_rate=1.0))
    for bad in ({"malformed_rate": 1.5}, {"duplicate_rate": -0.1}, {"mix": {"fax": 1.0}}, {"mix": {}}):
        with pytest.raises(ValueError):
            TrafficGenerator(1, **bad)


def test_default_clock_is_now_in_vietnam() -> None:
    gen = TrafficGenerator(5, mix={"field": 1.0, "hotline": 1.0})
    now = datetime.now(VN)
    for _ in range(50):
        payload = gen.next().payload
        t = payload.get("reported_at") or payload["received_at"]
        assert t.endswith("+07:00")
        assert abs(datetime.fromisoformat(t) - now) < timedelta(minutes=10)


def test_wards_config() -> None:
    data = yaml.safe_load(DEFAULT_WARDS_PATH.read_text(encoding="utf-8"))
    city = data["city"]
    assert city["name"] == "Hồng Ngự" and city["province"] == "Đồng Tháp"
    assert city["timezone"] == "Asia/Ho_Chi_Minh" and isinstance(city["zoom"], int)
    wards = load_wards()
    assert len(wards) >= 7 and len({w.code for w in wards}) == len(wards)
    for w in wards:
        assert re.fullmatch(r"[a-z_]+", w.code) and w.name.startswith(("Phường", "Xã"))
        assert 10.78 <= w.lat <= 10.85 and 105.30 <= w.lon <= 105.40 and 500 <= w.radius_m <= 5000


def test_due_times_count_working_days() -> None:
    friday_late = datetime(2025, 10, 17, 16, 0, tzinfo=VN)
    assert due_time(friday_late, 0) == datetime(2025, 10, 20, 17, 0, tzinfo=VN)
    assert due_time(datetime(2025, 10, 16, 9, 0, tzinfo=VN), 3) == datetime(2025, 10, 21, 9, 0, tzinfo=VN)
    saturday_night = datetime(2025, 10, 18, 22, 0, tzinfo=VN)
    assert due_time(saturday_night, 1) == datetime(2025, 10, 21, 7, 0, tzinfo=VN)
    before_national_day = datetime(2025, 8, 29, 10, 0, tzinfo=VN)  # 1-2 September are holidays
    assert due_time(before_national_day, 1) == datetime(2025, 9, 3, 10, 0, tzinfo=VN)
