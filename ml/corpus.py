"""The shipped training corpus, JSON Lines example files and the taxonomy's codes."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

from ml.types import LabelledExample

log = logging.getLogger(__name__)

#: Folder of ``<department>.jsonl`` files shipped with the package.
CORPUS_DIR = Path(__file__).resolve().parent / "data" / "corpus"


class CorpusError(ValueError):
    """A corpus or example file line that cannot be used."""


def parse_example(obj: object, where: str = "") -> LabelledExample:
    """A ``LabelledExample`` from one decoded JSON object; raises CorpusError."""
    if not isinstance(obj, dict):
        raise CorpusError(f"{where}expected a JSON object")
    text, department = obj.get("text"), obj.get("department")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}missing or empty 'text'")
    if not isinstance(department, str) or not department:
        raise CorpusError(f"{where}missing 'department'")
    urgent = obj.get("urgent")
    if urgent is not None and not isinstance(urgent, bool):
        raise CorpusError(f"{where}'urgent' must be true, false or absent")
    style = obj.get("style")
    return LabelledExample(text, department, urgent, style if isinstance(style, str) else None)


def read_jsonl(path: Path, split: str | None = None) -> list[LabelledExample]:
    """Examples from one JSON Lines file, optionally only one ``split``.

    Blank lines are skipped; a malformed line raises CorpusError naming it.
    """
    examples = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}: "
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{where}invalid JSON ({exc.msg})") from exc
            if split is not None and isinstance(obj, dict) and obj.get("split") != split:
                continue
            examples.append(parse_example(obj, where))
    return examples


def load_corpus(split: str, corpus_dir: Path | None = None) -> list[LabelledExample]:
    """Every example of ``split`` ("train" or "test") from ``corpus_dir``/*.jsonl."""
    folder = corpus_dir or CORPUS_DIR
    examples: list[LabelledExample] = []
    for path in sorted(folder.glob("*.jsonl")):
        examples.extend(read_jsonl(path, split))
    log.debug("loaded %d %s examples from %s", len(examples), split, folder)
    return examples


def department_codes(taxonomy: Path | str | Sequence[str]) -> list[str]:
    """Department codes from a taxonomy YAML path, or a list of codes as given."""
    if isinstance(taxonomy, (str, Path)) and Path(taxonomy).suffix in {".yaml", ".yml"}:
        with Path(taxonomy).open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        return [str(d["code"]) for d in data.get("departments", [])]
    if isinstance(taxonomy, (str, Path)):
        raise CorpusError(f"not a taxonomy YAML file: {taxonomy}")
    return [str(code) for code in taxonomy]


def keep_known(examples: Iterable[LabelledExample], codes: Sequence[str] | None,
               ) -> list[LabelledExample]:
    """Examples whose department is in ``codes`` (all of them when codes is None)."""
    if codes is None:
        return list(examples)
    known = set(codes)
    kept, dropped = [], 0
    for example in examples:
        if example.department in known:
            kept.append(example)
        else:
            dropped += 1
    if dropped:
        log.warning("ignored %d examples whose department is not in the taxonomy", dropped)
    return kept
