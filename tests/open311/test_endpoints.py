"""Open311 GeoReport v2: every endpoint in both formats, every error case."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import select

from ioc.core import Core
from ioc.db import utcnow
from ioc.models import Incident
from ioc.routing import RoutingDecision
from ioc.services.intake import NewReport, record_reports

API = "/open311/v2"


def xml(res) -> ET.Element:
    assert res.mimetype == "text/xml", res.data[:200]
    assert res.data.startswith(b"<?xml")
    return ET.fromstring(res.data)


def error_of(res, fmt: str) -> tuple[int, str]:
    """(code, description) of the spec's error list, checked against the HTTP status."""
    if fmt == "json":
        body = res.get_json()
        assert isinstance(body, list) and len(body) == 1
        code, description = body[0]["code"], body[0]["description"]
    else:
        root = xml(res)
        assert root.tag == "errors"
        code, description = int(root.findtext("error/code")), root.findtext("error/description")
    assert code == res.status_code
    return code, description


def test_discovery(client) -> None:
    data = client.get(f"{API}/discovery.json").get_json()
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://localhost/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert data["changeset"] and data["contact"] and data["key_service"]
    root = xml(client.get(f"{API}/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml", "application/json"]
    assert root.findtext("endpoints/endpoint/type") == "production"


def test_services_one_per_department(client, core: Core) -> None:
    services = client.get(f"{API}/services.json").get_json()
    assert [s["service_code"] for s in services] == list(core.taxonomy.codes)
    first = services[0]
    assert first["service_name"] == "Phòng Quản lý đô thị"
    assert first["metadata"] is False and first["type"] == "realtime"
    assert {"description", "keywords", "group"} <= first.keys()
    root = xml(client.get(f"{API}/services.xml"))
    assert root.tag == "services"
    assert len(root.findall("service")) == len(core.taxonomy.codes)
    assert root.findtext("service/service_name") == "Phòng Quản lý đô thị"
    assert root.findtext("service/metadata") == "false"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_service_definition_and_unknown_code(client, fmt: str) -> None:
    res = client.get(f"{API}/services/cap_nuoc.{fmt}")
    assert res.status_code == 200
    if fmt == "json":
        assert res.get_json() == {"service_code": "cap_nuoc", "attributes": []}
    else:
        root = xml(res)
        assert root.tag == "service_definition" and root.findtext("service_code") == "cap_nuoc"
        assert root.find("attributes") is not None
    missing = client.get(f"{API}/services/khong_co.{fmt}")
    assert error_of(missing, fmt) == (404, "service_code 'khong_co' not found")


def test_requests_list_json(client, incidents: dict[str, str]) -> None:
    items = client.get(f"{API}/requests.json").get_json()
    codes = [i["service_request_id"] for i in items]
    # the last 90 days, newest first, no hotline transcripts
    assert codes == [incidents["rejected"], incidents["resolved"], incidents["open"]]
    by_code = {i["service_request_id"]: i for i in items}
    open_ = by_code[incidents["open"]]
    assert open_["status"] == "open" and open_["status_notes"] is None
    assert open_["service_code"] == "do_thi"
    assert open_["agency_responsible"] == open_["service_name"] == "Phòng Quản lý đô thị"
    assert open_["expected_datetime"].endswith("+07:00")
    assert open_["requested_datetime"] and open_["updated_datetime"]
    assert open_["description"] == "Ổ gà lớn <b>nguy hiểm</b>, gọi •••"  # phone masked
    assert (open_["lat"], open_["long"]) == (10.801, 105.343)
    assert open_["media_url"] == "http://localhost/uploads/" + "a" * 32 + ".jpg"
    resolved = by_code[incidents["resolved"]]
    assert resolved["status"] == "closed" and resolved["status_notes"] == "Đã thay đoạn ống bị vỡ"
    assert resolved["agency_responsible"] == "Công ty Cấp nước"
    rejected = by_code[incidents["rejected"]]
    assert rejected["status"] == "closed" and rejected["status_notes"] == "Tin rác quảng cáo"
    text = client.get(f"{API}/requests.json").get_data(as_text=True)
    assert "Trần Thị Bé" not in text and "0909000111" not in text


def test_requests_list_xml(client, incidents: dict[str, str]) -> None:
    res = client.get(f"{API}/requests.xml")
    assert b"&lt;b&gt;" in res.data  # HTML in a report is text, escaped
    root = xml(res)
    assert root.tag == "service_requests"
    requests = root.findall("request")
    assert [r.findtext("service_request_id") for r in requests] == [
        incidents["rejected"], incidents["resolved"], incidents["open"]]
    first = requests[-1]
    for field in ("status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime",
                  "updated_datetime", "expected_datetime", "address", "address_id",
                  "zipcode", "lat", "long", "media_url"):
        assert first.find(field) is not None, field
    assert first.findtext("description") == "Ổ gà lớn <b>nguy hiểm</b>, gọi •••"
    assert first.findtext("status") == "open"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_request_filters(client, incidents: dict[str, str], fmt: str) -> None:
    def codes(query: str) -> list[str]:
        res = client.get(f"{API}/requests.{fmt}?{query}")
        assert res.status_code == 200, res.data
        if fmt == "json":
            return [i["service_request_id"] for i in res.get_json()]
        return [r.findtext("service_request_id") for r in xml(res).findall("request")]

    assert codes("status=open") == [incidents["open"]]
    assert codes("status=closed") == [incidents["rejected"], incidents["resolved"]]
    assert codes("status=open,closed&service_code=cap_nuoc,do_thi") == [
        incidents["resolved"], incidents["open"]]
    # an id list overrides every other filter, and finds old and hotline requests too
    assert codes(f"service_request_id={incidents['old']},{incidents['hotline'].lower()}"
                 f"&status=open&service_code=pccc") == [incidents["hotline"], incidents["old"]]
    # empty parameters are absent
    assert codes("service_request_id=&service_code=&status=&start_date=&end_date=") == [
        incidents["rejected"], incidents["resolved"], incidents["open"]]
    now = utcnow()
    old_window = (f"start_date={(now - timedelta(days=125)).strftime('%Y-%m-%dT%H:%M:%SZ')}"
                  f"&end_date={(now - timedelta(days=100)).strftime('%Y-%m-%dT%H:%M:%SZ')}")
    assert codes(old_window) == [incidents["old"]]
    assert codes(f"start_date={(now - timedelta(days=125)).date().isoformat()}") == [incidents["old"]]
    assert codes(f"end_date={(now + timedelta(hours=1)).isoformat()}") == [
        incidents["rejected"], incidents["resolved"], incidents["open"]]
    assert codes("start_date=2020-01-01T00:00:00%2B07:00&end_date=2020-02-01T00:00:00+07:00") == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(("query", "description"), [
    ("start_date=yesterday", "start_date must be a W3C date-time such as 2026-11-01T00:00:00Z"),
    ("end_date=2026-13-01", "end_date must be a W3C date-time such as 2026-11-01T00:00:00Z"),
    ("start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
     "start_date and end_date may not span more than 90 days"),
    ("start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
     "end_date is before start_date"),
    ("status=pending", "status must be open or closed, not pending"),
    ("service_code=khong_co", "unknown service_code: khong_co"),
])
def test_request_list_errors(client, fmt: str, query: str, description: str) -> None:
    res = client.get(f"{API}/requests.{fmt}?{query}")
    assert error_of(res, fmt) == (400, description)


def test_without_filters_at_most_1000_requests(client, core: Core) -> None:
    now = utcnow()
    reports = [NewReport(channel="open311", source_id=f"bulk-{i}", text=f"Phản ánh {i}",
                         reported_at=now, address=f"Số {i}",
                         routing=RoutingDecision("do_thi", 0.9, False, "test"))
               for i in range(1005)]
    with core.uow() as uow:
        record_reports(uow, core, reports)
        uow.commit()
    items = client.get(f"{API}/requests.json").get_json()
    assert len(items) == 1000
    with core.uow() as uow:
        newest = uow.session.scalars(select(Incident.code).order_by(Incident.id.desc())).first()
    assert items[0]["service_request_id"] == newest


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_single_request(client, incidents: dict[str, str], fmt: str) -> None:
    res = client.get(f"{API}/requests/{incidents['resolved']}.{fmt}")
    assert res.status_code == 200
    if fmt == "json":
        body = res.get_json()
        assert len(body) == 1 and body[0]["service_request_id"] == incidents["resolved"]
        assert body[0]["status"] == "closed"
    else:
        root = xml(res)
        assert root.tag == "service_requests"
        assert root.findtext("request/service_request_id") == incidents["resolved"]
    for missing in ("PA0000-ZZZZZZ", "1", "not-a-code-at-all-really"):
        assert error_of(client.get(f"{API}/requests/{missing}.{fmt}"), fmt)[0] == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_request_and_token(client, core: Core, api_key: str, fmt: str) -> None:
    res = client.post(f"{API}/requests.{fmt}", data={
        "api_key": api_key, "service_code": "moi_truong", "lat": "10.8072", "long": "105.3411",
        "description": "Rác thải ùn ứ nhiều ngày, bốc mùi hôi thối", "first_name": "Lê",
        "last_name": "Văn Tám", "phone": "0912 345 678", "email": "tam@example.vn",
        "media_url": "https://example.vn/rac.jpg", "device_id": "", "account_id": "acc-7",
        "address_string": "", "attribute[WHEN]": "sáng nay",
    })
    assert res.status_code == 200, res.data
    if fmt == "json":
        body = res.get_json()[0]
        code, token, notice = body["service_request_id"], body["token"], body["service_notice"]
        assert body["account_id"] == "acc-7"
    else:
        root = xml(res)
        assert root.tag == "service_requests"
        code, token = root.findtext("request/service_request_id"), root.findtext("request/token")
        notice = root.findtext("request/service_notice")
    assert notice.startswith("Hạn xử lý / Due: ")
    with core.uow() as uow:
        incident = uow.session.scalars(select(Incident).where(Incident.code == code)).one()
        assert (incident.channel, incident.source_id) == ("open311", token)
        assert incident.category_hint == "moi_truong"
        assert incident.status in {"routed", "new"}
        assert incident.reporter_name == "Lê Văn Tám" and incident.reporter_phone == "0912 345 678"
        assert incident.photos == ["https://example.vn/rac.jpg"]
        assert incident.extra["email"] == "tam@example.vn"
        assert incident.extra["account_id"] == "acc-7" and "device_id" not in incident.extra
        assert incident.extra["attribute[WHEN]"] == "sáng nay"
    tok = client.get(f"{API}/tokens/{token}.{fmt}")
    if fmt == "json":
        assert tok.get_json() == [{"service_request_id": code, "token": token}]
    else:
        assert xml(tok).findtext("request/service_request_id") == code
    assert error_of(client.get(f"{API}/tokens/khong-co.{fmt}"), fmt) == (
        404, "token 'khong-co' not found")
    shown = client.get(f"{API}/requests/{code}.json").get_json()[0]
    assert shown["description"] == "Rác thải ùn ứ nhiều ngày, bốc mùi hôi thối"


def test_api_key_in_query_string_and_address_only(client, core: Core, api_key: str) -> None:
    res = client.post(f"{API}/requests.json?api_key={api_key}", data={
        "service_code": "do_thi", "address_string": "Số 5 đường Lý Thường Kiệt",
        "description": "Đèn đường không sáng"})
    assert res.status_code == 200, res.data
    code = res.get_json()[0]["service_request_id"]
    with core.uow() as uow:
        incident = uow.session.scalars(select(Incident).where(Incident.code == code)).one()
        assert incident.lat is None and incident.address == "Số 5 đường Lý Thường Kiệt"


def test_idempotency_key_makes_a_retry_harmless(client, core: Core, api_key: str) -> None:
    form = {"api_key": api_key, "service_code": "do_thi", "address_string": "Chợ Hồng Ngự",
            "description": "Vỉa hè bị lấn chiếm"}
    first = client.post(f"{API}/requests.json", data=form, headers={"Idempotency-Key": "k-1"})
    again = client.post(f"{API}/requests.json", data=form, headers={"Idempotency-Key": "k-1"})
    assert first.get_json()[0]["service_request_id"] == again.get_json()[0]["service_request_id"]
    assert first.get_json()[0]["token"] == again.get_json()[0]["token"]
    other = client.post(f"{API}/requests.json", data=form)
    assert other.get_json()[0]["service_request_id"] != first.get_json()[0]["service_request_id"]
    with core.uow() as uow:
        assert len(uow.session.scalars(select(Incident)).all()) == 2


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(("form", "status", "description"), [
    ({}, 403, "api_key is required"),
    ({"api_key": ""}, 403, "api_key is required"),
    ({"api_key": "o311_wrong"}, 403, "api_key is not valid"),
    ({"api_key": "KEY"}, 400, "service_code is required"),
    ({"api_key": "KEY", "service_code": "pizza", "lat": "10.8", "long": "105.3"}, 400,
     "service_code 'pizza' not found"),
    ({"api_key": "KEY", "service_code": "do_thi"}, 400,
     "a location is required: lat and long, address_string or address_id"),
    ({"api_key": "KEY", "service_code": "do_thi", "lat": "", "long": "", "address_string": ""},
     400, "a location is required: lat and long, address_string or address_id"),
    ({"api_key": "KEY", "service_code": "do_thi", "lat": "10.8"}, 400,
     "lat and long must be given together"),
    ({"api_key": "KEY", "service_code": "do_thi", "lat": "north", "long": "east"}, 400,
     "lat and long must be decimal degrees (WGS84)"),
    ({"api_key": "KEY", "service_code": "do_thi", "lat": "95", "long": "105.3"}, 400,
     "lat/long are not valid WGS84 coordinates"),
    ({"api_key": "KEY", "service_code": "do_thi", "lat": "21.03", "long": "105.85"}, 400,
     "lat/long are outside the service area of Hồng Ngự"),
    ({"api_key": "KEY", "service_code": "do_thi", "address_string": "x",
      "description": "d" * 4001}, 400, "description is longer than 4000 characters"),
    ({"api_key": "KEY", "service_code": "do_thi", "address_string": "x",
      "media_url": "javascript:alert(1)"}, 400,
     "media_url must be an http(s) URL of at most 1000 characters"),
    ({"api_key": "KEY", "service_code": "do_thi", "address_string": "x", "phone": "call me"},
     400, "phone is not a phone number"),
])
def test_post_errors(client, core: Core, api_key: str, fmt: str, form: dict, status: int,
                     description: str) -> None:
    data = {k: (api_key if v == "KEY" else v) for k, v in form.items()}
    res = client.post(f"{API}/requests.{fmt}", data=data)
    assert error_of(res, fmt) == (status, description)
    with core.uow() as uow:
        assert uow.session.scalars(select(Incident)).all() == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_paths_methods_and_formats(client, fmt: str) -> None:
    assert error_of(client.get(f"{API}/nothing.{fmt}"), fmt)[0] == 404
    assert error_of(client.delete(f"{API}/requests.{fmt}"), fmt) == (
        405, f"DELETE is not allowed on {API}/requests.{fmt}")
    assert error_of(client.post(f"{API}/services.{fmt}"), fmt)[0] == 405
    res = client.get(f"{API}/services.csv")
    assert error_of(res, "xml") == (400, "unsupported format '.csv': use .xml or .json")


def test_post_is_rate_limited_per_client(app, client, api_key: str) -> None:
    app.config["IOC_OPEN311_RATE_LIMIT"] = "2 per minute"
    form = {"api_key": api_key, "service_code": "do_thi", "address_string": "Bến xe",
            "description": "Ổ gà"}
    assert [client.post(f"{API}/requests.json", data=form).status_code for _ in range(2)] == [
        200, 200]
    limited = client.post(f"{API}/requests.xml", data=form)
    code, description = error_of(limited, "xml")
    assert code == 429 and "Too many requests" in description and "quá nhiều" in description
    assert client.get(f"{API}/requests.json").status_code == 200  # reads are not limited


def test_open311_needs_no_csrf_token_and_allows_cross_origin_reads(client, api_key: str) -> None:
    client.get("/citizen/")  # a session cookie exists, still no CSRF needed for the API
    res = client.post(f"{API}/requests.json", data={
        "api_key": api_key, "service_code": "do_thi", "address_string": "x", "description": "y"})
    assert res.status_code == 200
    assert client.get(f"{API}/services.json").headers["Access-Control-Allow-Origin"] == "*"
