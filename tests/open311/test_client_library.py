"""A round trip through real third-party Open311 clients from PyPI, used as their docs show.

- ``georeport`` (0.3.1, "Python wrapper for the Open311 GeoReport v2 API"): services,
  service definitions, request lists and single requests, in JSON *and* XML. It
  cannot create requests ("GeoReport does not currently support the creation of
  new 311 service requests").
- ``civicbot`` (0.4.0) ``Open311Client``: the only Python 3 client on PyPI that POSTs
  requests (and reads tokens); JSON only. Its write path needs ``dry_run=False``
  and ``confirm="SEND"``, as its README says.

The older ``open311`` (1.1) and ``three`` (0.8.0) packages are Python 2 only.
"""

from __future__ import annotations

import pytest

from ioc.actors import Actor
from ioc.core import Core
from ioc.services import incidents as actions
from ioc.services.incidents import get_incident
from tests.helpers import served

georeport = pytest.importorskip(
    "georeport", reason="the Open311 client 'georeport' is not installed (pip install georeport)")
civic_open311 = pytest.importorskip(
    "civicbot.open311", reason="the Open311 client 'civicbot' is not installed (pip install civicbot)")
civic_http = pytest.importorskip("civicbot.http")
civic_registry = pytest.importorskip("civicbot.registry")


def test_round_trip_through_open311_client_libraries(app, core: Core, api_key: str) -> None:
    with served(app) as server:
        root = f"{server.url}/open311/v2"
        endpoint = civic_registry.Endpoint(id="hong-ngu", name="Hồng Ngự IOC", base_url=root,
                                           write=True)
        transport = civic_http.HttpTransport(
            rate_limiter=civic_http.RateLimiter(min_interval=0.0))
        civic = civic_open311.Open311Client(endpoint, transport=transport)

        # discover and file a request (civicbot validates against the live service list)
        services = civic.list_services()
        assert "moi_truong" in {s["service_code"] for s in services}
        sent = civic.create_request(
            "moi_truong", dry_run=False, confirm="SEND", api_key=api_key, validate_remote=True,
            lat=10.8075, lng=105.3442, description="Đốt rác gây khói bụi cả xóm",
            first_name="Phạm", last_name="Thị Hoa", phone="0987 654 321")
        answer = sent.response[0]
        code, token = answer["service_request_id"], answer["token"]
        assert civic.get_token(token) == [{"service_request_id": code, "token": token}]
        mine = civic.get_request(code)
        assert mine["status"] == "open" and mine["description"] == "Đốt rác gây khói bụi cả xóm"
        assert mine["agency_responsible"] and mine["expected_datetime"]
        listed = civic.list_requests(service_request_ids=[code])
        assert [r["service_request_id"] for r in listed] == [code]
        with pytest.raises(civic_http.HttpError) as refused:
            civic.create_request("moi_truong", dry_run=False, confirm="SEND", api_key="o311_nope",
                                 address_string="x", description="y")
        assert refused.value.status == 403

        # read it back with georeport, in both formats
        for fmt in ("json", "xml"):
            client = georeport.GeoReport(root, output_format=fmt)
            names = [s["service_code"] for s in client.get_service_list()]
            assert names[:2] == ["do_thi", "moi_truong"]
            definition = client.get_service_definition("moi_truong")
            assert definition["service_code"] == "moi_truong"
            one = client.get_service_request(code)
            assert one["service_request_id"] == code and one["status"] == "open"
            found = client.get_service_requests(service_request_id=code, status="open")
            found = found if isinstance(found, list) else [found]  # xmltodict: one item = dict
            assert [r["service_request_id"] for r in found] == [code]

        # the department resolves it; every client sees it closed with the note
        with core.uow() as uow:
            incident = get_incident(uow, Actor("system"), code)
            if incident.department_code is None:  # the classifier left it for manual triage
                actions.triage(uow, core, incident, Actor("op", "operator"), "moi_truong")
            staff = Actor("nv", "department", incident.department_code)
            actions.acknowledge(uow, core, incident, staff)
            actions.resolve(uow, core, incident, staff, "Đã xử phạt và dọn sạch bãi rác")
            uow.commit()
        for fmt in ("json", "xml"):
            done = georeport.GeoReport(root, output_format=fmt).get_service_request(code)
            assert done["status"] == "closed"
            assert done["status_notes"] == "Đã xử phạt và dọn sạch bãi rác"
        closed = civic.list_requests(status="closed")
        assert code in [r["service_request_id"] for r in closed]
