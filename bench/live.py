"""Live-push benchmark: 200 consoles on Socket.IO while 200 incidents/s arrive over MQTT.

    python bench/live.py                        # 200 clients, 200/s, 20 s, `ioc up` shape
    python bench/live.py --split                # production shape: ingest process → Redis → web
    python bench/live.py --synthetic            # push path only: events made in the web process
    python bench/live.py --console-load 1000000 # KPI strip / snapshot with 1M incidents stored

Processes: a broker (private Mosquitto when installed, else amqtt), the web
server (werkzeug, threading mode, with an in-process ingest worker: the shape
of ``ioc up``), client processes holding the python-socketio clients
(websocket transport, operator token, ``/live`` namespace), and this process
publishing realistic field reports and hotline tickets (the simulator's
TrafficGenerator) whose ``reported_at``/``received_at`` is the publish time.
Each client computes MQTT publish → delivery latency from the ``reported_at``
of every ``incident.created`` it receives. Prints delivered events/s and
latency p50/p99 (target: p99 ≤ 500 ms), and the CPU time each side used: on a
small machine the 200 Python stand-in clients need more CPU than the server
(browsers decode in native code on the operators' own machines), so read the
latency next to the load average it prints.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by nearest rank; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def _cpu_seconds() -> float:
    """User + system CPU time of this process so far."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# ---- server process -----------------------------------------------------------------

def serve(config: dict[str, Any]) -> None:
    """The web app with its ingest worker, until stdin closes; prints READY and stats."""
    import logging

    from werkzeug.serving import make_server

    from ingest.mqtt import parse_mqtt_url
    from ioc.app import create_app
    from ioc.config import Settings
    from ioc.core import build_core
    from ioc.processes import start_ingest

    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)  # closing websockets look like bad HTTP
    settings = Settings.from_env({}, **{k: (Path(v) if k.endswith(("_dir", "_path")) else v)
                                        for k, v in config["settings"].items()})
    core = build_core(settings)
    worker = None
    if config.get("synthetic"):
        threading.Thread(target=synthetic_events, args=(core, config["synthetic"]),
                         daemon=True).start()
    elif config.get("ingest", True):
        worker = start_ingest(core, parse_mqtt_url(settings.effective_mqtt_url, "5"))
    app = create_app(settings, core)
    pusher = app.extensions["ioc.pusher"]
    flushes = _time_flushes(pusher)
    server = make_server("127.0.0.1", config["port"], app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("READY", flush=True)
    sys.stdin.readline()  # START
    flushes.clear()
    cpu0 = _cpu_seconds()
    sys.stdin.read()  # until the parent closes our stdin
    pipeline = core.extras.get("pipeline")
    stats = {"emitted_batches": pusher.emitted_batches, "cpu_s": _cpu_seconds() - cpu0,
             "flushes": len(flushes), "flush_p50_ms": percentile(flushes, 50) * 1000,
             "flush_max_ms": max(flushes, default=0) * 1000,
             "ingested": pipeline.stats.messages if pipeline else core.extras.get("synthetic", 0)}
    if worker is not None:
        worker.stop()
    server.shutdown()
    print("STATS " + json.dumps(stats), flush=True)


def serve_ingest(config: dict[str, Any]) -> None:
    """Production shape: an ingest worker process pushing to browsers through Redis."""
    from ingest.mqtt import parse_mqtt_url
    from ioc.config import Settings
    from ioc.core import build_core
    from ioc.processes import attach_redis_pusher, start_ingest

    settings = Settings.from_env({}, **{k: (Path(v) if k.endswith(("_dir", "_path")) else v)
                                        for k, v in config["settings"].items()})
    core = build_core(settings)
    pusher = attach_redis_pusher(core)
    flushes = _time_flushes(pusher)
    worker = start_ingest(core, parse_mqtt_url(settings.effective_mqtt_url, "5"))
    print("READY", flush=True)
    sys.stdin.readline()  # START
    flushes.clear()
    cpu0 = _cpu_seconds()
    sys.stdin.read()
    stats = {"emitted_batches": pusher.emitted_batches, "cpu_s": _cpu_seconds() - cpu0,
             "flushes": len(flushes), "flush_p50_ms": percentile(flushes, 50) * 1000,
             "flush_max_ms": max(flushes, default=0) * 1000,
             "ingested": core.extras["pipeline"].stats.messages}
    worker.stop()
    print("STATS " + json.dumps(stats), flush=True)


def _time_flushes(pusher: Any) -> list[float]:
    """Instrumentation only: record how long each non-empty flush (all rooms) takes."""
    flushes: list[float] = []
    original = pusher.flush

    def timed_flush() -> int:
        t = time.perf_counter()
        rooms = original()
        if rooms:
            flushes.append(time.perf_counter() - t)
        return rooms

    pusher.flush = timed_flush
    return flushes


def synthetic_events(core: Any, rate: float) -> None:
    """Push-path only: committed-looking incident events on the bus at ``rate``/s, no ingest.

    Waits for the parent's START (a file) so that clients connect first.
    """
    from ioc.events import OPERATORS_ROOM, Event

    codes = list(core.taxonomy.codes)
    n = 0
    started = time.monotonic()
    while True:
        due = int((time.monotonic() - started) * rate)
        batch = []
        while n < due:
            now = datetime.now(UTC).isoformat()
            dept = codes[n % len(codes)]
            data = {"id": n, "code": f"PA0000-{n:06d}", "channel": "field_report",
                    "status": "routed", "department": dept, "confidence": 0.9, "urgent": False,
                    "sla_state": "on_time", "ack_due_at": now, "resolve_due_at": now,
                    "lat": 10.8, "lon": 105.34, "ward": "an_thanh",
                    "text": "Đèn đường trước chợ bị hư mấy đêm nay, tối thui, xin sửa giúp",
                    "address": "12 Nguyễn Huệ", "reported_at": now, "created_at": now,
                    "updated_at": now, "duplicate_of": None, "report_count": 1,
                    "photo_count": 0}
            batch.append(Event("incident.created", data, (OPERATORS_ROOM, dept)))
            n += 1
        if batch:
            core.bus.publish(batch)
            core.extras["synthetic"] = n
        time.sleep(0.02)


# ---- client processes -----------------------------------------------------------------

def clients(url: str, token: str, count: int) -> None:
    """``count`` Socket.IO clients; prints CONNECTED, then results when stdin closes."""
    import socketio

    lock = threading.Lock()
    latencies: list[float] = []
    pushes: list[float] = []
    totals = {"events": 0, "messages": 0, "created": 0}

    def handler(batch: list[dict[str, Any]]) -> None:
        now = time.time()
        mine, push = [], []
        for item in batch:
            if item["type"] == "incident.created":
                data = item["data"]
                if data.get("reported_at") and data.get("created_at"):
                    mine.append(now - datetime.fromisoformat(data["reported_at"]).timestamp())
                    push.append(now - datetime.fromisoformat(data["created_at"]).timestamp())
        with lock:
            totals["messages"] += 1
            totals["events"] += len(batch)
            totals["created"] += len(mine)
            latencies.extend(mine)
            pushes.extend(push)

    sockets = []
    for _ in range(count):
        # Browsers validate UTF-8 in native code; websocket-client does it in pure
        # Python (3.5 ms per 16 KB frame), which would measure the bench, not the server.
        sio = socketio.Client(reconnection=False,
                              websocket_extra_options={"skip_utf8_validation": True})
        sio.on("events", handler, namespace="/live")
        sio.connect(url, namespaces=["/live"], transports=["websocket"],
                    auth={"token": token}, wait_timeout=20)
        sockets.append(sio)
    print("CONNECTED", flush=True)
    sys.stdin.readline()  # "START": forget what arrived before publishing began
    cpu0 = _cpu_seconds()
    with lock:
        latencies.clear()
        pushes.clear()
        totals.update(events=0, messages=0, created=0)
    sys.stdin.read()
    with lock:
        result = {"latencies": latencies, "pushes": pushes, **totals,
                  "cpu_s": _cpu_seconds() - cpu0,
                  "connected": sum(1 for s in sockets if s.connected)}
    print("RESULT " + json.dumps(result), flush=True)
    os._exit(0)  # no graceful goodbye for 50 sockets: the server sees them drop


# ---- publisher ------------------------------------------------------------------------------

def publish(target: Any, topic_root: str, rate: float, duration: float) -> int:
    """Realistic incident traffic at ``rate``/s, stamped with the publish time."""
    from ingest.mqtt import connect, disconnect_cleanly, make_client, wait_published
    from ingest.simulator.traffic import TrafficGenerator

    generator = TrafficGenerator(seed=11, mix={"field": 0.65, "hotline": 0.35})
    client = make_client(target)
    connect(client, target)
    client.loop_start()
    sent, pending = 0, []
    started = time.monotonic()
    while (now := time.monotonic()) - started < duration:
        due = int((now - started) * rate) + 1
        while sent < due:
            msg = generator.next()
            payload = dict(msg.payload or {})
            stamp = datetime.now(UTC).isoformat()
            payload["reported_at" if msg.stream == "field" else "received_at"] = stamp
            pending.append(client.publish(f"{topic_root}/{msg.subtopic}",
                                          json.dumps(payload, ensure_ascii=False).encode(), qos=1))
            sent += 1
        if len(pending) > 2000:
            pending = [p for p in pending if not p.is_published()]
        time.sleep(max(0.0, started + sent / rate - time.monotonic()))
    wait_published(pending)
    disconnect_cleanly(client)
    return sent


# ---- orchestration ---------------------------------------------------------------------------

def prepare(work: Path, mqtt_url: str, database_url: str) -> tuple[dict[str, Any], str]:
    """Migrate, train the model once, create an operator token; returns settings and token."""
    from ioc.config import Settings
    from ioc.core import build_core
    from ioc.processes import ensure_model, prepare_database
    from ioc.services.users import create_token, create_user

    values = {"instance_dir": str(work), "database_url": database_url or
              f"sqlite:///{work / 'bench.sqlite3'}", "mqtt_url": mqtt_url,
              "model_dir": str(work / "models"), "secret_key": "bench",
              "topic_root": "ioc-bench/v1", "ingest_client_id": f"bench-ingest-{os.getpid()}"}
    settings = Settings.from_env({}, **{k: (Path(v) if k.endswith("_dir") else v)
                                        for k, v in values.items()})
    prepare_database(settings)
    core = build_core(settings)
    ensure_model(core)
    with core.uow() as uow:
        token = create_token(uow, create_user(uow, "bench.op", "bench-password", "operator"))
        uow.commit()
    core.close()
    return values, token


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, __file__, *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)


def _expect(proc: subprocess.Popen[str], word: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"child exited before {word}")
        if line.startswith(word):
            return line[len(word):].strip()
    raise TimeoutError(word)


def run(args: argparse.Namespace) -> int:
    """The benchmark proper; returns the exit code (1 when p99 misses the target)."""
    from ingest.broker import ManagedBroker
    from ingest.mqtt import parse_mqtt_url
    from tests.services import free_port

    work = Path(tempfile.mkdtemp(prefix="ioc-live-bench-"))
    broker = None
    mqtt_url = args.mqtt_url
    if not mqtt_url:
        broker = ManagedBroker(free_port(), work / "broker")
        broker.start()
        mqtt_url = broker.url
    children: list[subprocess.Popen[str]] = []
    redis = None
    try:
        print(f"broker: {broker.kind if broker else mqtt_url}; preparing database and model…")
        values, token = prepare(work, mqtt_url, args.database_url)
        if args.split:
            redis_port = free_port()
            redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--save", "",
                                      "--appendonly", "no", "--bind", "127.0.0.1"],
                                     stdout=subprocess.DEVNULL)
            values["redis_url"] = f"redis://127.0.0.1:{redis_port}/0"
            time.sleep(0.5)
        port = free_port()
        server = _spawn("serve", json.dumps({"settings": values, "port": port,
                                             "ingest": not args.split,
                                             "synthetic": args.rate if args.synthetic else 0}))
        children.append(server)
        _expect(server, "READY")
        ingest = None
        if args.split:
            ingest = _spawn("ingest", json.dumps({"settings": values}))
            children.append(ingest)
            _expect(ingest, "READY")
        per = [args.clients // args.processes + (i < args.clients % args.processes)
               for i in range(args.processes)]
        clients_ = [_spawn("clients", f"http://127.0.0.1:{port}", token, str(n))
                    for n in per if n]
        children += clients_
        for child in clients_:
            _expect(child, "CONNECTED")
        print(f"{args.clients} Socket.IO clients connected (websocket, /live, operators room)")
        for child in (*clients_, server, *([ingest] if ingest else [])):
            assert child.stdin is not None
            child.stdin.write("START\n")
            child.stdin.flush()
        started = time.monotonic()
        if args.synthetic:
            time.sleep(args.duration)
            sent = 0
        else:
            sent = publish(parse_mqtt_url(mqtt_url, "5"), values["topic_root"], args.rate,
                           args.duration)
        time.sleep(args.grace)
        elapsed = time.monotonic() - started
        results = []
        for child in clients_:
            out, _ = child.communicate("", timeout=120)
            results.append(json.loads(out.split("RESULT ", 1)[1]))
        out, _ = server.communicate("", timeout=60)
        server_stats = json.loads(out.split("STATS ", 1)[1])
        if ingest is not None:
            out, _ = ingest.communicate("", timeout=60)
            ingest_stats = json.loads(out.split("STATS ", 1)[1])
            web_cpu = server_stats["cpu_s"]
            server_stats = {**ingest_stats, "cpu_s": web_cpu + ingest_stats["cpu_s"]}
            print(f"split: web process {web_cpu:.1f} CPU s, ingest process "
                  f"{ingest_stats['cpu_s']:.1f} CPU s (pusher in the ingest process, via Redis)")
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
        if redis is not None:
            redis.terminate()
            redis.wait(10)
        if broker:
            broker.stop()
    latencies = [x for r in results for x in r["latencies"]]
    pushes = [x for r in results for x in r["pushes"]]
    events = sum(r["events"] for r in results)
    messages = sum(r["messages"] for r in results)
    p50, p99 = percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000
    print(f"published {sent} reports in {args.duration:.0f} s ({sent / args.duration:.0f}/s); "
          f"ingested {server_stats['ingested']}")
    print(f"clients connected at the end: {sum(r['connected'] for r in results)}/{args.clients}")
    print(f"delivered: {events} events in {messages} Socket.IO messages over {elapsed:.1f} s "
          f"= {events / elapsed:,.0f} events/s ({messages / elapsed:,.0f} messages/s; "
          f"server emitted {server_stats['emitted_batches']} room batches)")
    print(f"incident.created per client: {sum(r['created'] for r in results) / max(1, args.clients):.0f}")
    print(f"MQTT publish → client latency: p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
          f"max {max(latencies, default=0) * 1000:.0f} ms (target p99 ≤ 500 ms)")
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f} "
          f"(1 / 5 min; the server, the clients and the broker all share it)")
    print(f"CPU used: server {server_stats['cpu_s']:.1f} s, clients "
          f"{sum(r['cpu_s'] for r in results):.1f} s over {elapsed:.1f} s; pusher flushes: "
          f"{server_stats['flushes']} ({server_stats['flushes'] / elapsed:.1f}/s), "
          f"p50 {server_stats['flush_p50_ms']:.1f} ms, max {server_stats['flush_max_ms']:.0f} ms")
    print(f"  of which intake (ingest commit) → client: p50 "
          f"{percentile(pushes, 50) * 1000:.0f} ms, p99 {percentile(pushes, 99) * 1000:.0f} ms")
    return 0 if p99 <= 500 else 1


def console_load(rows: int, open_rows: int) -> int:
    """Time the console's first requests (KPI strip, snapshot) with ``rows`` incidents stored."""
    import random
    import re
    from datetime import timedelta

    from sqlalchemy import insert

    from ioc.app import create_app
    from ioc.config import Settings
    from ioc.core import build_core
    from ioc.db import utcnow
    from ioc.models import Incident
    from ioc.processes import prepare_database
    from ioc.services.users import create_user

    work = Path(tempfile.mkdtemp(prefix="ioc-console-bench-"))
    settings = Settings.from_env({}, instance_dir=work, secret_key="bench")
    prepare_database(settings)
    core = build_core(settings, load_model=False)
    rng = random.Random(5)
    codes = list(core.taxonomy.codes)
    now = utcnow()
    print(f"inserting {rows:,} incidents ({open_rows:,} open)…")
    t0 = time.perf_counter()
    for start in range(0, rows, 50_000):
        batch = []
        for i in range(start, min(rows, start + 50_000)):
            created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365))
            is_open = i >= rows - open_rows
            batch.append({
                "code": f"PB{i:010d}", "channel": "field_report", "source_id": f"b{i}",
                "text": f"Phản ánh số {i}", "lat": 10.78 + rng.random() * 0.06,
                "lon": 105.31 + rng.random() * 0.07, "department_code": rng.choice(codes),
                "status": "routed" if is_open else "closed", "sla_state": "on_time",
                "sla_started_at": created, "ack_due_at": created + timedelta(hours=4),
                "resolve_due_at": created + timedelta(hours=72), "reported_at": created,
                "created_at": created, "updated_at": created, "urgent": False,
                "acknowledged_at": None if is_open else created + timedelta(hours=1),
                "resolved_at": None if is_open else created + timedelta(hours=20),
                "report_count": 1, "photos": [], "extra": {}})
        with core.uow() as uow:
            uow.session.execute(insert(Incident), batch)
            uow.commit()
    print(f"  inserted in {time.perf_counter() - t0:.0f} s")
    with core.uow() as uow:
        create_user(uow, "bench.op", "bench-password", "operator")
        uow.commit()
    app = create_app(settings, core)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    client.post("/login", data={"username": "bench.op", "password": "bench-password",
                                "csrf_token": token})
    for path in ("/console", "/console/kpis.json", "/console/kpis.json", "/console/snapshot.json"):
        t = time.perf_counter()
        res = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})  # a browser
        size = len(res.get_data())
        print(f"GET {path}: {res.status_code} in {(time.perf_counter() - t) * 1000:.0f} ms "
              f"({size / 1024:.0f} KiB {res.headers.get('Content-Encoding', 'uncompressed')})")
    app.extensions["ioc.pusher"].stop()
    return 0


def main() -> int:
    """Parse the command line and run the benchmark (or one of its child roles)."""
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        serve(json.loads(sys.argv[2]))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "ingest":
        serve_ingest(json.loads(sys.argv[2]))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "clients":
        clients(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rate", type=float, default=200.0, help="incidents per second")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of publishing")
    parser.add_argument("--grace", type=float, default=3.0, help="seconds to drain afterwards")
    parser.add_argument("--processes", type=int, default=4, help="client processes")
    parser.add_argument("--mqtt-url", default="", help="an existing broker (default: private)")
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--split", action="store_true",
                        help="production shape: ingest in its own process, pushing via Redis")
    parser.add_argument("--synthetic", action="store_true",
                        help="push path only: the server makes the events itself (no MQTT)")
    parser.add_argument("--console-load", type=int, default=0, metavar="ROWS",
                        help="instead: time the console's requests with ROWS incidents stored")
    parser.add_argument("--open", type=int, default=30_000, help="open incidents (console-load)")
    args = parser.parse_args()
    if args.console_load:
        return console_load(args.console_load, args.open)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
