"""Open311 GeoReport v2 endpoints under /open311/v2/ (``.xml`` and ``.json``).

Reads are public and carry no personal data. ``POST requests`` needs an
``api_key`` (form body or query string; ``ioc open311 keys-create NAME``)
and creates the incident through the same intake service as every other
channel (channel ``open311``), so it is routed, given its SLA and checked
for duplicates at once; the answer carries the tracking code as
``service_request_id`` and a ``token`` usable with ``tokens/<token>``.
"""

from __future__ import annotations

import logging
import math
import re
import uuid
from typing import Any

from flask import Response, current_app, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.exceptions import MethodNotAllowed, NotFound

from ioc.db import utcnow
from ioc.geo import haversine_m
from ioc.models import Incident
from ioc.services.apikeys import check_api_key
from ioc.services.intake import NewReport, record_reports
from web.citizen.public import PUBLIC_CHANNELS, original_code
from web.context import core
from web.open311 import bp
from web.open311.formats import Open311Error, check_format, respond
from web.open311.mapping import (
    CHANGESET,
    MAX_RESULTS,
    SPEC_URL,
    csv,
    param,
    parse_time,
    service,
    service_definition,
    service_request,
    statuses,
    time_window,
)

log = logging.getLogger(__name__)

CHANNEL = "open311"
MAX_DESCRIPTION = 4000  # the spec's limit
SERVICE_RADIUS_KM = 100.0
TOKEN_NAMESPACE = uuid.UUID("6f1d2a4e-5b0c-4c1e-9a57-0e3c1b2d7f10")
CODE_RE = re.compile(r"^[A-Za-z0-9]{2,8}-[A-Za-z0-9]{3,12}$")


def _fmt(fmt: str) -> str:
    return check_format(fmt.lower())


@bp.get("/discovery.<fmt>")
def discovery(fmt: str) -> Response:
    """Where the API is, which formats it speaks, and how to get a key."""
    fmt = _fmt(fmt)
    city = core().city.name
    return respond(fmt, "discovery", {
        "changeset": CHANGESET,
        "contact": f"Trung tâm Điều hành thông minh {city} / {city} Intelligent Operations Center",
        "key_service": "Xin khóa API tại Trung tâm Điều hành / Ask the operations center for an "
                       "api_key (ioc open311 keys-create NAME)",
        "endpoints": [{
            "specification": SPEC_URL,
            "url": request.url_root.rstrip("/") + url_for("open311.services", fmt="xml").rsplit("/", 1)[0],
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    })


@bp.get("/services.<fmt>")
def services(fmt: str) -> Response:
    """Every service (one per department)."""
    fmt = _fmt(fmt)
    return respond(fmt, "services", [service(d) for d in core().taxonomy.departments])


@bp.get("/services/<code>.<fmt>")
def service_show(code: str, fmt: str) -> Response:
    """A service's definition (404 for an unknown service_code)."""
    fmt = _fmt(fmt)
    dep = core().taxonomy.get(code)
    if dep is None:
        raise Open311Error(404, f"service_code '{code}' not found")
    return respond(fmt, "service_definition", service_definition(dep))


@bp.get("/requests.<fmt>")
def requests_list(fmt: str) -> Response:
    """Service requests: by id list, or filtered (at most 90 days and 1,000 requests)."""
    fmt = _fmt(fmt)
    c = core()
    args = request.args
    ids = csv(param(args, "service_request_id"))
    stmt = select(Incident)
    if ids:  # "this overrides all other arguments"
        stmt = stmt.where(Incident.code.in_([i.upper() for i in ids[:MAX_RESULTS]]))
    else:
        codes = csv(param(args, "service_code"))
        unknown = [code for code in codes if c.taxonomy.get(code) is None]
        if unknown:
            raise Open311Error(400, f"unknown service_code: {', '.join(unknown)}")
        start, end = time_window(parse_time("start_date", param(args, "start_date")),
                                 parse_time("end_date", param(args, "end_date")), utcnow())
        stmt = stmt.where(Incident.channel.in_(PUBLIC_CHANNELS),
                          Incident.created_at >= start, Incident.created_at <= end)
        if codes:
            stmt = stmt.where(Incident.department_code.in_(codes))
        wanted = statuses(param(args, "status"))
        if wanted:
            stmt = stmt.where(Incident.status.in_(wanted))
    with c.uow() as uow:
        rows = uow.session.scalars(
            stmt.order_by(Incident.created_at.desc(), Incident.id.desc()).limit(MAX_RESULTS))
        items = [service_request(c, i, request.url_root, original_code(uow.session, i))
                 for i in rows]
    return respond(fmt, "service_requests", items)


@bp.get("/requests/<request_id>.<fmt>")
def request_show(request_id: str, fmt: str) -> Response:
    """One service request, as a one-item list (404 when unknown)."""
    fmt = _fmt(fmt)
    c = core()
    if not CODE_RE.match(request_id):
        raise Open311Error(404, f"service_request_id '{request_id}' not found")
    with c.uow() as uow:
        incident = uow.session.scalar(select(Incident).where(Incident.code == request_id.upper()))
        if incident is None:
            raise Open311Error(404, f"service_request_id '{request_id}' not found")
        item = service_request(c, incident, request.url_root, original_code(uow.session, incident))
    return respond(fmt, "service_requests", [item])


@bp.get("/tokens/<token>.<fmt>")
def token_show(token: str, fmt: str) -> Response:
    """The service_request_id a token (from POST requests) became."""
    fmt = _fmt(fmt)
    c = core()
    with c.uow() as uow:
        code = uow.session.scalar(select(Incident.code).where(
            Incident.channel == CHANNEL, Incident.source_id == token))
    if code is None:
        raise Open311Error(404, f"token '{token}' not found")
    return respond(fmt, "service_requests", [{"service_request_id": code, "token": token}])


@bp.post("/requests.<fmt>")
def request_create(fmt: str) -> Response:
    """Create a service request (api_key required)."""
    fmt = _fmt(fmt)
    c = core()
    values = CombinedMultiDict([request.form, request.args])
    raw_key = param(values, "api_key")
    if raw_key is None:
        raise Open311Error(403, "api_key is required")
    with c.uow() as uow:
        key = check_api_key(uow, raw_key)
        if key is None:
            raise Open311Error(403, "api_key is not valid")
        key_id = key.id
    report = _new_report(values, key_id)
    notice = None
    try:
        with c.uow() as uow:
            created = record_reports(uow, c, [report]).created
            if created:
                code = created[0].code
                notice = service_request(c, created[0], request.url_root)["service_notice"]
            uow.commit()
    except IntegrityError:  # the same Idempotency-Key sent twice at the same moment
        created = []
    if not created:
        code = _code_for(report.source_id)
    log.info("open311 request %s from key %s (%s)", code, key_id,
             "created" if created else "replayed")
    return respond(fmt, "service_requests", [{
        "service_request_id": code, "token": report.source_id,
        "service_notice": notice, "account_id": param(values, "account_id"),
    }])


def _code_for(source_id: str) -> str:
    with core().uow() as uow:
        return uow.session.scalar(select(Incident.code).where(
            Incident.channel == CHANNEL, Incident.source_id == source_id)) or ""


def _new_report(values: Any, key_id: int) -> NewReport:
    """Check the POST parameters; Open311Error(400) names the first problem."""
    c = core()
    code = param(values, "service_code")
    if code is None:
        raise Open311Error(400, "service_code is required")
    dep = c.taxonomy.get(code)
    if dep is None:
        raise Open311Error(400, f"service_code '{code}' not found")
    lat, lon = _location(param(values, "lat"), param(values, "long"))
    address = param(values, "address_string") or param(values, "address_id")
    if lat is None and address is None:
        raise Open311Error(400, "a location is required: lat and long, address_string or address_id")
    description = param(values, "description")
    if description and len(description) > MAX_DESCRIPTION:
        raise Open311Error(400, f"description is longer than {MAX_DESCRIPTION} characters")
    media = param(values, "media_url")
    if media and (len(media) > 1000 or not media.startswith(("http://", "https://"))):
        raise Open311Error(400, "media_url must be an http(s) URL of at most 1000 characters")
    name = " ".join(filter(None, (param(values, "first_name"), param(values, "last_name"))))
    phone = param(values, "phone")
    if phone and (len(phone) > 40 or not re.match(r"^\+?[0-9 ().-]{3,40}$", phone)):
        raise Open311Error(400, "phone is not a phone number")
    if address and len(address) > 500:
        raise Open311Error(400, "address_string is longer than 500 characters")
    extra = {k: param(values, k) for k in ("email", "device_id", "account_id") if param(values, k)}
    extra.update({k: v for k, v in values.items(multi=False)
                  if k.startswith("attribute[") and v and len(extra) < 50})
    extra["api_key_id"] = key_id
    return NewReport(
        channel=CHANNEL, source_id=_token(key_id), text=description or dep.name_vi,
        reported_at=utcnow(), lat=lat, lon=lon, address=address[:500] if address else None,
        category_hint=code, photos=(media,) if media else (),
        reporter_name=name[:200] or None, reporter_phone=phone, extra=extra,
    )


def _token(key_id: int) -> str:
    """A fresh token, or a stable one when the client sent ``Idempotency-Key`` (a retry)."""
    given = (request.headers.get("Idempotency-Key") or "").strip()
    if given:
        if len(given) > 200:
            raise Open311Error(400, "Idempotency-Key is longer than 200 characters")
        return str(uuid.uuid5(TOKEN_NAMESPACE, f"{key_id}:{given}"))
    return str(uuid.uuid4())


def _location(raw_lat: str | None, raw_lon: str | None) -> tuple[float | None, float | None]:
    if raw_lat is None and raw_lon is None:
        return None, None
    if raw_lat is None or raw_lon is None:
        raise Open311Error(400, "lat and long must be given together")
    try:
        lat, lon = float(raw_lat), float(raw_lon)
    except ValueError:
        raise Open311Error(400, "lat and long must be decimal degrees (WGS84)") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise Open311Error(400, "lat/long are not valid WGS84 coordinates")
    city = core().city
    if haversine_m(lat, lon, city.lat, city.lon) > SERVICE_RADIUS_KM * 1000:
        raise Open311Error(400, f"lat/long are outside the service area of {city.name}")
    return lat, lon


@bp.route("/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(rest: str) -> Response:
    """Anything else under /open311/: 404 (or 405 for a known path), in the spec's error format."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    for method in ("GET", "POST"):
        try:
            endpoint, _ = adapter.match(request.path, method=method)
        except (MethodNotAllowed, NotFound):
            continue
        if endpoint != "open311.unknown" and method != request.method:
            raise Open311Error(405, f"{request.method} is not allowed on {request.path}")
    raise Open311Error(404, f"no such Open311 resource: {request.path}")
