"""The department inbox: list, actions through the real services, event log, live push."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image

from ioc.core import Core
from ioc.models import Incident
from tests.web.conftest import csrf_token, make_incident, move_to


@pytest.fixture
def watchers(app, client_for) -> Iterator[dict]:
    """Socket.IO clients of an operator console and of the do_thi and moi_truong inboxes."""
    sio = app.extensions["ioc.socketio"]
    clients = {name: sio.test_client(app, namespace="/live", flask_test_client=client_for(user))
               for name, user in (("console", "dieuhanh"), ("do_thi", "dothi.an"),
                                  ("moi_truong", "moitruong.binh"))}
    for client in clients.values():
        assert client.is_connected("/live")
    yield clients
    for client in clients.values():
        if client.is_connected("/live"):
            client.disconnect("/live")


def received(app, client, incident_id: int) -> list[dict]:
    """The live events about one incident a Socket.IO client got (after a flush)."""
    app.extensions["ioc.pusher"].flush()
    items = [i for m in client.get_received("/live") if m["name"] == "events"
             for i in m["args"][0]]
    return [i for i in items if i["data"].get("id") == incident_id]


def post(client, key, action: str, **form) -> object:
    form["csrf_token"] = csrf_token(client, "/inbox")
    return client.post(f"/inbox/incidents/{key}/{action}", data=form,
                       content_type="multipart/form-data")


def png(color: str = "green") -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def test_inbox_lists_own_open_incidents_by_deadline(core: Core, client_for) -> None:
    normal = make_incident(core, "do_thi", text="Cây đổ chắn đường <i>Lê Lợi</i>")
    urgent = make_incident(core, "do_thi", urgent=True)  # shorter deadline: on top
    make_incident(core, "moi_truong")
    done = make_incident(core, "do_thi")
    move_to(core, done, "resolved")
    html = client_for("dothi.an").get("/inbox").get_data(as_text=True)
    assert "Hộp thư phòng ban" in html and "Phòng Quản lý đô thị" in html
    assert html.index(f'id="inc-{urgent}"') < html.index(f'id="inc-{normal}"')
    assert f'id="inc-{done}"' not in html and html.count('id="inc-') == 2
    assert "Cây đổ chắn đường &lt;i&gt;Lê Lợi&lt;/i&gt;" in html


def test_actions_go_through_the_services_the_log_and_the_live_rooms(
        core: Core, client_for, app, watchers) -> None:
    iid = make_incident(core, "do_thi")
    staff = client_for("dothi.an")
    steps = [("acknowledge", {}, "acknowledged", "acknowledged"),
             ("start", {}, "started", "in_progress"),
             ("note", {"note": "Đã cử đội đến hiện trường"}, "note", "in_progress"),
             ("resolve", {"note": "Đã thay bóng đèn mới"}, "resolved", "resolved")]
    for action, form, kind, status in steps:
        res = post(staff, iid, action, **form)
        assert res.status_code == 303, (action, res.get_data(as_text=True)[:300])
        with core.uow() as uow:
            inc = uow.session.get(Incident, iid)
            assert inc.status == status
            assert inc.events[-1].kind == kind and inc.events[-1].actor == "dothi.an"
        for room in ("console", "do_thi"):
            items = received(app, watchers[room], iid)
            assert items and items[-1]["type"] == "incident.updated", (action, room)
            assert items[-1]["data"]["status"] == status
        assert not received(app, watchers["moi_truong"], iid)  # other departments see nothing
    page = staff.get(f"/inbox/incidents/{iid}").get_data(as_text=True)
    for words in ("Tiếp nhận xử lý", "Bắt đầu xử lý", "Đã cử đội đến hiện trường",
                  "Đã thay bóng đèn mới", "Đã xử lý xong"):
        assert words in page, words
    with core.uow() as uow:
        assert uow.session.get(Incident, iid).resolution_note == "Đã thay bóng đèn mới"


def test_reassign_moves_the_incident_to_the_other_inbox_live(core: Core, client_for, app,
                                                             watchers) -> None:
    iid = make_incident(core, "do_thi")
    staff = client_for("dothi.an")
    res = post(staff, iid, "reassign", department="moi_truong", reason="Ô nhiễm, không phải cống")
    assert res.status_code == 303 and res.location == "/inbox"  # no longer ours to see
    assert staff.get(f"/inbox/incidents/{iid}").status_code == 404
    for room in ("console", "do_thi", "moi_truong"):
        items = received(app, watchers[room], iid)
        assert items and items[-1]["data"]["department"] == "moi_truong", room
    with core.uow() as uow:
        inc = uow.session.get(Incident, iid)
        assert inc.events[-1].kind == "reassigned"
        assert inc.events[-1].data["reason"] == "Ô nhiễm, không phải cống"
    assert f'id="inc-{iid}"' in client_for("moitruong.binh").get("/inbox").get_data(as_text=True)


def test_reject_as_not_in_scope_and_mark_duplicate(core: Core, client_for, app,
                                                   watchers) -> None:
    staff = client_for("dothi.an")
    spam = make_incident(core, "do_thi")
    res = post(staff, spam, "reject", kind="not_in_scope", reason="Việc của tư nhân")
    assert res.status_code == 303
    with core.uow() as uow:
        inc = uow.session.get(Incident, spam)
        assert inc.status == "rejected"
        assert inc.events[-1].data["reason"] == "Không thuộc thẩm quyền: Việc của tư nhân"
    assert received(app, watchers["console"], spam)[-1]["data"]["status"] == "rejected"

    original = make_incident(core, "do_thi")
    copy = make_incident(core, "do_thi")
    with core.uow() as uow:
        code = uow.session.get(Incident, original).code
    assert post(staff, copy, "duplicate", original=code).status_code == 303
    with core.uow() as uow:
        assert uow.session.get(Incident, copy).status == "duplicate"
        assert uow.session.get(Incident, original).report_count == 2
    console = received(app, watchers["console"], copy)
    assert console[-1]["data"]["status"] == "duplicate"

    foreign = make_incident(core, "moi_truong")
    with core.uow() as uow:
        foreign_code = uow.session.get(Incident, foreign).code
    third = make_incident(core, "do_thi")
    post(staff, third, "duplicate", original=foreign_code)
    with core.uow() as uow:  # another department's incident cannot be named as the original
        assert uow.session.get(Incident, third).status == "routed"


def test_illegal_moves_and_missing_notes_are_explained(core: Core, client_for) -> None:
    iid = make_incident(core, "do_thi")
    staff = client_for("dothi.an")
    assert post(staff, iid, "start").status_code == 303  # routed → in_progress is not allowed
    page = staff.get(f"/inbox/incidents/{iid}").get_data(as_text=True)
    assert "Không thực hiện được" in page and "cannot move an incident" in page
    post(staff, iid, "resolve", note="  ")
    assert "resolution note is required" in staff.get(f"/inbox/incidents/{iid}").get_data(
        as_text=True)
    assert post(staff, iid, "explode").status_code == 404


def test_note_photos_are_checked_stored_and_served_to_the_right_people(
        core: Core, client_for, settings) -> None:
    iid = make_incident(core, "do_thi")
    staff = client_for("dothi.an")
    res = post(staff, iid, "note", note="Ảnh hiện trường",
               photos=[(png(), "hien-truong.png"), (png("blue"), "b.png")])
    assert res.status_code == 303
    with core.uow() as uow:
        photos = uow.session.get(Incident, iid).events[-1].data["photos"]
    assert len(photos) == 2 and all(p.startswith(f"/uploads/{iid}/") for p in photos)
    stored = list((settings.instance_dir / "uploads" / str(iid)).iterdir())
    assert len(stored) == 2
    served = staff.get(photos[0])
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    served.close()
    assert client_for("moitruong.binh").get(photos[0]).status_code == 404
    assert client_for(None).get(photos[0]).status_code == 401
    op = client_for("dieuhanh").get(photos[0])
    assert op.status_code == 200
    op.close()
    assert photos[0].split("/")[-1] and staff.get(f"/uploads/{iid}/..%2Fsecret_key").status_code == 404
    page = staff.get(f"/inbox/incidents/{iid}").get_data(as_text=True)
    assert f'<img src="{photos[0]}"' in page


def test_fake_images_are_refused_and_nothing_is_stored(core: Core, client_for, settings) -> None:
    iid = make_incident(core, "do_thi")
    staff = client_for("dothi.an")
    fake = io.BytesIO(b"<?php system($_GET['c']); ?>")
    res = post(staff, iid, "note", note="xem ảnh", photos=[(png(), "ok.png"), (fake, "anh.jpg")])
    assert res.status_code == 303
    assert "anh.jpg không phải là ảnh hợp lệ" in staff.get(f"/inbox/incidents/{iid}").get_data(
        as_text=True)
    assert not (settings.instance_dir / "uploads" / str(iid)).exists()
    with core.uow() as uow:
        assert uow.session.get(Incident, iid).events[-1].kind != "note"


def test_operator_chooses_which_inbox_to_read(core: Core, client_for) -> None:
    iid = make_incident(core, "cap_nuoc")
    op = client_for("dieuhanh")
    html = op.get("/inbox?department=cap_nuoc").get_data(as_text=True)
    assert f'id="inc-{iid}"' in html and "Công ty Cấp nước" in html
    assert op.get("/inbox?department=khong_co").status_code == 404
    # a department user cannot read another inbox by changing the query
    own = client_for("dothi.an").get("/inbox?department=cap_nuoc").get_data(as_text=True)
    assert f'id="inc-{iid}"' not in own
