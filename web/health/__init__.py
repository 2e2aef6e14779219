"""/healthz (liveness and readiness) and /metrics (Prometheus text format)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from flask import Blueprint, Response, jsonify
from sqlalchemy import func, select

from ioc.brokers import GUARANTEES, port_open
from ioc.lifecycle import OPEN_STATUSES
from ioc.models import DeadLetter, Dossier, Incident
from ioc.queries import count_by
from web.context import core

bp = Blueprint("health", __name__)

Check = Callable[[], tuple[bool, dict[str, Any]]]


def _database_check() -> tuple[bool, dict[str, Any]]:
    c = core()
    started = time.perf_counter()
    try:
        c.db.ping()
    except Exception as exc:
        return False, {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}
    return True, {"dialect": c.db.dialect,
                  "latency_ms": round((time.perf_counter() - started) * 1000, 2)}


def _broker_check() -> tuple[bool, dict[str, Any]]:
    c = core()
    broker = c.extras.get("broker")
    url = c.settings.effective_mqtt_url
    parsed = urlparse(url)
    reachable = port_open(parsed.hostname or "127.0.0.1", parsed.port or 1883)
    kind = broker.kind if broker is not None else "external"
    return reachable, {"url": f"{parsed.scheme}://{parsed.hostname}:{parsed.port}",
                       "kind": kind, "guarantees": GUARANTEES[kind]}


@bp.get("/healthz")
def healthz():
    """200 when the database and broker answer, 503 otherwise; always a JSON body."""
    checks: dict[str, Check] = {"database": _database_check, "broker": _broker_check}
    results: dict[str, Any] = {}
    ready = True
    for name, check in checks.items():
        ok, detail = check()
        results[name] = {"ok": ok, **detail}
        ready = ready and ok
    worker = core().extras.get("worker")
    if worker is not None:
        pool = worker.pipeline.routing_pool
        results["ingest"] = {"ok": worker.connected.is_set(), "backlog": worker.backlog,
                             "acknowledged": worker.acked,
                             # an optimisation, not a dependency: reported, never "not ok"
                             "routing": ("child process" if pool is not None and pool.ready
                                         else "in the worker")}
    body = {"status": "ok" if ready else "degraded", "live": True, "ready": ready,
            "checks": results}
    return jsonify(body), 200 if ready else 503


@bp.get("/metrics")
def metrics() -> Response:
    """Gauges and counters in Prometheus text exposition format."""
    c = core()
    lines: list[str] = []

    def metric(name: str, kind: str, help_text: str, samples: list[tuple[str, float]]) -> None:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            lines.append(f"{name}{labels} {value}")

    with c.uow() as uow:
        s = uow.session
        open_values = [st.value for st in OPEN_STATUSES]
        by_dept = count_by(s, Incident.department_code, Incident.status.in_(open_values))
        by_status = count_by(s, Incident.status)
        dead = s.scalar(select(func.count()).select_from(DeadLetter)) or 0
        late = s.scalar(select(func.count()).where(Dossier.is_late.is_(True))) or 0
    metric("ioc_incidents_open", "gauge", "Open incidents by department (empty = triage).",
           [(f'{{department="{d or ""}"}}', n) for d, n in sorted(by_dept.items(), key=str)])
    metric("ioc_incidents", "gauge", "Incidents by status.",
           [(f'{{status="{st}"}}', n) for st, n in sorted(by_status.items())])
    metric("ioc_dead_letters", "gauge", "Dead letters stored.", [("", dead)])
    metric("ioc_dossiers_late", "gauge", "Dossiers finished after their due time.", [("", late)])
    pipeline = c.extras.get("pipeline")
    if pipeline is not None:
        st = pipeline.stats
        metric("ioc_ingest_messages_total", "counter", "Messages processed by ingest.",
               [("", st.messages)])
        metric("ioc_ingest_batches_total", "counter", "Micro-batches committed.", [("", st.batches)])
        metric("ioc_ingest_replays_total", "counter", "Replayed messages ignored.",
               [("", st.replays)])
        metric("ioc_ingest_dead_letters_total", "counter", "Messages dead-lettered.",
               [("", st.dead_letters)])
        metric("ioc_ingest_busy_seconds_total", "counter",
               "Time the ingest worker spent preparing and committing batches.",
               [("", round(st.busy_seconds, 3))])
        pool = pipeline.routing_pool
        if pool is not None:
            metric("ioc_routing_process_ready", "gauge",
                   "1 when the routing child answers (0: routing in the worker).",
                   [("", int(pool.ready))])
            metric("ioc_routing_process_failures_total", "counter",
                   "Times the routing child failed and was restarted.", [("", pool.failures)])
    metric("ioc_event_listener_failures_total", "counter", "Live-push listener failures.",
           [("", c.bus.failures)])
    return Response("\n".join(lines) + "\n", mimetype="text/plain; version=0.0.4")
