"""Assembly of the running processes: database preparation, ingest worker,
SLA clock, live push from a worker process, web server, and `ioc up`.

This is the composition root, so it may import the adapters (``ingest``,
``web``); it does so inside functions, keeping ``import ioc`` light.
"""

from __future__ import annotations

import logging
import signal
import threading
from dataclasses import dataclass, field
from typing import Any

from ioc.config import Settings
from ioc.core import Core

log = logging.getLogger(__name__)


def prepare_database(settings: Settings) -> None:
    """Migrate to the newest schema and load the departments from the taxonomy."""
    from ioc.core import build_core
    from ioc.schema import upgrade
    from ioc.services.departments import sync_departments

    upgrade(settings.database_url)
    core = build_core(settings, load_model=False)
    try:
        with core.uow() as uow:
            sync_departments(uow, core.taxonomy)
            uow.commit()
    finally:
        core.close()


def ensure_model(core: Core) -> None:
    """Train a first model from the shipped corpus when none exists yet."""
    if core.models is None:
        return
    if core.models.current() is None:
        log.warning("no routing model in %s: training one from the shipped corpus",
                    core.settings.model_dir)
        core.models.ensure_model()


def start_ingest(core: Core, target: Any, client_id: str | None = None) -> Any:
    """Start an ingest worker on ``core``; returns it (call ``stop()`` to end)."""
    from ingest.dispatcher import Dispatcher
    from ingest.pipeline import Pipeline
    from ingest.worker import IngestWorker, WorkerOptions

    s = core.settings
    pool = None
    if s.routing_processes > 0 and core.models is not None and s.model_dir is not None:
        from ioc.routing_pool import RoutingPool

        pool = RoutingPool(s.model_dir, s.routing_threshold, core.taxonomy.codes).start()
    pipeline = Pipeline(core, Dispatcher(s.topic_root), routing_pool=pool)
    worker = IngestWorker(
        pipeline,
        target,
        WorkerOptions(client_id=client_id or s.ingest_client_id, share_group=s.ingest_share_group,
                      batch_size=s.ingest_batch_size, batch_wait_s=s.ingest_batch_wait_ms / 1000),
    )
    worker.start()
    core.extras["worker"] = worker
    core.extras["pipeline"] = pipeline
    return worker


class SlaClock:
    """A thread that sweeps the SLA states every few seconds."""

    def __init__(self, core: Core, interval: float | None = None) -> None:
        self.core = core
        self.interval = interval or core.settings.sla_sweep_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sla-clock", daemon=True)

    def start(self) -> SlaClock:
        """Start sweeping."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop after the current sweep."""
        self._stop.set()
        self._thread.join(5)

    def sweep_once(self) -> int:
        """One sweep in its own transaction."""
        from ioc.services.sla_sweep import sweep_sla

        with self.core.uow() as uow:
            changed = sweep_sla(uow, self.core)
            uow.commit()
        return changed

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                changed = self.sweep_once()
                if changed:
                    log.info("SLA sweep: %d incidents changed state", changed)
            except Exception:
                log.exception("SLA sweep failed; retrying next round")


def attach_redis_pusher(core: Core) -> Any:
    """In a worker process, push committed events to browsers through Redis."""
    if not core.settings.redis_url:
        log.warning("IOC_REDIS_URL is not set: this process's events reach no browser; "
                    "consoles catch up from the API snapshot")
        return None
    from flask_socketio import SocketIO

    from web.live.pusher import LivePusher

    emitter = SocketIO(message_queue=core.settings.redis_url)
    pusher = LivePusher(emitter).start()
    core.bus.subscribe(pusher)
    return pusher


@dataclass
class Running:
    """What `ioc up` started, to stop in reverse order."""

    stoppers: list[Any] = field(default_factory=list)

    def stop(self) -> None:
        """Stop everything, newest first."""
        for stopper in reversed(self.stoppers):
            try:
                stopper()
            except Exception:
                log.exception("error while stopping %r", stopper)


def up(settings: Settings, demo: bool = False, rate: float = 5.0) -> None:
    """Run broker, ingest, SLA clock, web (and the simulator with ``demo``) in one process."""
    from ingest.broker import ManagedBroker
    from ingest.mqtt import parse_mqtt_url
    from ioc.app import create_app
    from ioc.core import build_core

    running = Running()
    broker = None
    if settings.embedded_broker:
        broker = ManagedBroker(settings.broker_port, settings.instance_dir / "broker",
                               settings.broker_kind)
        broker.start()
        running.stoppers.append(broker.stop)
        settings = settings.with_overrides(mqtt_protocol=broker.protocol)
        log.info("embedded broker: %s on port %s (%s)", broker.kind, broker.port,
                 broker.guarantees)
    try:
        prepare_database(settings)
        core = build_core(settings)
        core.extras["broker"] = broker
        ensure_model(core)
        target = parse_mqtt_url(settings.effective_mqtt_url, settings.mqtt_protocol)
        app = create_app(settings, core)
        worker = start_ingest(core, target)
        running.stoppers.append(worker.stop)
        clock = SlaClock(core).start()
        running.stoppers.append(clock.stop)
        if demo:
            _announce_demo_accounts(core)
            running.stoppers.append(_start_simulator(settings, target, rate))
        socketio = app.extensions["ioc.socketio"]
        signal.signal(signal.SIGTERM, _interrupt)
        print(f"IOC running on http://{settings.host}:{settings.port}  (Ctrl+C to stop)",
              flush=True)
        socketio.run(app, host=settings.host, port=settings.port, allow_unsafe_werkzeug=True,
                     use_reloader=False, log_output=False)
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()


def _announce_demo_accounts(core: Core) -> None:
    from ioc.demo import seed_demo_accounts

    created = seed_demo_accounts(core)
    if created:
        password = next(iter(created.values()))
        note = core.settings.instance_dir / "demo-accounts.txt"
        note.write_text(f"password: {password}\naccounts: {', '.join(created)}\n")
        note.chmod(0o600)
        print(f"Demo accounts created (password for all: {password}, also in {note}):\n  "
              + ", ".join(created), flush=True)


def _interrupt(*_args: object) -> None:
    """SIGTERM ends `ioc up` the same way Ctrl+C does."""
    raise KeyboardInterrupt


def _start_simulator(settings: Settings, target: Any, rate: float) -> Any:
    from ingest.simulator.publisher import run_simulator

    stop = threading.Event()
    thread = threading.Thread(
        target=run_simulator,
        kwargs={"target": target, "topic_root": settings.topic_root, "rate": rate,
                "stop": stop, "malformed_rate": 0.01, "duplicate_rate": 0.02},
        name="simulator", daemon=True,
    )
    thread.start()

    def stopper() -> None:
        stop.set()
        thread.join(5)

    return stopper
