"""Fixtures for the ml tests: one model trained per session, and a tiny corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ml.corpus import CORPUS_DIR
from ml.router import Router
from ml.store import ModelStore

TINY_DEPARTMENTS = ("cap_nuoc", "dien", "pccc")


@pytest.fixture(scope="session")
def ml_store(tmp_path_factory: pytest.TempPathFactory) -> ModelStore:
    """A store whose model was trained once, on the shipped corpus, in a temporary folder."""
    store = ModelStore(tmp_path_factory.mktemp("ml-models"))
    store.ensure_model()
    return store


@pytest.fixture(scope="session")
def router(ml_store: ModelStore) -> Router:
    """The session's trained router (default threshold 0.45)."""
    current = ml_store.current()
    assert current is not None
    return current


@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few lines of three departments from the shipped corpus: trains in well under a second."""
    folder = tmp_path_factory.mktemp("tiny-corpus")
    for code in TINY_DEPARTMENTS:
        lines = (CORPUS_DIR / f"{code}.jsonl").read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines if line.strip()]
        train = [r for r in rows if r["split"] == "train"][:16]
        test = [r for r in rows if r["split"] == "test"][:4]
        with (folder / f"{code}.jsonl").open("w", encoding="utf-8") as fh:
            for row in train + test:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return folder
