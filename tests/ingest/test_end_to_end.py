"""End to end: a mixed batch over a real broker into a real database.

Runs on the embedded broker and SQLite by default, on Mosquitto and
PostgreSQL when CI sets IOC_MQTT_URL and IOC_DATABASE_URL.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ioc.core import Core
from ioc.models import DeadLetter, Dossier, Incident, IncidentEvent
from ioc.processes import start_ingest
from tests.ingest import payloads as p
from tests.ingest.mqtt_helpers import Publisher, Subscriber, wait_until

pytestmark = pytest.mark.broker

REPORTS = [
    "Đèn đường đoạn Nguyễn Huệ gần chợ tắt hết 3 đêm nay, tối thui rất nguy hiểm",
    "rac thai o hem 5 duong Tran Hung Dao khong ai thu gom may ngay roi boc mui hoi thoi",
    "Quán karaoke ở khóm 3 hát tới 1 giờ sáng, cả xóm không ngủ được",
    "Có ổ gà rất lớn giữa đường Hùng Vương, xe máy té liên tục",
    "nhà mình cúp nước từ sáng tới giờ chưa có giọt nào",
    "Trụ điện trước UBND phường An Lộc bị nghiêng, dây võng sát đầu người",
]


def count(core: Core, model: type, *where: object) -> int:
    with core.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_mixed_batch_ends_up_exactly_right(core: Core, mqtt_target, topic_root: str) -> None:
    worker = start_ingest(core, mqtt_target)
    assert worker.wait_ready(10)
    dead_sub = Subscriber(mqtt_target, f"{topic_root}/deadletter")
    pub = Publisher(mqtt_target)
    t = lambda sub: f"{topic_root}/{sub}"  # noqa: E731

    fields = [p.field_report(text, lat=10.79 + i * 0.01, lon=105.33 + i * 0.004)
              for i, text in enumerate(REPORTS)]
    hotline = [p.hotline_ticket(), p.hotline_ticket(
        "da alo cho em bao co vu danh nhau truoc quan nhau o duong 30 thang 4 dang rat hon loan")]
    sensors = [p.sensor_alert(), p.sensor_alert("smoke", value=90, unit="ppm", threshold=40,
                                                sensor_id="SM-2", lat=10.82, lon=105.35)]
    received = p.NOW - timedelta(days=6)
    on_time = [p.counter_event("HS-1", "received", received, received + timedelta(days=5)),
               p.counter_event("HS-1", "processing", received + timedelta(days=1)),
               p.counter_event("HS-1", "resolved", received + timedelta(days=3)),
               p.counter_event("HS-1", "returned", received + timedelta(days=4))]
    late = [p.counter_event("HS-2", "received", received, received + timedelta(days=2)),
            p.counter_event("HS-2", "resolved", received + timedelta(days=4))]
    malformed = [
        (t("reports/field"), b"this is not json"),
        (t("reports/field"), b"\xff\xfe\xfa"),
        (t("reports/hotline"), p.encode({"id": "hl-broken", "transcript": "thiếu call_id"})),
        (t("reports/field"), p.encode(p.field_report(lat=200))),
        (t("counter/events"), p.encode(p.counter_event("HS-9", "received", p.NOW))),
    ]
    messages = (
        [(t("reports/field"), p.encode(f)) for f in fields]
        + [(t("reports/hotline"), p.encode(h)) for h in hotline]
        + [(t("sensors/" + s["kind"]), p.encode(s)) for s in sensors]
        + [(t("counter/events"), p.encode(c)) for c in on_time + late]
        + malformed
        # replays: the same ids again must not create anything new
        + [(t("reports/field"), p.encode(fields[0])), (t("reports/hotline"), p.encode(hotline[1])),
           (t("counter/events"), p.encode(late[1]))]
    )
    pub.publish_all(messages)
    pub.close()

    assert wait_until(lambda: worker.pipeline.stats.messages >= len(messages), 30), (
        f"processed {worker.pipeline.stats.messages} of {len(messages)}")
    notices = dead_sub.collect(len(malformed))
    worker.stop()
    dead_sub.close()

    assert count(core, Incident) == len(fields) + len(hotline) + len(sensors)
    assert count(core, Incident, Incident.channel == "field_report") == len(fields)
    assert count(core, Incident, Incident.channel == "hotline") == len(hotline)
    assert count(core, Incident, Incident.channel == "sensor") == len(sensors)
    assert count(core, Dossier) == 2
    assert count(core, DeadLetter) == len(malformed)
    assert worker.pipeline.stats.replays == 2

    with core.uow() as uow:
        s = uow.session
        hs1 = s.scalars(select(Dossier).where(Dossier.dossier_id == "HS-1")).one()
        hs2 = s.scalars(select(Dossier).where(Dossier.dossier_id == "HS-2")).one()
        assert (hs1.status, hs1.is_late, hs1.apology_due) == ("returned", False, False)
        assert (hs2.status, hs2.is_late, hs2.apology_due) == ("resolved", True, True)
        assert len(hs1.events) == 4 and len(hs2.events) == 2
        reasons = {d.reason.split(":")[0] for d in s.scalars(select(DeadLetter))}
        assert reasons == {"payload is not valid JSON", "payload is not valid UTF-8",
                           "schema violation"}
        smoke = s.scalars(select(Incident).where(Incident.channel == "sensor",
                                                 Incident.department_code == "pccc")).one()
        assert smoke.urgent and smoke.status == "routed"
        # every incident has its creation in the event log, and is routed or in triage
        for incident in s.scalars(select(Incident)):
            kinds = [e.kind for e in incident.events]
            assert kinds[0] == "created"
            assert ("routed" in kinds) == (incident.department_code is not None)
            assert ("triage" in kinds) == (incident.department_code is None)
            assert incident.status == ("routed" if incident.department_code else "new")
            assert incident.ack_due_at is not None
        assert s.scalar(select(func.count()).select_from(IncidentEvent)) >= 2 * 10

    assert len(notices) == len(malformed)
    bodies = [json.loads(m.payload) for m in notices]
    assert all(b["reason"] and b["topic"].startswith(topic_root) for b in bodies)


def test_nearby_similar_report_is_linked_as_duplicate(core: Core, mqtt_target,
                                                      topic_root: str) -> None:
    worker = start_ingest(core, mqtt_target)
    assert worker.wait_ready(10)
    pub = Publisher(mqtt_target)
    first = p.field_report("Cây xanh bị gãy đổ chắn ngang đường Lê Lợi, xe không qua được",
                           lat=10.8050, lon=105.3400)
    pub.publish(f"{topic_root}/reports/field", p.encode(first))
    pub.flush()
    assert wait_until(lambda: worker.pipeline.stats.messages >= 1)
    second = p.field_report("cay xanh gay do chan ngang duong le loi xe ko qua dc",
                            lat=10.8055, lon=105.3402)
    far = p.field_report("Cây xanh bị gãy đổ chắn ngang đường Lê Lợi, xe không qua được",
                         lat=10.8300, lon=105.3700)
    pub.publish(f"{topic_root}/reports/field", p.encode(second))
    pub.publish(f"{topic_root}/reports/field", p.encode(far))
    pub.close()
    assert wait_until(lambda: worker.pipeline.stats.messages >= 3)
    worker.stop()
    with core.uow() as uow:
        rows = {i.source_id: i for i in uow.session.scalars(select(Incident))}
        original, dup, other = rows[first["id"]], rows[second["id"]], rows[far["id"]]
        assert dup.status == "duplicate" and dup.duplicate_of_id == original.id
        assert original.report_count == 2
        assert other.duplicate_of_id is None and other.status != "duplicate"
        assert "duplicate_linked" in [e.kind for e in original.events]
