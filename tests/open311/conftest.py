"""Fixtures of the Open311 tests: an API key and a few incidents in every state."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ioc.actors import Actor
from ioc.core import Core
from ioc.db import utcnow
from ioc.routing import RoutingDecision
from ioc.services import incidents as actions
from ioc.services.apikeys import create_api_key
from ioc.services.intake import NewReport, record_reports


@pytest.fixture
def api_key(core: Core) -> str:
    """A valid Open311 api_key."""
    with core.uow() as uow:
        key = create_api_key(uow, "Ứng dụng thử nghiệm")
        uow.commit()
    return key


@pytest.fixture
def incidents(core: Core) -> dict[str, str]:
    """Tracking codes by name: open (do_thi), resolved (cap_nuoc), rejected, hotline, old."""
    now = utcnow()
    specs = [
        ("open", "field_report", "do_thi", "Ổ gà lớn <b>nguy hiểm</b>, gọi 0909 123 456", 10.801, now),
        ("resolved", "field_report", "cap_nuoc", "Vỡ ống nước trên đường Trần Hưng Đạo", 10.811, now),
        ("rejected", "open311", "moi_truong", "Quảng cáo rác", 10.821, now),
        ("hotline", "hotline", "an_ninh", "Người gọi Nguyễn Văn A báo trộm xe", 10.831, now),
        ("old", "field_report", "do_thi", "Cây đổ từ năm ngoái", 10.841, now - timedelta(days=120)),
    ]
    codes: dict[str, str] = {}
    with core.uow() as uow:
        for name, channel, dept, text, lat, at in specs:
            created = record_reports(uow, core, [NewReport(
                channel=channel, source_id=f"seed-{name}", text=text, reported_at=at,
                lat=lat, lon=105.3431, reporter_name="Trần Thị Bé", reporter_phone="0909000111",
                photos=("/uploads/" + "a" * 32 + ".jpg",) if name == "open" else (),
                routing=RoutingDecision(dept, 0.9, False, "test"))], now=at).created
            codes[name] = created[0].code
        uow.commit()
    staff = Actor("nv.capnuoc", "department", "cap_nuoc")
    operator = Actor("op", "operator")
    with core.uow() as uow:
        from ioc.services.incidents import get_incident

        resolved = get_incident(uow, staff, codes["resolved"])
        actions.acknowledge(uow, core, resolved, staff)
        actions.resolve(uow, core, resolved, staff, "Đã thay đoạn ống bị vỡ")
        rejected = get_incident(uow, operator, codes["rejected"])
        actions.reject(uow, core, rejected, operator, "Tin rác quảng cáo")
        uow.commit()
    return codes
