"""Routing in a separate process, so classification overlaps database work.

Classifying a report is pure CPU in Python. In the ingest worker it would
share one interpreter lock with parsing, duplicate search and the database
writes; in a child process it runs on the other core while the worker
commits the previous batch. The child keeps its own ``ModelStore`` and so
picks up a newly trained model the same way the worker does. Beside each
decision it computes the text's profile for duplicate detection
(``ml.similarity.text_profile``), the other piece of per-text work that needs
no database; the worker keeps the profiles for its comparisons.

The pool is an optimisation, never a dependency: until the child has loaded
its model, or after it died, ``submit`` answers ``None`` and the caller routes
in its own process (the same model, the same decisions).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ioc.routing import RoutingDecision, RoutingService
from ml.similarity import Profile, remember_profiles, text_profile

log = logging.getLogger(__name__)

# The child's routing service: the standard ProcessPoolExecutor initializer
# pattern (one per child process, built once, holds no connection).
_child_service: RoutingService | None = None


def _exit_with_parent(parent: int) -> None:
    """A worker killed with -9 cannot stop its child: the child notices and leaves."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _child_init(model_dir: str, threshold: float, known_codes: list[str], parent: int) -> None:
    global _child_service
    from ml.store import ModelStore

    # Ctrl-C in a terminal (and `timeout`, `kill -- -PGID`) signal the whole
    # process group: the worker stops its child itself, so the child must not
    # die first and look like a crash. A worker killed outright is noticed below.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), name="parent-watch",
                     daemon=True).start()

    store = ModelStore(Path(model_dir), threshold=threshold)
    store.current()  # load now: the first batch should not pay for it
    _child_service = RoutingService(store.current, set(known_codes))


def _child_ready() -> bool:
    return _child_service is not None


def _child_route(texts: list[str],
                 hints: list[str | None]) -> tuple[list[RoutingDecision], list[Profile]]:
    assert _child_service is not None, "routing child used before its initializer ran"
    return _child_service.route(texts, hints), [text_profile(t) for t in texts]


@dataclass(frozen=True)
class RoutingJob:
    """A batch being routed in the child."""

    texts: list[str]
    future: Future[tuple[list[RoutingDecision], list[Profile]]]
    executor: ProcessPoolExecutor  # the child it went to (the next batch's may be newer)


class RoutingPool:
    """One child process that routes batches of reports."""

    def __init__(self, model_dir: Path, threshold: float, known_codes: Sequence[str]) -> None:
        self._args = (str(model_dir), threshold, sorted(known_codes), os.getpid())
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._ready: Future[bool] | None = None
        self._closed = False
        self.failures = 0

    def start(self) -> RoutingPool:
        """Start the child in the background (it loads the model on its own)."""
        with self._lock:
            if self._executor is None and not self._closed:
                # spawn, not fork: the worker has threads (paho, batches) by now
                self._executor = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_child_init, initargs=self._args)
                self._ready = self._executor.submit(_child_ready)
        return self

    @property
    def ready(self) -> bool:
        """True once the child has loaded its model and answers."""
        ready = self._ready
        return ready is not None and ready.done() and ready.exception() is None

    def wait_ready(self, timeout: float) -> bool:
        """Block until the child answers (for tests and benchmarks)."""
        self.start()
        ready = self._ready
        if ready is None:
            return False
        try:
            ready.result(timeout)
        except Exception:  # a child that cannot start is reported as not ready
            return False
        return True

    def pid(self) -> int | None:
        """The child's process id, once it is ready (for monitoring and tests)."""
        executor = self._executor
        if executor is None or not self.ready:
            return None
        try:
            return executor.submit(os.getpid).result(timeout=10)
        except Exception:
            return None

    def submit(self, texts: Sequence[str], hints: Sequence[str | None]) -> RoutingJob | None:
        """Route in the child; None when it is not ready (route in-process instead)."""
        executor = self._executor
        if executor is None or not self.ready:
            return None
        texts = list(texts)
        try:
            return RoutingJob(texts, executor.submit(_child_route, texts, list(hints)), executor)
        except Exception as exc:  # BrokenProcessPool, shutdown: fall back
            self._restart(exc, executor)
            return None

    def result(self, job: RoutingJob | None) -> list[RoutingDecision] | None:
        """The decisions of ``job``, or None if the child failed (route in-process)."""
        if job is None:
            return None
        try:
            decisions, profiles = job.future.result(timeout=60)
        except Exception as exc:  # whatever broke, the caller still routes
            self._restart(exc, job.executor)
            return None
        if len(decisions) != len(job.texts) or len(profiles) != len(job.texts):
            self._restart(RuntimeError(f"{len(decisions)} decisions for {len(job.texts)} reports"),
                          job.executor)
            return None
        remember_profiles(job.texts, profiles)
        return decisions

    def _restart(self, exc: BaseException, failed: ProcessPoolExecutor) -> None:
        """Replace the child that failed (once: the other batch it held fails the same way)."""
        with self._lock:
            if self._executor is not failed:
                return  # already replaced, or closed
            self._executor, self._ready = None, None
        self.failures += 1
        log.warning("routing child failed (%s); routing in-process while it restarts", exc)
        failed.shutdown(wait=False, cancel_futures=True)
        self.start()

    def close(self) -> None:
        """Stop the child."""
        with self._lock:
            self._closed = True
            executor, self._executor, self._ready = self._executor, None, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
