"""``ioc ml predict | train | evaluate`` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ml.cli import make_ml_group
from ml.store import ModelStore
from ml.types import LabelledExample


def test_predict_json_lines(ml_store: ModelStore) -> None:
    lines = [
        json.dumps({"id": "r1", "text": "Cháy nhà ở hẻm 5, khói đen mù mịt"}, ensure_ascii=False),
        "this is not json",
        json.dumps({"text": "mat dien ca khom tu chieu", "category": "dien"}),
        "",
        json.dumps({"category": "dien"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "asdkjh qwpoe"}),
        json.dumps({"text": "rác", "category": 5}),
    ]
    result = CliRunner().invoke(make_ml_group(), ["predict", "--model-dir",
                                                  str(ml_store.model_dir)],
                                input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 7  # one per non-blank input line, in order
    assert out[0]["id"] == "r1" and out[0]["department"] == "pccc" and out[0]["urgent"] is True
    assert set(out[0]) >= {"department", "confidence", "urgent", "candidates", "model_version"}
    assert "error" in out[1] and out[1]["line"] == 2
    assert out[2]["department"] == "dien" and 0 <= out[2]["confidence"] <= 1
    assert "error" in out[3] and "error" in out[4] and "error" in out[6]
    assert out[5]["department"] is None and len(out[5]["candidates"]) == 3


def test_model_dir_from_default(ml_store: ModelStore) -> None:
    group = make_ml_group(model_dir_default=lambda: ml_store.model_dir)
    result = CliRunner().invoke(group, ["predict"], input='{"text": "ổ gà giữa đường"}\n')
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["department"] == "do_thi"


def test_evaluate_default_split(ml_store: ModelStore) -> None:
    result = CliRunner().invoke(make_ml_group(), ["evaluate", "--model-dir",
                                                  str(ml_store.model_dir)])
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.stdout and "confusion matrix" in result.stdout
    assert "urgency: recall" in result.stdout


def test_evaluate_file(ml_store: ModelStore, tmp_path: Path) -> None:
    path = tmp_path / "examples.jsonl"
    path.write_text(
        '{"text": "Cúp điện cả khu phố", "department": "dien", "urgent": false}\n'
        '{"text": "nha chay lon", "department": "pccc", "urgent": true}\n', encoding="utf-8")
    result = CliRunner().invoke(make_ml_group(), ["evaluate", str(path), "--model-dir",
                                                  str(ml_store.model_dir)])
    assert result.exit_code == 0, result.output
    assert "examples: 2" in result.stdout


def test_evaluate_bad_file(ml_store: ModelStore, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "no department"}\n', encoding="utf-8")
    result = CliRunner().invoke(make_ml_group(), ["evaluate", str(path), "--model-dir",
                                                  str(ml_store.model_dir)])
    assert result.exit_code != 0
    assert "department" in result.output


def test_train_uses_corrections(tmp_path: Path, tiny_corpus: Path) -> None:
    group = make_ml_group(lambda: [LabelledExample("mất điện từ sáng", "dien")])
    result = CliRunner().invoke(group, ["train", "--model-dir", str(tmp_path),
                                        "--corpus-dir", str(tiny_corpus)])
    assert result.exit_code == 0, result.output
    assert "1 corrections" in result.stdout and "macro-F1" in result.stdout
    assert "fold" in result.stderr  # progress
    assert ModelStore(tmp_path).latest_version() is not None


def test_train_survives_a_failing_corrections_loader(tmp_path: Path, tiny_corpus: Path) -> None:
    def broken() -> list[LabelledExample]:
        raise RuntimeError("database is down")

    result = CliRunner().invoke(make_ml_group(broken), ["train", "--model-dir", str(tmp_path),
                                                        "--corpus-dir", str(tiny_corpus)])
    assert result.exit_code == 0, result.output
    assert "database is down" in result.stderr
