"""The manual triage queue: operators route unsure incidents; the choice is a training label."""

from __future__ import annotations

from sqlalchemy import select

from ioc.core import Core
from ioc.models import Incident, RoutingLabel
from tests.web.conftest import csrf_token, make_incident


def test_queue_lists_unrouted_incidents_with_the_models_suggestions(core: Core,
                                                                    client_for) -> None:
    unsure = make_incident(core, None, text="Có mùi hôi <b>nồng nặc</b> gần kênh",
                           candidates=(("moi_truong", 0.41), ("do_thi", 0.3)))
    routed = make_incident(core, "do_thi")
    html = client_for("dieuhanh").get("/console/triage").get_data(as_text=True)
    assert f'id="triage-{unsure}"' in html and f'id="triage-{routed}"' not in html
    assert "Có mùi hôi &lt;b&gt;nồng nặc&lt;/b&gt; gần kênh" in html  # shown as text
    assert "Phòng Tài nguyên và Môi trường (41%)" in html
    assert '<option value="moi_truong" selected>' in html  # the top suggestion preselected
    assert "được lưu làm nhãn huấn luyện" in html


def test_assignment_routes_the_incident_and_stores_a_training_label(
        core: Core, client_for, app) -> None:
    iid = make_incident(core, None, text="Nước kênh đen ngòm, cá chết",
                        candidates=(("do_thi", 0.38), ("moi_truong", 0.35)))
    op = client_for("dieuhanh")
    live = app.extensions["ioc.socketio"].test_client(app, namespace="/live",
                                                       flask_test_client=op)
    dept = app.extensions["ioc.socketio"].test_client(app, namespace="/live",
                                                         flask_test_client=client_for(
                                                             "moitruong.binh"))
    assert live.is_connected("/live") and dept.is_connected("/live")
    res = op.post(f"/console/triage/{iid}", data={"department": "moi_truong",
                                                  "csrf_token": csrf_token(op, "/console")})
    assert res.status_code == 303 and res.location == "/console/triage"
    follow = op.get("/console/triage").get_data(as_text=True)
    assert "Phòng Tài nguyên và Môi trường" in follow and f'id="triage-{iid}"' not in follow
    with core.uow() as uow:
        inc = uow.session.get(Incident, iid)
        assert (inc.status, inc.department_code) == ("routed", "moi_truong")
        assert inc.events[-1].kind == "triaged" and inc.events[-1].actor == "dieuhanh"
        label = uow.session.scalars(select(RoutingLabel).where(
            RoutingLabel.incident_id == iid)).one()
        assert (label.department_code, label.predicted_code, label.source, label.actor) == (
            "moi_truong", "do_thi", "triage", "dieuhanh")
        assert label.text == "Nước kênh đen ngòm, cá chết"
    app.extensions["ioc.pusher"].flush()
    for client in (live, dept):
        batches = [m["args"][0] for m in client.get_received("/live") if m["name"] == "events"]
        items = [i for batch in batches for i in batch if i["data"]["id"] == iid]
        assert items and items[-1]["type"] == "incident.updated"
        assert items[-1]["data"]["department"] == "moi_truong"
    live.disconnect("/live")
    dept.disconnect("/live")


def test_triage_of_an_already_routed_incident_is_refused_politely(core: Core,
                                                                  client_for) -> None:
    iid = make_incident(core, "do_thi")
    op = client_for("dieuhanh")
    res = op.post(f"/console/triage/{iid}", data={"department": "moi_truong",
                                                  "csrf_token": csrf_token(op, "/console")})
    assert res.status_code == 303
    assert "already routed" in op.get("/console/triage").get_data(as_text=True)
    bad = make_incident(core, None)
    op.post(f"/console/triage/{bad}", data={"department": "khong_co",
                                            "csrf_token": csrf_token(op, "/console")})
    assert "unknown department" in op.get("/console/triage").get_data(as_text=True)
    assert op.post("/console/triage/999999", data={
        "department": "do_thi", "csrf_token": csrf_token(op, "/console")}).status_code == 404
