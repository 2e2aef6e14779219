"""The routing process: same decisions as in-process, survives its child, dies with its parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ingest.dispatcher import Dispatcher
from ingest.messages import ReceivedMessage
from ingest.pipeline import Pipeline
from ioc.core import Core
from ioc.routing_pool import RoutingPool
from ml.similarity import text_profile
from tests.ingest import payloads as p
from tests.ingest.test_handlers import ROOT

TEXTS = [
    "Đèn đường trước chợ Hồng Ngự bị hư 3 đêm rồi, tối thui",
    "ong nuoc be o duong Le Loi nuoc chay lenh lang tu sang",
    "rac thai do bay ra le duong boc mui qua troi",
    "có cháy ở kho hàng gần bến xe, khói đen mù mịt",
    "xin hỏi thủ tục cấp đổi căn cước",
]


def _alive(pid: int) -> bool:
    """Running (a zombie left for an init that does not reap counts as gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


@pytest.fixture
def pool(core: Core):
    s = core.settings
    assert s.model_dir is not None
    pool = RoutingPool(s.model_dir, s.routing_threshold, core.taxonomy.codes).start()
    assert pool.wait_ready(120), "the routing child did not start"
    yield pool
    pool.close()


def test_the_child_decides_exactly_as_the_worker_would(core: Core, pool: RoutingPool) -> None:
    hints = [None, "cap_nuoc", None, None, None]
    local = core.routing.route(TEXTS, hints)
    job = pool.submit(TEXTS, hints)
    remote = pool.result(job)
    assert remote == local
    # the duplicate-detection profiles it computed beside are the worker's own
    assert job is not None and job.future.result()[1] == [text_profile(t) for t in TEXTS]
    assert {d.department for d in remote} >= {"do_thi", "cap_nuoc", "pccc"}


def test_pipeline_routes_through_the_child_and_survives_its_death(core: Core,
                                                                  pool: RoutingPool) -> None:
    pipeline = Pipeline(core, Dispatcher(ROOT), routing_pool=pool)
    texts = TEXTS[:3]
    batch = [ReceivedMessage(f"{ROOT}/reports/field", p.encode(p.field_report(text=t))) for t in texts]
    outcome = pipeline.process(batch)
    assert outcome.incidents == 3 and pool.failures == 0
    assert pipeline.stats.routing_wait_seconds > 0  # the decisions came from the child

    child = pool.pid()
    assert child is not None and child != os.getpid()
    os.kill(child, signal.SIGKILL)
    time.sleep(0.5)
    # the batch in flight when the child dies is routed in the worker: nothing is lost
    again = [ReceivedMessage(f"{ROOT}/reports/field", p.encode(p.field_report(text=t))) for t in texts]
    assert pipeline.process(again).incidents == 3
    assert pool.failures >= 1
    assert pool.wait_ready(120), "the routing child was not restarted"
    assert pool.pid() not in (None, child)
    with core.uow() as uow:
        from sqlalchemy import select

        from ioc.models import Incident

        departments = list(uow.session.scalars(select(Incident.department_code)
                                               .order_by(Incident.id)))
    assert departments[:3] == departments[3:]  # same routing whoever did it


def test_the_child_exits_when_its_worker_is_killed(settings, tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from pathlib import Path
        from ioc.routing_pool import RoutingPool
        pool = RoutingPool(Path({str(settings.model_dir)!r}), 0.45, ["do_thi"]).start()
        assert pool.wait_ready(120)
        print(pool.pid(), flush=True)
        time.sleep(600)
    """)
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                          text=True) as proc:
        try:
            assert proc.stdout is not None
            child = int(proc.stdout.readline())
            assert _alive(child)
            proc.kill()  # like `kill -9` of an ingest worker
            proc.wait(10)
            deadline = time.monotonic() + 10
            while _alive(child) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert not _alive(child), "the routing child outlived its worker"
        finally:
            proc.kill()


def test_ctrl_c_to_the_process_group_leaves_the_child_to_its_worker(pool: RoutingPool) -> None:
    child = pool.pid()
    assert child is not None
    os.kill(child, signal.SIGINT)  # what a terminal's Ctrl-C sends to every process of the group
    os.kill(child, signal.SIGTERM)  # what `timeout` sends to the group
    time.sleep(0.5)
    assert _alive(child)
    assert pool.result(pool.submit(TEXTS[:1], [None])) is not None and pool.failures == 0


def test_two_batches_lost_with_one_child_count_as_one_failure(pool: RoutingPool) -> None:
    child = pool.pid()
    assert child is not None
    first, second = pool.submit(TEXTS * 200, [None] * 1000), pool.submit(TEXTS, [None] * 5)
    os.kill(child, signal.SIGKILL)
    assert pool.result(first) is None and pool.result(second) is None
    assert pool.failures == 1
    assert pool.wait_ready(120) and pool.pid() not in (None, child)
