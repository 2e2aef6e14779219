"""Versioned model artefacts on disk, training them and hot-reloading the newest.

Layout of ``model_dir``::

    v20261123-191500/       one directory per trained version, never modified
        model.joblib        the fitted TrainedModel
        report.json         its evaluation on the fixed test split
        metadata.json       created_at, library versions, corpus size, corrections...
    LATEST                  the name of the current version (replaced atomically)

A version directory is written under a temporary name and renamed into place,
then ``LATEST`` is replaced with ``os.replace``: a reader never sees half an
artefact. Every process keeps its own ``ModelStore``; ``current()`` notices a
new ``LATEST`` written by another process within ``check_interval`` seconds.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import platform
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn

from ml.corpus import department_codes, keep_known, load_corpus
from ml.evaluate import EvalReport, evaluate
from ml.router import Router
from ml.train import TrainConfig, TrainedModel, fit_model
from ml.types import LabelledExample

log = logging.getLogger(__name__)

LATEST = "LATEST"
MODEL_FILE = "model.joblib"
REPORT_FILE = "report.json"
METADATA_FILE = "metadata.json"

Progress = Callable[[str], None]


@dataclass
class TrainReport:
    """What one training run produced."""

    version: str
    path: Path
    evaluation: EvalReport | None  # None when the corpus has no test split
    metadata: dict[str, Any] = field(default_factory=dict)


class ModelStore:
    """The models in ``model_dir``: the current one, training new ones.

    ``threshold``: routers it returns send reports below this confidence to
    manual triage. ``corpus_dir`` defaults to the shipped corpus; ``taxonomy``
    (a YAML path or a list of codes) restricts training to known departments.
    ``check_interval``: seconds between two looks at ``LATEST`` in ``current``.
    """

    def __init__(self, model_dir: Path, threshold: float = 0.45, *,
                 corpus_dir: Path | None = None,
                 taxonomy: Path | Sequence[str] | None = None,
                 check_interval: float = 2.0,
                 config: TrainConfig | None = None) -> None:
        self.model_dir = Path(model_dir)
        self.threshold = threshold
        self.corpus_dir = corpus_dir
        self.codes = department_codes(taxonomy) if taxonomy is not None else None
        self.check_interval = check_interval
        self.config = config
        self._lock = threading.Lock()
        self._router: Router | None = None
        self._checked_at = float("-inf")
        self._latest_stat: tuple[int, int, int] | None = None

    # -- reading ---------------------------------------------------------------------------

    def current(self) -> Router | None:
        """The newest trained model, or None; re-reads ``LATEST`` at most every check_interval."""
        now = time.monotonic()
        if now - self._checked_at < self.check_interval:
            return self._router
        with self._lock:
            if now - self._checked_at >= self.check_interval:
                self._refresh()
                self._checked_at = time.monotonic()
            return self._router

    def _refresh(self) -> None:
        """Load the version ``LATEST`` names when it changed since the last look."""
        path = self.model_dir / LATEST
        try:
            st = path.stat()
        except FileNotFoundError:
            return
        stat_key = (st.st_ino, st.st_mtime_ns, st.st_size)
        if stat_key == self._latest_stat and self._router is not None:
            return
        version = self.latest_version()
        if version is None:
            return
        if self._router is None or self._router.version != version:
            try:
                self._router = self.load(version)
            except Exception:  # keep serving the old model rather than none
                log.exception("could not load model version %s from %s", version, self.model_dir)
                return
            log.info("loaded routing model %s", version)
        self._latest_stat = stat_key

    def latest_version(self) -> str | None:
        """The version named in ``LATEST``, or None when there is none yet."""
        try:
            version = (self.model_dir / LATEST).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return version or None

    def versions(self) -> list[str]:
        """All complete versions, oldest first."""
        if not self.model_dir.is_dir():
            return []
        return sorted(p.name for p in self.model_dir.iterdir()
                      if p.name.startswith("v") and (p / MODEL_FILE).is_file())

    def load(self, version: str) -> Router:
        """A Router for one stored version; raises FileNotFoundError when it is missing."""
        model = joblib.load(self.model_dir / version / MODEL_FILE)
        if not isinstance(model, TrainedModel):
            raise TypeError(f"{version}/{MODEL_FILE} does not hold a TrainedModel")
        return Router(model, version, self.threshold)

    def report(self, version: str | None = None) -> dict[str, Any]:
        """The stored evaluation report (report.json) of a version (default: the latest)."""
        version = version or self.latest_version()
        if version is None:
            raise FileNotFoundError(f"no model in {self.model_dir}")
        return json.loads((self.model_dir / version / REPORT_FILE).read_text(encoding="utf-8"))

    # -- training --------------------------------------------------------------------------

    def train(self, extra: Iterable[LabelledExample] = (),
              progress: Progress | None = None) -> TrainReport:
        """Train on the corpus train split plus ``extra``, evaluate, store, point LATEST at it.

        Raises ValueError when there is not enough training data.
        """
        say = progress or (lambda _msg: None)
        started = time.perf_counter()
        corpus = keep_known(load_corpus("train", self.corpus_dir), self.codes)
        corrections = keep_known(extra, self.codes)
        if not corpus and not corrections:
            raise ValueError(f"no training examples in {self.corpus_dir or 'the shipped corpus'}")
        say(f"training on {len(corpus)} corpus examples and {len(corrections)} corrections")
        model = fit_model(corpus + corrections, self.config, say)
        test = keep_known(load_corpus("test", self.corpus_dir), self.codes)
        evaluation = None
        if test:
            say(f"evaluating on {len(test)} test examples")
            evaluation = evaluate(Router(model, "candidate", self.threshold), test)
        metadata = {
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "sklearn_version": sklearn.__version__,
            "numpy_version": np.__version__,
            "python_version": platform.python_version(),
            "corpus_size": len(corpus),
            "test_size": len(test),
            "corrections": len(corrections),
            "departments": list(model.classes),
            "temperature": model.temperature,
            "urgency_threshold": model.urgency_threshold,
            "train_seconds": round(time.perf_counter() - started, 2),
            **{f"fit_{k}": v for k, v in model.stats.items()},
        }
        version, path = self._write(model, evaluation, metadata)
        say(f"stored model {version}")
        with self._lock:
            self._router = Router(model, version, self.threshold)
            self._checked_at = time.monotonic()
            self._latest_stat = None
        return TrainReport(version, path, evaluation, metadata)

    def ensure_model(self, progress: Progress | None = None) -> Router:
        """The current model, training one from the shipped corpus first when there is none."""
        router = self.current()
        if router is not None:
            return router
        self.model_dir.mkdir(parents=True, exist_ok=True)
        with self._exclusive():  # several workers starting at once train only once
            self._checked_at = float("-inf")
            router = self.current()
            if router is None:
                self.train(progress=progress)
                router = self.current()
        assert router is not None
        return router

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        with open(self.model_dir / ".train.lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _write(self, model: TrainedModel, evaluation: EvalReport | None,
               metadata: dict[str, Any]) -> tuple[str, Path]:
        """Write a new version directory atomically, then replace LATEST."""
        self.model_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.model_dir / f".tmp-{uuid.uuid4().hex}"
        tmp.mkdir()
        try:
            joblib.dump(model, tmp / MODEL_FILE)
            _write_json(tmp / REPORT_FILE, evaluation.to_dict() if evaluation else {})
            base = "v" + datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            for n in range(1, 1000):
                version = base if n == 1 else f"{base}-{n}"
                metadata["version"] = version
                _write_json(tmp / METADATA_FILE, metadata)
                try:
                    os.rename(tmp, self.model_dir / version)
                    break
                except OSError:  # taken by another process in the same second
                    if not (self.model_dir / version).exists():
                        raise
            else:
                raise RuntimeError("could not find a free version name")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        pointer = self.model_dir / f".LATEST-{uuid.uuid4().hex}"
        pointer.write_text(version + "\n", encoding="utf-8")
        os.replace(pointer, self.model_dir / LATEST)
        log.info("stored routing model %s in %s", version, self.model_dir)
        return version, self.model_dir / version


def _write_json(path: Path, data: dict[str, Any]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
