"""Batch processing: parsed messages → one transaction → events and dead letters.

A micro-batch is committed in one transaction (the cost of a commit is paid
once per batch, not per message). If the batch fails as a whole, each message
is retried alone so that one bad message cannot hold back the others; a
message that still fails is dead-lettered with the error. If the database
itself is unreachable, the error propagates: the caller must not acknowledge
anything and retries later.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from ingest.dispatcher import Dispatcher, Parsed
from ingest.handlers.base import ParseContext, Rejected
from ingest.messages import ReceivedMessage
from ioc.core import Core
from ioc.db import utcnow
from ioc.routing import RoutingDecision
from ioc.routing_pool import RoutingJob, RoutingPool
from ioc.services.deadletters import record_dead_letter
from ioc.services.dossiers import CounterEvent, apply_counter_events
from ioc.services.intake import NewReport, record_reports
from ioc.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeadLetterNotice:
    """What is republished on the dead-letter topic."""

    topic: str
    reason: str
    message_id: str | None
    payload: str

    def to_json(self) -> bytes:
        """The notice as UTF-8 JSON."""
        return json.dumps(
            {"topic": self.topic, "reason": self.reason, "id": self.message_id,
             "payload": self.payload, "at": utcnow().isoformat()},
            ensure_ascii=False,
        ).encode()


@dataclass
class BatchOutcome:
    """Counts and the dead-letter notices to publish after commit."""

    incidents: int = 0
    replays: int = 0
    duplicates: int = 0
    counter_events: int = 0
    dead_letters: list[DeadLetterNotice] = field(default_factory=list)
    commit_seconds: float = 0.0


@dataclass
class PipelineStats:
    """Running totals for /metrics and the benchmark."""

    messages: int = 0
    incidents: int = 0
    replays: int = 0
    duplicates: int = 0
    counter_events: int = 0
    dead_letters: int = 0
    batches: int = 0
    fallbacks: int = 0
    busy_seconds: float = 0.0
    routing_wait_seconds: float = 0.0  # of busy_seconds: waiting for the routing process


@dataclass
class PreparedBatch:
    """A parsed batch whose reports may be being routed in the routing process."""

    messages: Sequence[ReceivedMessage]
    parsed: list[Parsed]
    to_route: list[int]  # positions in ``parsed`` of the reports the model must route
    routing: RoutingJob | None
    seconds: float  # time spent preparing


class Pipeline:
    """Turns micro-batches of MQTT messages into committed state.

    Two stages, so that a worker can overlap them: ``prepare`` parses a batch
    and hands its texts to the routing process (when there is one); ``commit``
    writes it. ``process`` does both, one after the other.
    """

    def __init__(self, core: Core, dispatcher: Dispatcher,
                 routing_pool: RoutingPool | None = None) -> None:
        self.core = core
        self.dispatcher = dispatcher
        self.routing_pool = routing_pool
        self.stats = PipelineStats()

    def close(self) -> None:
        """Stop the routing process, if this pipeline has one."""
        if self.routing_pool is not None:
            self.routing_pool.close()

    def context(self) -> ParseContext:
        """A parse context for now."""
        return ParseContext(
            city=self.core.city, now=utcnow(), max_payload_bytes=self.core.settings.max_payload_bytes
        )

    def process(self, messages: Sequence[ReceivedMessage]) -> BatchOutcome:
        """Parse and commit a batch; raises only when the database is unreachable."""
        return self.commit(self.prepare(messages))

    def prepare(self, messages: Sequence[ReceivedMessage]) -> PreparedBatch:
        """Parse a batch and start routing its reports; never raises on bad input."""
        started = time.perf_counter()
        ctx = self.context()
        parsed = [self.dispatcher.parse(m, ctx) for m in messages]
        to_route = [i for i, item in enumerate(parsed)
                    if isinstance(item.command, NewReport) and item.command.routing is None]
        job = None
        if self.routing_pool is not None and to_route:
            job = self.routing_pool.submit(
                [parsed[i].command.text for i in to_route],
                [parsed[i].command.category_hint for i in to_route])
        return PreparedBatch(messages, parsed, to_route, job, time.perf_counter() - started)

    def commit(self, batch: PreparedBatch) -> BatchOutcome:
        """Commit a prepared batch; raises only when the database is unreachable."""
        started = time.perf_counter()
        parsed = batch.parsed
        decided = self._routed(batch)
        try:
            outcome = self._commit(parsed, decided)
        except Exception as exc:
            if _connection_lost(exc):
                raise
            log.warning("batch of %d failed (%s); retrying one by one", len(parsed), exc)
            self.stats.fallbacks += 1
            outcome = BatchOutcome()
            for item in parsed:
                one = self._commit_alone(item)
                _merge(outcome, one)
        outcome.commit_seconds = batch.seconds + time.perf_counter() - started
        self.stats.busy_seconds += outcome.commit_seconds
        self._count(len(batch.messages), outcome)
        return outcome

    def _routed(self, batch: PreparedBatch) -> dict[int, RoutingDecision]:
        """The routing process's decisions by position in the batch (empty: route here)."""
        if batch.routing is None or self.routing_pool is None:
            return {}
        waited = time.perf_counter()
        decisions = self.routing_pool.result(batch.routing)
        self.stats.routing_wait_seconds += time.perf_counter() - waited
        if decisions is None:
            return {}  # record_reports routes them in this process
        return dict(zip(batch.to_route, decisions, strict=True))

    def _commit(self, parsed: Sequence[Parsed],
                decided: dict[int, RoutingDecision] | None = None) -> BatchOutcome:
        outcome = BatchOutcome()
        reports: list[NewReport] = []
        decisions: list[RoutingDecision | None] = []
        counter: list[CounterEvent] = []
        decided = decided or {}
        with self.core.uow() as uow:
            for i, item in enumerate(parsed):
                if item.rejection is not None:
                    self._dead_letter(uow, item, item.rejection.reason, outcome)
                elif isinstance(item.command, NewReport):
                    reports.append(item.command)
                    decisions.append(decided.get(i))
                elif isinstance(item.command, CounterEvent):
                    counter.append(item.command)
            result = record_reports(uow, self.core, reports, load=False, decisions=decisions)
            outcome.incidents = len(result.created)
            outcome.replays = len(result.replayed)
            outcome.duplicates = result.duplicates
            before = len(counter)
            apply_counter_events(uow, counter)
            outcome.counter_events = before
            uow.commit()
        return outcome

    def _commit_alone(self, item: Parsed) -> BatchOutcome:
        try:
            return self._commit([item])
        except Exception as exc:
            if _connection_lost(exc):
                raise
            log.exception("message on %s failed alone", item.message.topic)
            reason = f"processing failed: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
            log.error("message on %s dead-lettered: %s", item.message.topic, reason)
            return self._commit([Parsed(item.message, rejection=Rejected(reason))])

    def _dead_letter(self, uow: UnitOfWork, item: Parsed, reason: str,
                     outcome: BatchOutcome) -> None:
        msg = item.message
        message_id = item.rejection.message_id if item.rejection else None
        letter = record_dead_letter(uow, msg.topic, msg.payload, reason, message_id)
        outcome.dead_letters.append(
            DeadLetterNotice(msg.topic, reason, message_id, letter.payload)
        )

    def _count(self, n: int, outcome: BatchOutcome) -> None:
        s = self.stats
        s.messages += n
        s.batches += 1
        s.incidents += outcome.incidents
        s.replays += outcome.replays
        s.duplicates += outcome.duplicates
        s.counter_events += outcome.counter_events
        s.dead_letters += len(outcome.dead_letters)


def _merge(total: BatchOutcome, one: BatchOutcome) -> None:
    total.incidents += one.incidents
    total.replays += one.replays
    total.duplicates += one.duplicates
    total.counter_events += one.counter_events
    total.dead_letters.extend(one.dead_letters)


def _connection_lost(exc: Exception) -> bool:
    """True when the database is unreachable (retry later), not when the data is bad."""
    if isinstance(exc, IntegrityError) or not isinstance(exc, (OperationalError, DBAPIError)):
        return False
    if getattr(exc, "connection_invalidated", False):
        return True
    text = str(exc.orig if exc.orig is not None else exc).lower()
    return any(
        marker in text
        for marker in ("could not connect", "connection refused", "server closed the connection",
                       "terminating connection", "database is locked", "disk i/o error",
                       "connection is closed", "no route to host")
    )
