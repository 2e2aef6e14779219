"""Realistic mixed traffic for Hồng Ngự: field reports, hotline calls, counter events, sensors.

Pure Python, no MQTT and no network: :class:`TrafficGenerator` makes one
:class:`SimMessage` per call, with payloads following DESIGN.md. The same seed
and the same clock give the same sequence. One-stop-counter dossiers keep a
real lifecycle inside the generator (received → processing → maybe
supplement_requested → resolved → returned, a few cancelled, some late).
"""

from __future__ import annotations

import copy
import math
import random
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml

from ingest.simulator.data import DEPARTMENT_WEIGHTS, REPORTS, compose, hotline
from ingest.simulator.data.malformed import corrupt, counter_stub
from ingest.simulator.data.procedures import CHANNELS, CITY_AGENCY, PROCEDURES
from ingest.simulator.data.sensors import RIVER_LEVEL_BY_MONTH, STATIONS, Station
from ingest.simulator.data.workdays import (
    OFFICE_HOURS,
    VN_TZ,
    due_time,
    next_office_time,
    prev_office_time,
    shift_working_days,
)
from ioc.geo import Ward

DEFAULT_WARDS_PATH = Path(__file__).resolve().parents[2] / "config" / "wards.yaml"
DEFAULT_MIX: dict[str, float] = {"field": 0.45, "hotline": 0.25, "counter": 0.25, "sensor": 0.05}
SUBTOPICS = {"field": "reports/field", "hotline": "reports/hotline", "counter": "counter/events"}
LATE_SHARE = 0.12          # dossiers resolved after their due time
HISTORY_SHARE = 0.55       # dossiers received days ago whose lifecycle plays out now
MAX_OPEN_DOSSIERS = 600
_PLACE_KEYS = ("{street}", "{place}", "{khom}", "{ward}")
#: How often a text that names no place gets a location added (default 0.55): people
#: complaining about a dossier or an allowance rarely say where they stand.
_PLACE_SHARE = {"hanh_chinh": 0.08, "xa_hoi": 0.25, "giao_duc": 0.25, "van_hoa": 0.4}


@dataclass(frozen=True)
class SimMessage:
    """One generated message: its stream, topic below the root, and JSON payload or raw bytes."""

    stream: str
    subtopic: str
    payload: dict[str, Any] | None
    raw: bytes | None = None


def load_wards(path: Path | None = None) -> list[Ward]:
    """The wards of ``wards.yaml`` (default: the shipped config/wards.yaml)."""
    data = yaml.safe_load(Path(path or DEFAULT_WARDS_PATH).read_text(encoding="utf-8")) or {}
    return [Ward(str(w["code"]), str(w["name"]), float(w["lat"]), float(w["lon"]),
                 float(w.get("radius_m", 1500))) for w in data.get("wards") or ()]


def _load_landmarks(path: Path | None) -> dict[str, list[str]]:
    data = yaml.safe_load(Path(path or DEFAULT_WARDS_PATH).read_text(encoding="utf-8")) or {}
    return {str(w["code"]): [str(x) for x in w.get("landmarks") or ()] for w in data.get("wards") or ()}


def iso(moment: datetime) -> str:
    """ISO 8601 in Vietnam time, e.g. ``2025-10-15T08:30:00+07:00``."""
    return moment.astimezone(VN_TZ).isoformat(timespec="seconds")


@dataclass
class _Dossier:
    dossier_id: str
    meta: dict[str, str]
    plan: list[tuple[str, datetime]]
    due: datetime


class TrafficGenerator:
    """Endless realistic traffic; call :meth:`next` for each message.

    ``clock`` is called once per message (default: now, in Vietnam time).
    ``malformed_rate`` and ``duplicate_rate`` are shares of messages that are
    broken on purpose or replay an earlier payload with the same id. With
    ``with_truth`` field and hotline payloads carry ``_truth`` (department, urgent).
    """

    def __init__(self, seed: int | None = None, *, wards_path: Path | None = None,
                 clock: Callable[[], datetime] | None = None, malformed_rate: float = 0.0,
                 duplicate_rate: float = 0.0, mix: dict[str, float] | None = None,
                 with_truth: bool = False) -> None:
        for name, rate in (("malformed_rate", malformed_rate), ("duplicate_rate", duplicate_rate)):
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        mix = dict(DEFAULT_MIX if mix is None else mix)
        unknown = set(mix) - set(DEFAULT_MIX)
        if unknown or not mix or min(mix.values()) < 0 or sum(mix.values()) <= 0:
            raise ValueError(f"mix needs non-negative weights for {sorted(DEFAULT_MIX)}")
        self._rng = random.Random(seed)
        self._clock = clock or (lambda: datetime.now(VN_TZ))
        self._malformed_rate = malformed_rate
        self._duplicate_rate = duplicate_rate
        self._with_truth = with_truth
        self._streams = list(mix)
        self._stream_weights = [mix[s] for s in self._streams]
        self.wards = load_wards(wards_path)
        self._landmarks = _load_landmarks(wards_path)
        if not self.wards:
            raise ValueError("wards.yaml lists no wards")
        self._ward_weights = [3 if w.name.lower().startswith("phường") else 1 for w in self.wards]
        self._departments = list(DEPARTMENT_WEIGHTS)
        self._dept_weights = list(DEPARTMENT_WEIGHTS.values())
        self._spoken = {d: [p for p in REPORTS[d] if not p[0].isascii()] for d in REPORTS}
        self._recent: deque[SimMessage] = deque(maxlen=300)
        self._open: list[_Dossier] = []
        self._dossier_seq: dict[tuple[str, date], int] = {}
        self._call_seq = 0
        self._levels: dict[str, float] = {}

    def next(self) -> SimMessage:
        """The next message."""
        rng = self._rng
        now = self._now()
        if self._recent and rng.random() < self._duplicate_rate:
            old = rng.choice(self._recent)
            return SimMessage(old.stream, old.subtopic, copy.deepcopy(old.payload))
        stream = rng.choices(self._streams, self._stream_weights)[0]
        if rng.random() < self._malformed_rate:
            return self._malformed(stream, now)
        msg = getattr(self, f"_{stream}")(now)
        self._recent.append(msg)
        return msg

    # --- helpers ------------------------------------------------------------------------------

    def _now(self) -> datetime:
        moment = self._clock()
        return moment.replace(tzinfo=VN_TZ) if moment.tzinfo is None else moment.astimezone(VN_TZ)

    def _hex(self) -> str:
        return uuid.UUID(int=self._rng.getrandbits(128), version=4).hex

    def _ward(self) -> Ward:
        return self._rng.choices(self.wards, self._ward_weights)[0]

    def _scatter(self, ward: Ward) -> tuple[float, float]:
        """A point inside the ward, denser near its centre."""
        rng = self._rng
        r = ward.radius_m * min(0.97, abs(rng.gauss(0.0, 0.45)))
        angle = rng.uniform(0.0, 2 * math.pi)
        lat = ward.lat + r * math.cos(angle) / 111_320
        lon = ward.lon + r * math.sin(angle) / (111_320 * math.cos(math.radians(ward.lat)))
        return round(lat, 6), round(lon, 6)

    def _context(self, ward: Ward) -> dict[str, Any]:
        """Values for a text's placeholders, all about the same ward."""
        rng = self._rng
        kind, _, short = ward.name.partition(" ")
        kind = kind.lower()
        if kind not in ("phường", "xã") or not short:
            kind, short = "", ward.name
        ctx = {
            "street": rng.choice(compose.STREETS), "short": short,
            "ward": f"{kind} {short}".strip(),
            "khom": f"{'ấp' if kind == 'xã' else 'khóm'} {rng.randint(1, 6)}",
            "n": rng.choice((rng.randint(1, 40), rng.randint(1, 350))),
            "time": rng.choice(compose.TIME_DAYS), "hours": rng.choice(compose.TIME_HOURS),
            "ago": rng.choice(compose.AGO),
        }
        landmarks = self._landmarks.get(ward.code)
        if landmarks and rng.random() < 0.5:
            ctx["place"] = rng.choice(landmarks)
        else:
            ctx["place"] = rng.choice(compose.PLACE_TEMPLATES).format(**ctx)
        return ctx

    def _department(self) -> str:
        return self._rng.choices(self._departments, self._dept_weights)[0]

    def _truth(self, payload: dict[str, Any], department: str, urgent: bool) -> None:
        if self._with_truth:
            payload["_truth"] = {"department": department, "urgent": urgent}

    # --- field reports ------------------------------------------------------------------------

    def _compose_report(self, department: str, base: str, urgent: bool,
                        ctx: dict[str, Any]) -> str:
        rng = self._rng
        parts = [base.format(**ctx)]
        if rng.random() < 0.3:
            urgent_open = urgent and rng.random() < 0.5
            opening = rng.choice(compose.URGENT_OPENINGS if urgent_open else compose.OPENINGS)
            if opening.endswith(","):
                parts[0] = parts[0][0].lower() + parts[0][1:]
            parts.insert(0, opening)
        if (not any(key in base for key in _PLACE_KEYS)
                and rng.random() < _PLACE_SHARE.get(department, 0.55)):
            parts.append(rng.choice(compose.LOCATION_TAILS).format(**ctx))
        if rng.random() < 0.4:
            urgent_close = urgent and rng.random() < 0.6
            parts.append(rng.choice(compose.URGENT_CLOSINGS if urgent_close else compose.CLOSINGS))
        text = parts[0]
        for part in parts[1:]:
            text += " " + part if text[-1] in ".!?:," else ", " + part[0].lower() + part[1:]
        style = rng.random()
        if base.isascii() or style < 0.1:
            return compose.strip_diacritics(text)
        return compose.chat_style(text, rng) if style < 0.2 else text

    def _field(self, now: datetime) -> SimMessage:
        rng = self._rng
        department = self._department()
        base, urgent = rng.choice(REPORTS[department])
        ward = self._ward()
        ctx = self._context(ward)
        lat, lon = self._scatter(ward)
        reported = now - timedelta(seconds=rng.randint(0, 240))
        payload: dict[str, Any] = {"id": f"app-{self._hex()}",
                                   "text": self._compose_report(department, base, urgent, ctx),
                                   "lat": lat, "lon": lon, "reported_at": iso(reported)}
        if rng.random() < 0.35:
            wrong = rng.random() < 0.2
            payload["category"] = rng.choice(self._departments) if wrong else department
        if rng.random() < 0.45:
            payload["photos"] = [f"https://app.honngu.gov.vn/media/{self._hex()}.jpg"
                                 for _ in range(rng.choice((1, 1, 1, 2, 3)))]
        if rng.random() < 0.5:
            reporter = {"name": compose.person_name(rng)}
            if rng.random() < 0.85:
                reporter["phone"] = compose.phone_number(rng)
            payload["reporter"] = reporter
        if rng.random() < 0.35:
            payload["address"] = rng.choice(compose.REPORT_ADDRESSES).format(**ctx)
        self._truth(payload, department, urgent)
        return SimMessage("field", SUBTOPICS["field"], payload)

    # --- hotline ------------------------------------------------------------------------------

    def _hotline(self, now: datetime) -> SimMessage:
        rng = self._rng
        department = self._department()
        pool = hotline.CORES[department] if rng.random() < 0.6 else self._spoken[department]
        core, urgent = rng.choice(pool)
        ward = self._ward()
        ctx = self._context(ward)
        pieces = []
        for share, options in ((0.85, hotline.GREETINGS), (0.4, hotline.INTROS),
                               (0.7, hotline.INTENTS)):
            if rng.random() < share:
                pieces.append(rng.choice(options))
        pieces.append(core)
        if (not any(key in core for key in _PLACE_KEYS)
                and rng.random() < _PLACE_SHARE.get(department, 0.6)):
            pieces.append(rng.choice(hotline.ADDRESSES))
        if rng.random() < 0.6:
            urgent_close = urgent and rng.random() < 0.6
            pieces.append(rng.choice(hotline.URGENT_CLOSINGS if urgent_close else hotline.CLOSINGS))
        received = now - timedelta(seconds=rng.randint(0, 180))
        self._call_seq += 1
        payload: dict[str, Any] = {
            "id": f"hl-{self._hex()}", "call_id": f"1022-{received:%Y%m%d}-{self._call_seq:05d}",
            "transcript": hotline.speech_style([p.format(**ctx) for p in pieces], rng),
            "received_at": iso(received),
        }
        if rng.random() < 0.85:
            payload["caller_phone"] = compose.phone_number(rng)
        if rng.random() < 0.55:
            payload["address"] = rng.choice(hotline.TICKET_ADDRESSES).format(**ctx)
        if rng.random() < 0.15:
            payload["lat"], payload["lon"] = self._scatter(ward)
        self._truth(payload, department, urgent)
        return SimMessage("hotline", SUBTOPICS["hotline"], payload)

    # --- one-stop counter ---------------------------------------------------------------------

    def _counter(self, now: datetime) -> SimMessage:
        rng = self._rng
        ready = [d for d in self._open if d.plan[0][1] <= now]
        if ready and rng.random() < 0.72:
            dossier = rng.choice(ready)
        else:
            if len(self._open) >= MAX_OPEN_DOSSIERS:  # forget the slowest: it stays open upstream
                self._open.remove(max(self._open, key=lambda d: d.plan[0][1]))
            dossier = self._new_dossier(now)
            self._open.append(dossier)
        event, at = dossier.plan.pop(0)
        if not dossier.plan:
            self._open.remove(dossier)
        payload: dict[str, Any] = {"id": f"ce-{self._hex()}", "dossier_id": dossier.dossier_id,
                                   "event": event, "at": iso(at), **dossier.meta}
        if event == "received":
            payload["due_at"] = iso(dossier.due)
        return SimMessage("counter", SUBTOPICS["counter"], payload)

    def _office_moment(self, day: date) -> datetime:
        rng = self._rng
        start, end = OFFICE_HOURS[0] if rng.random() < 0.53 else OFFICE_HOURS[1]
        opening = datetime.combine(day, start, VN_TZ)
        minutes = (datetime.combine(day, end, VN_TZ) - opening).seconds // 60
        return opening + timedelta(minutes=rng.randint(0, minutes - 1))

    def _new_dossier(self, now: datetime) -> _Dossier:
        rng = self._rng
        proc = rng.choices(PROCEDURES, [p.weight for p in PROCEDURES])[0]
        level = proc.level if proc.level != "both" else rng.choice(("ward", "city"))
        office, agency = "city", CITY_AGENCY
        if level == "ward":
            ward = self._ward()
            office, agency = ward.code, f"000.{self.wards.index(ward) + 1:02d}.21.H19"
        channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
        history = rng.random() < HISTORY_SHARE
        if history:
            day = shift_working_days(now.date(), -(proc.days + rng.randint(1, 4)))
            received = (self._office_moment(day) if channel != "online" else
                        datetime.combine(day, time(6), VN_TZ) + timedelta(minutes=rng.randint(0, 960)))
        else:
            received = now - timedelta(minutes=rng.randint(0, 30))
            if channel != "online":
                received = prev_office_time(received)
        while True:
            due = due_time(received, proc.days)
            plan = self._plan(received, due)
            if not history or plan[-1][1] <= now:
                break
            # keep the whole lifecycle in the past: move back whole weeks (weekdays intact)
            received -= timedelta(weeks=math.ceil((plan[-1][1] - now) / timedelta(weeks=1)))
        key = (agency, received.date())
        self._dossier_seq[key] = seq = self._dossier_seq.get(key, 0) + 1
        meta = {"procedure_code": proc.code, "procedure_name": proc.name, "field": proc.field,
                "office": office, "channel": channel}
        return _Dossier(f"{agency}-{received:%y%m%d}-{seq:04d}", meta, plan, due)

    def _plan(self, received: datetime, due: datetime) -> list[tuple[str, datetime]]:
        """The dossier's events and their times, in order."""
        rng = self._rng
        start = next_office_time(received)
        span = due - start

        def office(moment: datetime) -> datetime:  # after an opening, staff start a bit later
            opened = next_office_time(moment)
            return opened if opened == moment else opened + timedelta(minutes=rng.randint(0, 120))

        def step(low: float, high: float, floor: datetime, cap: datetime | None = due) -> datetime:
            moment = office(start + span * rng.uniform(low, high))
            return max(floor, moment if cap is None else min(moment, cap))

        t = step(0.0, 0.15, received)
        plan = [("received", received), ("processing", t)]
        if rng.random() < 0.12:
            t = step(0.2, 0.4, t)
            plan.append(("supplement_requested", t))
            t = step(0.4, 0.6, t)
            plan.append(("processing", t))
        if rng.random() < 0.03:
            return [*plan, ("cancelled", step(0.5, 1.2, t, None))]
        if rng.random() < LATE_SHARE:
            t = max(t, office(due + timedelta(hours=rng.uniform(2, 72))))
        else:
            t = step(0.6, 0.98, t)
        returned = office(t + timedelta(hours=rng.uniform(0.5, 48)))
        return [*plan, ("resolved", t), ("returned", returned)]

    # --- sensors ------------------------------------------------------------------------------

    def _reading(self, station: Station, now: datetime) -> float | int:
        """A random walk around the station's typical level (the river's follows the season)."""
        rng = self._rng
        if station.kind == "water_level":
            mean = RIVER_LEVEL_BY_MONTH[now.month] * station.threshold / 4.0
        else:
            mean = station.threshold * 0.95
        previous = self._levels.get(station.sensor_id, mean)
        value = previous + rng.gauss(0.0, station.step) + 0.15 * (mean - previous)
        value = min(station.high, max(station.low, value))
        self._levels[station.sensor_id] = value
        return round(value, station.decimals) if station.decimals else round(value)

    def _sensor(self, now: datetime) -> SimMessage:
        rng = self._rng
        station = rng.choices(STATIONS, [s.weight for s in STATIONS])[0]
        payload: dict[str, Any] = {
            "id": f"s-{self._hex()}", "sensor_id": station.sensor_id, "kind": station.kind,
            "value": self._reading(station, now), "unit": station.unit, "at": iso(now),
            "lat": station.lat, "lon": station.lon,
        }
        if rng.random() < 0.7:
            payload["threshold"] = station.threshold
        return SimMessage("sensor", f"sensors/{station.kind}", payload)

    # --- malformed ----------------------------------------------------------------------------

    def _malformed(self, stream: str, now: datetime) -> SimMessage:
        if stream == "counter":
            payload, subtopic = counter_stub(self._rng, f"ce-{self._hex()}", now), SUBTOPICS["counter"]
        else:
            msg = getattr(self, f"_{stream}")(now)
            payload, subtopic = msg.payload or {}, msg.subtopic
        payload.pop("_truth", None)
        return SimMessage(stream, subtopic, None, corrupt(self._rng, stream, payload, now))
