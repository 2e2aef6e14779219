"""Intake: reports from any channel become incidents.

Idempotent on (channel, source id): a replayed message never creates a second
incident. Each new report is routed (or left for manual triage), gets its SLA
deadlines, and is linked to an open incident nearby that describes the same
problem (a duplicate adds to the original's report count; nothing is deleted).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, tuple_, update

from ioc.actors import DEDUP_ACTOR, INTAKE_ACTOR, ROUTER_ACTOR
from ioc.core import Core
from ioc.db import utcnow
from ioc.lifecycle import Status
from ioc.models import Incident, IncidentEvent
from ioc.routing import RoutingDecision
from ioc.search import search_text
from ioc.services.common import chunks, incident_event, refresh_sla, set_deadlines
from ioc.services.dedup import DuplicateFinder
from ioc.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read over the phone


def new_tracking_code(now: datetime) -> str:
    """A public tracking code such as ``PA2611-7KQ3FX``: month, then 6 random symbols."""
    return new_tracking_codes(now, 1)[0]


def new_tracking_codes(now: datetime, count: int) -> list[str]:
    """``count`` codes from one read of the system's randomness (256 % 32 == 0: no bias)."""
    raw = secrets.token_bytes(6 * count)
    prefix = f"PA{now:%y%m}-"
    return [prefix + "".join(CODE_ALPHABET[b % 32] for b in raw[i:i + 6])
            for i in range(0, 6 * count, 6)]


@dataclass(frozen=True)
class NewReport:
    """A report from any channel, already validated by its adapter."""

    channel: str
    source_id: str
    text: str
    reported_at: datetime
    lat: float | None = None
    lon: float | None = None
    address: str | None = None
    category_hint: str | None = None
    photos: tuple[str, ...] = ()
    reporter_name: str | None = None
    reporter_phone: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    routing: RoutingDecision | None = None  # preset by rule (sensors); else the model routes


@dataclass
class IntakeResult:
    """What one call created, and which reports were replays."""

    created: list[Incident] = field(default_factory=list)
    replayed: list[NewReport] = field(default_factory=list)
    duplicates: int = 0


def record_reports(
    uow: UnitOfWork, core: Core, reports: Sequence[NewReport], now: datetime | None = None,
    *, load: bool = True, decisions: Sequence[RoutingDecision | None] | None = None,
) -> IntakeResult:
    """Create incidents for the reports not seen before; does not commit.

    Rows are written with bulk inserts (the ingest worker calls this with
    hundreds of reports at a time). With ``load`` the created incidents are
    returned as ORM objects; without, as light read-only records with the
    same attributes (what the worker needs, at a fraction of the cost).
    ``decisions``, aligned with ``reports``, are routings made elsewhere (the
    worker's routing process); the model routes the reports that have none.
    """
    now = now or utcnow()
    result = IntakeResult()
    keep = _drop_replays(uow, reports, result)
    if not keep:
        return result
    fresh = [reports[i] for i in keep]
    routed = _route(core, fresh, [decisions[i] for i in keep] if decisions else [None] * len(keep))
    finder = DuplicateFinder(uow, core, now)
    drafts: list[_Draft] = []
    codes = new_tracking_codes(now, len(fresh))
    for report, decision, code in zip(fresh, routed, codes, strict=True):
        draft = _draft(core, report, decision, now, code)
        original = finder.find(draft)
        if original is not None:
            draft.original = original
            draft.status = Status.DUPLICATE
            if isinstance(original, _Draft):
                original.report_count += 1
                draft.original_code, draft.department_code = original.code, original.department_code
            else:
                draft.original_code, draft.department_code = finder.describe(original)
            result.duplicates += 1
        elif draft.department_code:
            draft.status = Status.ROUTED
        refresh_sla(core, draft, now)
        finder.add(draft)
        drafts.append(draft)
    _unique_codes(uow, drafts, now)
    ids = _insert(uow, drafts, now)
    for draft in drafts:
        uow.emit(incident_event("incident.created", draft))  # type: ignore[arg-type]
    if load:
        loaded = {i.id: i for i in uow.session.scalars(
            select(Incident).where(Incident.id.in_(ids)))}
        result.created = [loaded[i] for i in ids]
    else:
        result.created = drafts  # type: ignore[assignment]
    for incident in _db_originals(uow, drafts):
        uow.emit(incident_event("incident.updated", incident, change="duplicate_linked"))
    return result


class _Draft:
    """A new incident's column values before insertion (cheaper than an ORM object)."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)
        self.id: int | None = None
        self.duplicate_of_id: int | None = None
        self.original: _Draft | int | None = None

    def row(self) -> dict[str, Any]:
        """The values to insert."""
        return {k: v for k, v in self.__dict__.items() if k in _COLUMNS}


_COLUMNS = frozenset(c.key for c in Incident.__table__.columns) - {"id"}


def _draft(core: Core, report: NewReport, decision: RoutingDecision, now: datetime,
           code: str) -> _Draft:
    ward = None
    if report.lat is not None and report.lon is not None:
        found = core.city.ward_at(report.lat, report.lon)
        ward = found.code if found else None
    extra = dict(report.extra)
    if decision.candidates:
        extra["candidates"] = [[c, round(p, 4)] for c, p in decision.candidates]
    draft = _Draft(
        code=code, channel=report.channel, source_id=report.source_id,
        text=report.text, lat=report.lat, lon=report.lon, address=report.address, ward=ward,
        category_hint=report.category_hint, photos=list(report.photos),
        reporter_name=report.reporter_name, reporter_phone=report.reporter_phone,
        department_code=decision.department, routing_confidence=round(decision.confidence, 4),
        routing_model=decision.model_version, urgent=decision.urgent, status=Status.NEW,
        sla_state="on_time", sla_next_check_at=None, reported_at=report.reported_at,
        created_at=now, updated_at=now, acknowledged_at=None, resolved_at=None, closed_at=None,
        resolution_note=None, report_count=1, extra=extra,
        search_text=search_text(report.text, report.address),
    )
    set_deadlines(core, draft, now)
    return draft


def _unique_codes(uow: UnitOfWork, drafts: list[_Draft], now: datetime) -> None:
    """Draw again the (rare) tracking codes already taken, in this batch or before."""
    while True:
        codes = [d.code for d in drafts]
        taken = set(uow.session.scalars(select(Incident.code).where(Incident.code.in_(codes))))
        seen: set[str] = set()
        clash = False
        for draft in drafts:
            if draft.code in taken or draft.code in seen:
                draft.code = new_tracking_code(now)
                clash = True
            seen.add(draft.code)
        if not clash:
            return


def _insert(uow: UnitOfWork, drafts: list[_Draft], now: datetime) -> list[int]:
    session = uow.session
    table = Incident.__table__
    # Plain executemany, then one lookup by the (unique) codes: portable and
    # fast, where INSERT ... RETURNING in parameter order is row-by-row on SQLite.
    session.execute(table.insert(), [d.row() for d in drafts])
    rows = session.execute(
        select(table.c.code, table.c.id).where(table.c.code.in_([d.code for d in drafts]))
    ).all()
    by_code = {code: incident_id for code, incident_id in rows}
    for draft in drafts:
        draft.id = by_code[draft.code]
    ids = [d.id for d in drafts]
    events: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    counts: dict[int, int] = {}
    for d in drafts:
        events.append(_event(d.id, INTAKE_ACTOR, "created", now, None, "new",
                             channel=d.channel, source_id=d.source_id))
        if d.original is not None:
            original_id = d.original.id if isinstance(d.original, _Draft) else d.original
            d.duplicate_of_id = original_id
            links.append({"id": d.id, "duplicate_of_id": original_id})
            events.append(_event(d.id, DEDUP_ACTOR, "duplicate", now, "new", "duplicate",
                                 duplicate_of=d.original_code))
            events.append(_event(original_id, DEDUP_ACTOR, "duplicate_linked", now,
                                 duplicate=d.code))
            if not isinstance(d.original, _Draft):
                counts[original_id] = counts.get(original_id, 0) + 1
        elif d.department_code:
            events.append(_event(d.id, ROUTER_ACTOR, "routed", now, "new", "routed",
                                 department=d.department_code, confidence=d.routing_confidence,
                                 model=d.routing_model))
        else:
            events.append(_event(d.id, ROUTER_ACTOR, "triage", now, None, None,
                                 confidence=d.routing_confidence, model=d.routing_model,
                                 reason="no department above the confidence threshold"))
    if links:
        session.execute(
            update(table).where(table.c.id == bindparam("b_id"))
            .values(duplicate_of_id=bindparam("b_original")),
            [{"b_id": link["id"], "b_original": link["duplicate_of_id"]} for link in links],
        )
    if counts:
        _bump_counts(uow, counts, now)
    session.execute(IncidentEvent.__table__.insert(), events)
    return ids


def _bump_counts(uow: UnitOfWork, counts: dict[int, int], now: datetime) -> None:
    stmt = (
        update(Incident.__table__)
        .where(Incident.__table__.c.id == bindparam("b_id"))
        .values(report_count=Incident.__table__.c.report_count + bindparam("b_n"),
                updated_at=now)
    )
    uow.session.execute(stmt, [{"b_id": i, "b_n": n} for i, n in counts.items()])


def _db_originals(uow: UnitOfWork, drafts: list[_Draft]) -> list[Any]:
    """The stored originals just counted up, as read-only rows (for their live events)."""
    ids = sorted({d.original for d in drafts if isinstance(d.original, int)})
    if not ids:
        return []
    table = Incident.__table__
    return list(uow.session.execute(select(table).where(table.c.id.in_(ids))))


def _event(incident_id: int | None, actor: str, kind: str, at: datetime,
           from_status: str | None = None, to_status: str | None = None,
           **data: Any) -> dict[str, Any]:
    return {"incident_id": incident_id, "actor": actor, "kind": kind, "at": at,
            "from_status": from_status, "to_status": to_status, "data": data}


def _drop_replays(
    uow: UnitOfWork, reports: Sequence[NewReport], result: IntakeResult
) -> list[int]:
    """Positions of the reports not seen before (the others are listed as replays)."""
    keys = {(r.channel, r.source_id) for r in reports}
    seen: set[tuple[str, str]] = set()
    for chunk in chunks(sorted(keys), 400):
        rows = uow.session.execute(
            select(Incident.channel, Incident.source_id).where(
                tuple_(Incident.channel, Incident.source_id).in_(chunk)
            )
        )
        seen.update((c, s) for c, s in rows)
    keep = []
    for i, report in enumerate(reports):
        key = (report.channel, report.source_id)
        if key in seen:
            result.replayed.append(report)
        else:
            seen.add(key)
            keep.append(i)
    return keep


def _route(core: Core, reports: list[NewReport],
           given: list[RoutingDecision | None]) -> list[RoutingDecision]:
    decisions: list[RoutingDecision | None] = [r.routing or g for r, g in zip(reports, given,
                                                                            strict=True)]
    todo = [i for i, d in enumerate(decisions) if d is None]
    routed = core.routing.route(
        [reports[i].text for i in todo], [reports[i].category_hint for i in todo]
    )
    for i, decision in zip(todo, routed, strict=True):
        decisions[i] = decision
    return [d for d in decisions if d is not None]
