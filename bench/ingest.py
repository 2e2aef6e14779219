"""Ingest benchmark: N messages at full speed through a real broker into the worker.

Prints sustained messages/second (first publish → last commit) and the
publish→commit latency p50/p99 of incidents, and checks that nothing was lost.

    python bench/ingest.py                      # private Mosquitto + temp SQLite
    python bench/ingest.py --messages 50000
    python bench/ingest.py --mqtt-url mqtt://127.0.0.1:1883 \
        --database-url postgresql+psycopg://postgres@127.0.0.1/ioc_bench

The publisher runs in its own process so that it does not share the worker's GIL.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STAMP = b"1970-01-01T00:00:00+00:00"


def _prepare(root: str, n: int, seed: int) -> list[tuple[str, bytes, bool]]:
    """n simulator messages as (topic, JSON line, carries a time to stamp)."""
    from ingest.simulator.traffic import TrafficGenerator

    generator = TrafficGenerator(seed)
    prepared: list[tuple[str, bytes, bool]] = []
    for _ in range(n):
        msg = generator.next()
        body = dict(msg.payload or {})
        # the publish time is stamped where the stream carries its own time, for latency
        stamped = False
        keys = ("at",) if msg.subtopic.startswith("sensors/") else ("reported_at", "received_at")
        for key in keys:
            if key in body:
                body[key] = STAMP.decode()
                stamped = True
        prepared.append((f"{root}/{msg.subtopic}",
                         json.dumps(body, ensure_ascii=False).encode(), stamped))
    return prepared


def _paced(prepared: list[tuple[str, bytes, bool]], rate: float) -> Iterator[tuple[str, bytes]]:
    """The messages at ``rate``/s (0: at once), stamped with the time they are let go."""
    began = time.perf_counter()
    for i, (topic, payload, stamped) in enumerate(prepared):
        if rate and i % 10 == 0:  # paced in steps of 10 messages: sleep has ~1 ms resolution
            ahead = began + i / rate - time.perf_counter()
            if ahead > 0:
                time.sleep(ahead)
        if stamped:
            payload = payload.replace(STAMP, datetime.now(UTC).isoformat().encode(), 1)
        yield topic, payload


def publish(url: str, root: str, n: int, seed: int, rate: float = 0.0,
            publisher: str = "mosquitto_pub") -> None:
    """Publisher process: n mixed messages as fast as the broker takes them, or at ``rate``/s.

    The messages are generated and serialised before "ready" is printed, so
    that the measured window holds only publishing, not the load generator's
    own work (it shares this machine's two cores with the system under test).
    With ``mosquitto_pub`` (C, one process per topic, QoS 1) the load
    generator costs a fraction of what paho in Python costs.
    """
    from ingest.mqtt import connect, disconnect_cleanly, make_client, parse_mqtt_url, wait_published

    prepared = _prepare(root, n, seed)
    target = parse_mqtt_url(url, "5")
    if publisher == "mosquitto_pub":
        pubs: dict[str, subprocess.Popen[bytes]] = {}
        for topic in sorted({t for t, _, _ in prepared}):
            pubs[topic] = subprocess.Popen(
                ["mosquitto_pub", "-h", target.host, "-p", str(target.port), "-V", "mqttv5",
                 "-q", "1", "-M", "1000", "-l", "-t", topic], stdin=subprocess.PIPE)
        time.sleep(0.5)  # let them connect
        print("ready", flush=True)
        for topic, payload in _paced(prepared, rate):
            pipe = pubs[topic].stdin
            assert pipe is not None
            pipe.write(payload + b"\n")
            pipe.flush()
        failed = 0
        for proc in pubs.values():
            assert proc.stdin is not None
            proc.stdin.close()
            failed += proc.wait(120) != 0
        print(json.dumps({"published": n, "publisher": publisher, "failed_publishers": failed}),
              flush=True)
        return
    client = make_client(target, f"bench-pub-{uuid.uuid4().hex[:6]}")
    connect(client, target)
    client.loop_start()
    print("ready", flush=True)
    infos = []
    for topic, payload in _paced(prepared, rate):
        infos.append(client.publish(topic, payload, qos=1))
        if len(infos) >= 5000:
            infos = [x for x in infos if not x.is_published()]
    missing = wait_published(infos, 120)
    disconnect_cleanly(client)
    print(json.dumps({"published": n, "publisher": publisher, "unacknowledged": missing}),
          flush=True)


def _start_worker(settings: object, index: int) -> subprocess.Popen[bytes]:
    """Another `ioc ingest` process in the same share group."""
    env = dict(os.environ, IOC_DATABASE_URL=settings.database_url,  # type: ignore[attr-defined]
               IOC_MQTT_URL=settings.mqtt_url, IOC_TOPIC_ROOT=settings.topic_root,  # type: ignore[attr-defined]
               IOC_MODEL_DIR=str(settings.model_dir), IOC_INGEST_SHARE_GROUP="bench",  # type: ignore[attr-defined]
               IOC_INGEST_CLIENT_ID=f"{settings.ingest_client_id}-{index}",  # type: ignore[attr-defined]
               IOC_INSTANCE_DIR=str(settings.instance_dir), IOC_REDIS_URL="")  # type: ignore[attr-defined]
    return subprocess.Popen([sys.executable, "-m", "ioc.cli", "ingest"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _cpu_seconds() -> float:
    """User + system CPU time of this process (the worker's threads) so far."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _proc_cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of another process so far; 0 when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, TypeError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_mb(pid: int | None) -> float:
    """Peak resident memory (VmHWM) of a process, in MB; 0 when unknown."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (OSError, TypeError):
        return 0.0
    kb = next((int(line.split()[1]) for line in status.splitlines()
               if line.startswith("VmHWM:")), 0)
    return kb / 1024


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--mqtt-url", default="")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--model-dir", default="", help="trained model (default: train one)")
    parser.add_argument("--workers", type=int, default=1,
                        help="ingest workers sharing the streams (MQTT 5 shared subscription)")
    parser.add_argument("--publish", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--root", default="", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--publisher", choices=("mosquitto_pub", "paho"),
                        default="mosquitto_pub" if shutil.which("mosquitto_pub") else "paho",
                        help="the load generator: C mosquitto_pub (light) or paho in Python")
    parser.add_argument("--routing-processes", type=int, default=1,
                        help="0: classify in the worker process, as before the routing pool")
    parser.add_argument("--rate", type=float, default=0.0,
                        help="publish at this many messages/s (default: full speed); "
                             "below capacity, the latency figures are the pipeline's own")
    args = parser.parse_args()
    if args.publish:
        publish(args.mqtt_url, args.root, args.messages, args.seed, args.rate, args.publisher)
        return

    from sqlalchemy import func, select

    from ingest.broker import ManagedBroker
    from ingest.mqtt import parse_mqtt_url
    from ioc.config import Settings
    from ioc.core import build_core
    from ioc.models import DossierEvent, Incident
    from ioc.processes import ensure_model, prepare_database, start_ingest
    from tests.services import free_port

    work = Path(tempfile.mkdtemp(prefix="ioc-bench-"))
    broker = None
    url = args.mqtt_url
    if not url:
        broker = ManagedBroker(free_port(), work / "broker", kind="mosquitto")
        broker.start()
        url = broker.url
    root = f"bench/{uuid.uuid4().hex[:8]}/v1"
    settings = Settings.from_env(
        {}, instance_dir=work, routing_processes=args.routing_processes, database_url=args.database_url, mqtt_url=url, topic_root=root,
        ingest_client_id=f"bench-ingest-{uuid.uuid4().hex[:6]}", ingest_batch_size=args.batch_size,
        ingest_share_group="bench" if args.workers > 1 else "",
        model_dir=Path(args.model_dir) if args.model_dir else work / "models")
    prepare_database(settings)
    core = build_core(settings)
    ensure_model(core)

    commits: list[tuple[float, str]] = []
    lock = threading.Lock()

    def on_events(events: list) -> None:
        now = time.time()
        with lock:
            commits.extend((now, e.data["reported_at"]) for e in events
                           if e.type == "incident.created")

    core.bus.subscribe(on_events)
    worker = start_ingest(core, parse_mqtt_url(url, "5"))
    assert worker.wait_ready(10), "worker did not connect"
    pool = worker.pipeline.routing_pool
    assert pool is None or pool.wait_ready(120), "the routing process did not start"
    others = [_start_worker(settings, i) for i in range(1, args.workers)]
    if others:
        time.sleep(10)  # let the other workers load the model and join the share group

    def stored_count() -> int:
        with core.uow() as uow:
            return ((uow.session.scalar(select(func.count()).select_from(Incident)) or 0)
                    + (uow.session.scalar(select(func.count()).select_from(DossierEvent)) or 0))

    pub = subprocess.Popen([sys.executable, __file__, "--publish", "--mqtt-url", url,
                            "--root", root, "--messages", str(args.messages),
                            "--seed", str(args.seed), "--rate", str(args.rate),
                            "--publisher", args.publisher],
                           stdout=subprocess.PIPE, text=True)
    assert pub.stdout is not None
    if pub.stdout.readline().strip() != "ready":
        raise SystemExit("the publisher failed before publishing")
    child = pool.pid() if pool is not None else None
    cpu0, child_cpu0 = _cpu_seconds(), _proc_cpu_seconds(child)
    started = time.time()
    published = pub.stdout.readline().strip()
    if pub.wait() != 0:
        raise SystemExit("the publisher failed")
    published_in = time.time() - started
    deadline = time.time() + 300
    if others:
        while stored_count() < args.messages and time.time() < deadline:
            time.sleep(0.2)
    else:
        while worker.pipeline.stats.messages < args.messages and time.time() < deadline:
            time.sleep(0.05)
    finished = time.time()
    worker_cpu, child_cpu = _cpu_seconds() - cpu0, _proc_cpu_seconds(child) - child_cpu0
    child_peak = _peak_mb(child) if child is not None else None
    worker.stop()
    for proc in others:
        proc.terminate()
        proc.wait(20)
    with core.uow() as uow:
        incidents = uow.session.scalar(select(func.count()).select_from(Incident))
        counter = uow.session.scalar(select(func.count()).select_from(DossierEvent))
    latencies = [
        (t - datetime.fromisoformat(reported).timestamp()) * 1000 for t, reported in commits
    ]
    stored = (incidents or 0) + (counter or 0)
    print(f"broker            {broker.kind if broker else url}, {args.workers} worker(s)"
          + (" (latency and pipeline figures: the first worker's share)" if others else ""))
    print(f"database          {core.db.dialect}")
    print("routing           "
          + (f"in a child process ({pool.failures} failures)" if pool else "in the worker"))
    print(f"messages          {args.messages} (publisher: {published}, "
          f"{f'{args.rate:g}/s' if args.rate else 'full speed'})")
    print(f"publish time      {published_in:.2f} s")
    print(f"sustained rate    {args.messages / (finished - started):,.0f} messages/s "
          f"(first publish → last commit, {finished - started:.2f} s)")
    print(f"stored            {stored} ({incidents} incidents, {counter} counter events), "
          f"lost {args.messages - stored}")
    print(f"linked duplicates {worker.pipeline.stats.duplicates}, "
          f"dead letters {worker.pipeline.stats.dead_letters}")
    st = worker.pipeline.stats
    print(f"batches           {st.batches} (mean {args.messages / max(st.batches, 1):.0f} "
          f"messages, pipeline busy {st.busy_seconds:.1f} s = "
          f"{args.messages / max(st.busy_seconds, 1e-9):,.0f} messages/s of pipeline time; "
          f"{st.routing_wait_seconds:.1f} s of it waiting for the routing process)")
    if latencies:
        print(f"publish→commit    p50 {percentile(latencies, 50):.0f} ms, "
              f"p99 {percentile(latencies, 99):.0f} ms, max {max(latencies):.0f} ms")
    print(f"CPU per message   worker process {worker_cpu / args.messages * 1e6:.0f} µs"
          + (f", routing child {child_cpu / args.messages * 1e6:.0f} µs" if child else "")
          + " (steadier than the rate on a noisy machine)")
    print(f"peak memory       worker process {_peak_mb(os.getpid()):.0f} MB (with this bench)"
          + (f", routing child {child_peak:.0f} MB" if child_peak else ""))
    core.close()
    if broker:
        broker.stop()


if __name__ == "__main__":
    main()
