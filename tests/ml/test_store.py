"""Versioned artefacts, training with corrections, hot reload."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from ml.store import LATEST, ModelStore
from ml.types import LabelledExample


def test_artefact_layout(ml_store: ModelStore) -> None:
    version = ml_store.latest_version()
    assert version is not None and version.startswith("v")
    folder = ml_store.model_dir / version
    assert (folder / "model.joblib").is_file()
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert {"macro_f1", "per_department", "confusion", "labels"} <= set(report)
    metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    assert {"created_at", "sklearn_version", "corpus_size", "corrections", "version"} <= \
        set(metadata)
    assert metadata["corpus_size"] > 0 and metadata["corrections"] == 0
    assert (ml_store.model_dir / LATEST).read_text(encoding="utf-8").strip() == version
    assert not list(ml_store.model_dir.glob(".tmp-*"))
    assert not list(ml_store.model_dir.glob(".LATEST-*"))


def test_no_model_yet(tmp_path: Path) -> None:
    assert ModelStore(tmp_path / "empty").current() is None
    assert ModelStore(tmp_path / "empty").versions() == []


def test_train_with_corrections_and_hot_reload(tmp_path: Path, tiny_corpus: Path) -> None:
    worker = ModelStore(tmp_path, check_interval=0.05, corpus_dir=tiny_corpus)
    trainer = ModelStore(tmp_path, corpus_dir=tiny_corpus)
    first = trainer.train()
    assert worker.current() is not None and worker.current().version == first.version

    messages: list[str] = []
    corrections = [LabelledExample("cột điện nghiêng sắp đổ", "dien"),
                   LabelledExample("không có nước sinh hoạt từ sáng", "cap_nuoc")]
    second = trainer.train(corrections, progress=messages.append)
    assert second.version != first.version
    assert second.metadata["corrections"] == 2
    assert messages and any("fold" in m for m in messages)
    assert second.evaluation is not None and 0.0 <= second.evaluation.macro_f1 <= 1.0

    time.sleep(0.1)
    reloaded = worker.current()
    assert reloaded is not None and reloaded.version == second.version
    assert worker.versions() == sorted([first.version, second.version])


def test_current_is_cheap_between_checks(tmp_path: Path, tiny_corpus: Path) -> None:
    worker = ModelStore(tmp_path, check_interval=3600, corpus_dir=tiny_corpus)
    assert worker.current() is None
    ModelStore(tmp_path, corpus_dir=tiny_corpus).train()
    assert worker.current() is None  # not looked again within the interval


def test_broken_pointer_keeps_the_loaded_model(tmp_path: Path, tiny_corpus: Path) -> None:
    store = ModelStore(tmp_path, check_interval=0.0, corpus_dir=tiny_corpus)
    version = store.train().version
    (tmp_path / LATEST).write_text("v-does-not-exist\n", encoding="utf-8")
    router = store.current()
    assert router is not None and router.version == version


def test_ensure_model_trains_only_once(tmp_path: Path, tiny_corpus: Path) -> None:
    store = ModelStore(tmp_path, corpus_dir=tiny_corpus)
    first = store.ensure_model()
    again = ModelStore(tmp_path, corpus_dir=tiny_corpus).ensure_model()
    assert again.version == first.version
    assert len(store.versions()) == 1


def test_taxonomy_restricts_departments(tmp_path: Path, tiny_corpus: Path) -> None:
    store = ModelStore(tmp_path, corpus_dir=tiny_corpus, taxonomy=["dien", "pccc"])
    report = store.train([LabelledExample("mất nước", "cap_nuoc")])
    assert report.metadata["departments"] == ["dien", "pccc"]
    assert report.metadata["corrections"] == 0


def test_taxonomy_from_yaml(tmp_path: Path, tiny_corpus: Path) -> None:
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text("departments:\n  - code: dien\n  - code: cap_nuoc\n", encoding="utf-8")
    store = ModelStore(tmp_path / "models", corpus_dir=tiny_corpus, taxonomy=taxonomy)
    assert store.codes == ["dien", "cap_nuoc"]


def test_training_needs_data(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    with pytest.raises(ValueError):
        ModelStore(tmp_path / "models", corpus_dir=tmp_path / "corpus").train()
