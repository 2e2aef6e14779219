"""Benchmark of the routing model: single-report latency and batch throughput.

    python bench/classify.py [--model-dir DIR] [--single N] [--batch-size 500] [--batches N]

Without --model-dir a model is trained from the shipped corpus in a temporary
directory first (its training time is printed too). Reports come from the
corpus test split, cycled. Targets: p99 single latency <= 2 ms, batch
throughput >= 5,000 reports/s. ``--check`` exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ml.corpus import load_corpus
from ml.router import Router
from ml.store import ModelStore

log = logging.getLogger(__name__)

P99_TARGET_MS = 2.0
THROUGHPUT_TARGET = 5000.0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_single(router: Router, texts: list[str], n: int) -> list[float]:
    """Latency in ms of ``n`` single ``classify`` calls (after a warm-up)."""
    for text in texts[:50]:
        router.classify(text)
    latencies = []
    for i in range(n):
        text = texts[i % len(texts)]
        start = time.perf_counter()
        router.classify(text)
        latencies.append((time.perf_counter() - start) * 1000)
    return latencies


def bench_batch(router: Router, texts: list[str], batch_size: int,
                batches: int) -> tuple[float, float]:
    """Reports per second through ``classify_batch`` on batches of ``batch_size``.

    Returns (per wall-clock second, per CPU second of this process): on a busy
    machine the second figure is what the code itself achieves.
    """
    pool = (texts * (batch_size // len(texts) + 2))
    router.classify_batch(pool[:batch_size])
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(batches):
        offset = (i * batch_size) % len(texts)
        router.classify_batch(pool[offset:offset + batch_size])
    n = batches * batch_size
    return n / (time.perf_counter() - start), n / max(time.process_time() - cpu, 1e-9)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--single", type=int, default=3000, help="single calls to time")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    texts = [e.text for e in load_corpus("test")] or [e.text for e in load_corpus("train")]
    if not texts:
        print("no corpus texts to benchmark with", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        store = ModelStore(args.model_dir or Path(tmp))
        router = store.current()
        if router is None:
            start = time.perf_counter()
            report = store.train()
            print(f"trained {report.version} on {report.metadata['corpus_size']} examples "
                  f"in {time.perf_counter() - start:.1f} s")
            router = store.current()
        assert router is not None
        latencies = bench_single(router, texts, args.single)
        throughput, cpu_throughput = bench_batch(router, texts, args.batch_size, args.batches)

    p50, p99 = _percentile(latencies, 0.50), _percentile(latencies, 0.99)
    print(f"model {router.version}, {len(texts)} distinct report texts "
          f"(mean {statistics.mean(len(t) for t in texts):.0f} characters)")
    print(f"single classify(): p50 {p50:.3f} ms  p90 {_percentile(latencies, 0.90):.3f} ms  "
          f"p99 {p99:.3f} ms  max {max(latencies):.3f} ms  ({len(latencies)} calls)"
          f"  target p99 <= {P99_TARGET_MS} ms: {'ok' if p99 <= P99_TARGET_MS else 'MISSED'}")
    print(f"classify_batch(): {throughput:,.0f} reports/s on batches of {args.batch_size}"
          f"  target >= {THROUGHPUT_TARGET:,.0f}/s: "
          f"{'ok' if throughput >= THROUGHPUT_TARGET else 'MISSED'}"
          f"  ({cpu_throughput:,.0f} per CPU second)")
    missed = p99 > P99_TARGET_MS or throughput < THROUGHPUT_TARGET
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
