"""``ioc ml ...``: predict (JSON Lines), train and evaluate from the shell.

``make_ml_group`` builds the click group; the core mounts it under ``ioc`` and
passes a loader for operator corrections and the configured model directory.
Nothing here knows about the database or the web app.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

import click

from ml.corpus import CorpusError, load_corpus, read_jsonl
from ml.evaluate import evaluate, format_report
from ml.router import Router
from ml.store import ModelStore
from ml.types import LabelledExample

log = logging.getLogger(__name__)

DEFAULT_MODEL_DIR = Path("instance") / "models"


def make_ml_group(
    corrections_loader: Callable[[], list[LabelledExample]] | None = None,
    model_dir_default: Callable[[], Path] | None = None,
) -> click.Group:
    """The ``ml`` command group: ``predict``, ``train``, ``evaluate``, ``info``."""

    def resolve_dir(value: Path | None) -> Path:
        if value is not None:
            return value
        if model_dir_default is not None:
            configured = model_dir_default()
            if configured is not None:
                return Path(configured)
        return Path(os.environ.get("IOC_MODEL_DIR") or DEFAULT_MODEL_DIR)

    def open_store(model_dir: Path | None, threshold: float | None,
                   corpus_dir: Path | None = None) -> ModelStore:
        if threshold is None:
            threshold = float(os.environ.get("IOC_ROUTING_THRESHOLD", "0.45"))
        return ModelStore(resolve_dir(model_dir), threshold, corpus_dir=corpus_dir)

    def loaded(store: ModelStore) -> Router:
        if store.current() is None:
            click.echo(f"no model in {store.model_dir}: training one from the shipped corpus",
                       err=True)
        return store.ensure_model(progress=lambda msg: click.echo(f"  {msg}", err=True))

    model_dir_option = click.option(
        "--model-dir", type=click.Path(path_type=Path), default=None,
        help="Model directory [default: configured, $IOC_MODEL_DIR or ./instance/models].")
    corpus_option = click.option(
        "--corpus-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=None, help="Corpus folder of <department>.jsonl [default: the shipped one].")
    threshold_option = click.option(
        "--threshold", type=click.FloatRange(0, 1), default=None,
        help="Confidence below which the department is null [default: "
             "$IOC_ROUTING_THRESHOLD or 0.45].")

    @click.group(name="ml", help="Routing model: predict, train, evaluate.")
    def group() -> None:
        """Routing model commands."""

    @group.command()
    @model_dir_option
    @threshold_option
    @click.option("--batch-size", default=256, show_default=True, type=click.IntRange(1),
                  help="Lines classified together.")
    def predict(model_dir: Path | None, threshold: float | None, batch_size: int) -> None:
        """Classify JSON Lines from stdin ({"text": ..., "category": hint}); JSON Lines out."""
        router = loaded(open_store(model_dir, threshold))
        with _utf8(sys.stdin, "r") as inp, _utf8(sys.stdout, "w") as out:
            for chunk in _chunks(inp, batch_size):
                _predict_chunk(router, chunk, out)
                out.flush()

    @group.command()
    @model_dir_option
    @threshold_option
    @corpus_option
    @click.option("--corrections/--no-corrections", default=True, show_default=True,
                  help="Also learn from operators' routing corrections.")
    def train(model_dir: Path | None, threshold: float | None, corpus_dir: Path | None,
              corrections: bool) -> None:
        """Train a new model version on the corpus (plus corrections) and print its report."""
        store = open_store(model_dir, threshold, corpus_dir)
        extra = _load_corrections(corrections_loader) if corrections else []
        try:
            report = store.train(extra, progress=lambda msg: click.echo(f"  {msg}", err=True))
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"model {report.version} written to {report.path}")
        click.echo(f"trained on {report.metadata['corpus_size']} corpus examples and "
                   f"{report.metadata['corrections']} corrections in "
                   f"{report.metadata['train_seconds']} s")
        if report.evaluation is not None:
            click.echo("")
            click.echo(format_report(report.evaluation))

    @group.command(name="evaluate")
    @click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False,
                                                             path_type=Path))
    @model_dir_option
    @threshold_option
    @corpus_option
    def evaluate_cmd(file: Path | None, model_dir: Path | None, threshold: float | None,
                     corpus_dir: Path | None) -> None:
        """Evaluate the current model on FILE (JSON Lines) or the fixed test split."""
        try:
            examples = read_jsonl(file) if file else load_corpus("test", corpus_dir)
        except CorpusError as exc:
            raise click.ClickException(str(exc)) from exc
        if not examples:
            raise click.ClickException("no examples to evaluate")
        router = loaded(open_store(model_dir, threshold, corpus_dir))
        click.echo(f"model {router.version}, {len(examples)} examples from "
                   f"{file or 'the corpus test split'}")
        click.echo(format_report(evaluate(router, examples)))

    @group.command()
    @model_dir_option
    def info(model_dir: Path | None) -> None:
        """Show the current model version and its metadata."""
        store = open_store(model_dir, None)
        version = store.latest_version()
        if version is None:
            raise click.ClickException(f"no model in {store.model_dir}")
        metadata = json.loads((store.model_dir / version / "metadata.json").read_text("utf-8"))
        click.echo(json.dumps(metadata, ensure_ascii=False, indent=2))

    return group


def _load_corrections(loader: Callable[[], list[LabelledExample]] | None,
                      ) -> list[LabelledExample]:
    """Operator corrections, or none (with a warning) when they cannot be read."""
    if loader is None:
        return []
    try:
        return list(loader())
    except Exception as exc:  # the corpus alone still makes a useful model
        log.warning("could not load routing corrections: %s", exc)
        click.echo(f"warning: training without corrections ({exc})", err=True)
        return []


@contextlib.contextmanager
def _utf8(stream: TextIO, mode: str) -> Iterator[TextIO]:
    """``stream`` read or written as UTF-8 whatever the locale (bad bytes replaced)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        yield stream
        return
    if mode == "w":
        stream.flush()
    wrapper = io.TextIOWrapper(buffer, encoding="utf-8", errors="replace", newline=None)
    try:
        yield wrapper
    finally:
        if mode == "w":
            wrapper.flush()
        wrapper.detach()


def _chunks(stream: TextIO, size: int) -> Iterator[list[tuple[int, str]]]:
    """Non-blank input lines with their line numbers, ``size`` at a time."""
    chunk: list[tuple[int, str]] = []
    for number, line in enumerate(stream, 1):
        if line.strip():
            chunk.append((number, line))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _parse_request(line: str) -> tuple[str, str | None, Any]:
    """(text, hint, id) from one input line; raises ValueError with the reason."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc.msg}") from exc
    if not isinstance(obj, dict):
        raise ValueError("expected a JSON object")
    text = obj.get("text", obj.get("transcript"))
    if not isinstance(text, str) or not text.strip():
        raise ValueError("missing or empty 'text'")
    hint = obj.get("category", obj.get("hint"))
    if hint is not None and not isinstance(hint, str):
        raise ValueError("'category' must be a string")
    return text, hint or None, obj.get("id")


def _predict_chunk(router: Router, chunk: list[tuple[int, str]], out: TextIO) -> None:
    """Classify the valid lines of a chunk together and write one result per line, in order."""
    parsed: list[tuple[str, str | None, Any] | str] = []
    for _, line in chunk:
        try:
            parsed.append(_parse_request(line))
        except ValueError as exc:
            parsed.append(str(exc))
    valid = [p for p in parsed if isinstance(p, tuple)]
    predictions = iter(router.classify_batch([p[0] for p in valid], [p[1] for p in valid])
                       if valid else [])
    for (number, _), item in zip(chunk, parsed, strict=True):
        if isinstance(item, str):
            record: dict[str, Any] = {"error": item, "line": number}
        else:
            record = next(predictions).to_dict()
            if item[2] is not None:
                record = {"id": item[2], **record}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> None:
    """Run the group on its own: ``python -m ml.cli``."""
    make_ml_group()(prog_name="ml")


if __name__ == "__main__":
    sys.exit(main())
