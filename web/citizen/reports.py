"""Report submission: the PWA's form (or its offline queue) becomes an incident.

The report goes through the same core service as MQTT field reports
(``record_reports``, channel ``field_report``), so routing, SLA and duplicate
detection are the same. The phone chooses the id (``client_id``, a UUID): a
queued report sent twice (Background Sync and the page both retrying) still
makes one incident, and the second answer carries the same tracking code.
Every input is checked before anything is stored; a refused photo stores
nothing, and files written for a transaction that fails are removed again.
"""

from __future__ import annotations

import logging
import math
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Response, jsonify, redirect, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage, MultiDict

from ioc.core import Core
from ioc.db import utcnow
from ioc.geo import haversine_m
from ioc.models import Incident
from ioc.services.intake import NewReport, record_reports
from ioc.uploads import (
    CleanImage,
    UploadRefused,
    inspect_image,
    photo_store,
    photo_url,
    store_photo,
)
from web.citizen import bp
from web.citizen.common import FormError, fail, wants_json
from web.citizen.i18n import t
from web.context import core
from web.i18n import get_lang

log = logging.getLogger(__name__)

CHANNEL = "field_report"
MAX_TEXT = 2000
MAX_ADDRESS = 500
MAX_NAME = 200
MAX_PHONE = 40
SERVICE_RADIUS_KM = 100.0
PHONE_RE = re.compile(r"^\+?[0-9 ().-]{6,40}$")
CLIENT_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,100}$")


@dataclass(frozen=True)
class ReportForm:
    """A checked submission, not yet stored."""

    client_id: str
    text: str
    lat: float | None
    lon: float | None
    location_source: str | None
    address: str | None
    category: str | None
    name: str | None
    phone: str | None
    reported_at: datetime
    photo: bytes | None


@bp.post("/report")
def submit_report() -> Response:
    """File a report; JSON ``{code, status_url, ...}`` for the PWA, else a redirect to the status page."""
    c = core()
    try:
        form = parse_form(c, request.form, request.files)
        code, created = file_report(c, form)
    except UploadRefused as exc:
        return fail(exc.status, exc.message(get_lang()))
    except FormError as exc:
        if not wants_json():
            from web.citizen.pages import report_page

            return report_page(error=exc.message(), status=exc.status)
        return fail(exc.status, exc.message())
    status_url = url_for("citizen.track_page", code=code)
    if not wants_json():
        return redirect(status_url, code=303)
    response = jsonify({"code": code, "status_url": status_url, "created": created,
                        "client_id": form.client_id})
    response.status_code = 201 if created else 200
    return response


def parse_form(c: Core, form: MultiDict[str, str], files: MultiDict[str, FileStorage]) -> ReportForm:
    """Check every field; FormError names the first problem."""
    text = " ".join((form.get("text") or "").split())
    if not text:
        raise FormError("text_required")
    if len(text) > MAX_TEXT:
        raise FormError("text_too_long", n=MAX_TEXT)
    client_id = (form.get("client_id") or "").strip() or str(uuid.uuid4())
    if not CLIENT_ID_RE.match(client_id):
        raise FormError("client_id_invalid")
    lat, lon = _coordinates(c, form.get("lat"), form.get("lon"))
    address = _optional(form, "address", MAX_ADDRESS)
    category = _optional(form, "category", 32)
    if category and c.taxonomy.get(category) is None:
        raise FormError("category_invalid")
    phone = _optional(form, "phone", MAX_PHONE)
    if phone and not PHONE_RE.match(phone):
        raise FormError("phone_invalid")
    photo = files.get("photo")
    raw = photo.read() if photo is not None and photo.filename else None
    source = form.get("location_source")
    return ReportForm(
        client_id=client_id, text=text, lat=lat, lon=lon,
        location_source=source if source in {"gps", "map"} and lat is not None else None,
        address=address, category=category, name=_optional(form, "name", MAX_NAME),
        phone=phone, reported_at=_reported_at(form.get("reported_at")), photo=raw or None,
    )


def _optional(form: MultiDict[str, str], field: str, limit: int) -> str | None:
    value = " ".join((form.get(field) or "").split())
    if len(value) > limit:
        raise FormError("field_too_long", field=t(f"{field}_label"), n=limit)
    return value or None


def _coordinates(c: Core, raw_lat: str | None, raw_lon: str | None) -> tuple[float | None, float | None]:
    raw_lat, raw_lon = (raw_lat or "").strip(), (raw_lon or "").strip()
    if not raw_lat and not raw_lon:
        return None, None
    try:
        lat, lon = float(raw_lat), float(raw_lon)
    except ValueError:
        raise FormError("location_invalid") from None
    check_location(c, lat, lon)
    return lat, lon


def check_location(c: Core, lat: float, lon: float) -> None:
    """FormError unless the point is a real place within the city's service area."""
    if not (math.isfinite(lat) and math.isfinite(lon)) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise FormError("location_invalid")
    if (lat == 0 and lon == 0) or haversine_m(lat, lon, c.city.lat, c.city.lon) > SERVICE_RADIUS_KM * 1000:
        raise FormError("location_invalid")


def _reported_at(raw: str | None) -> datetime:
    """When the citizen filed it (an offline report is sent later); now if absent or absurd."""
    now = utcnow()
    try:
        value = datetime.fromisoformat((raw or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return now
    if value.tzinfo is None or not (now - timedelta(days=7) <= value <= now + timedelta(minutes=5)):
        return now
    return min(value, now)


def file_report(c: Core, form: ReportForm) -> tuple[str, bool]:
    """Store the report; return (tracking code, created). A replayed client_id returns the first code."""
    existing = _existing_code(c, form.client_id)
    if existing:
        return existing, False
    image: CleanImage | None = inspect_image(form.photo) if form.photo else None
    lat, lon, location_source = form.lat, form.lon, form.location_source
    if lat is None and image is not None and image.gps is not None:
        try:
            check_location(c, *image.gps)
            lat, lon = image.gps
            location_source = "exif"
        except FormError:
            log.info("EXIF position of a citizen photo is outside the city; ignored")
    if lat is None and not form.address:
        raise FormError("location_required")
    store = photo_store(c.settings)
    key: str | None = None
    try:
        with c.uow() as uow:
            upload = store_photo(uow, store, image, "citizen") if image is not None else None
            key = upload.key if upload is not None else None
            result = record_reports(uow, c, [NewReport(
                channel=CHANNEL, source_id=form.client_id, text=form.text,
                reported_at=form.reported_at, lat=lat, lon=lon, address=form.address,
                category_hint=form.category, photos=(photo_url(key),) if key else (),
                reporter_name=form.name, reporter_phone=form.phone,
                extra={"client": "citizen-pwa",
                       "location_source": location_source or ("address" if lat is None else "gps")},
            )])
            if not result.created:  # replayed between our check and now
                raise IntegrityError("replay", None, ValueError("replay"))
            incident = result.created[0]
            if upload is not None:
                upload.incident_id = incident.id
            code = incident.code
            uow.commit()
    except IntegrityError:
        if key:
            store.remove(key)
        existing = _existing_code(c, form.client_id)
        if existing:
            return existing, False
        raise
    except BaseException:
        if key:
            store.remove(key)
        raise
    log.info("citizen report %s filed as %s", form.client_id, code)
    return code, True


def _existing_code(c: Core, client_id: str) -> str | None:
    with c.uow() as uow:
        return uow.session.scalar(select(Incident.code).where(
            Incident.channel == CHANNEL, Incident.source_id == client_id))
