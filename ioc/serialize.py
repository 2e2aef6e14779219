"""Plain-dict views of the model, shared by events, the JSON API and exports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ioc.models import DeadLetter, Dossier, Incident, IncidentEvent


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with offset, or None."""
    return value.isoformat() if value is not None else None


def incident_summary(incident: Incident) -> dict[str, Any]:
    """What the console and live events need: no personal data."""
    return {
        "id": incident.id,
        "code": incident.code,
        "channel": incident.channel,
        "status": incident.status,
        "department": incident.department_code,
        "confidence": incident.routing_confidence,
        "urgent": incident.urgent,
        "sla_state": incident.sla_state,
        "ack_due_at": iso(incident.ack_due_at),
        "resolve_due_at": iso(incident.resolve_due_at),
        "lat": incident.lat,
        "lon": incident.lon,
        "ward": incident.ward,
        "text": incident.text,
        "address": incident.address,
        "reported_at": iso(incident.reported_at),
        "created_at": iso(incident.created_at),
        "updated_at": iso(incident.updated_at),
        "duplicate_of": incident.duplicate_of_id,
        "report_count": incident.report_count,
        "photo_count": len(incident.photos or ()),
    }


def incident_detail(incident: Incident) -> dict[str, Any]:
    """Everything staff may see about an incident, with its history."""
    data = incident_summary(incident)
    data.update(
        {
            "source_id": incident.source_id,
            "category_hint": incident.category_hint,
            "photos": list(incident.photos or ()),
            "reporter": {"name": incident.reporter_name, "phone": incident.reporter_phone},
            "routing_model": incident.routing_model,
            "acknowledged_at": iso(incident.acknowledged_at),
            "resolved_at": iso(incident.resolved_at),
            "closed_at": iso(incident.closed_at),
            "resolution_note": incident.resolution_note,
            "candidates": (incident.extra or {}).get("candidates", []),
            "events": [incident_event(e) for e in incident.events],
        }
    )
    return data


def incident_event(event: IncidentEvent) -> dict[str, Any]:
    """One history entry."""
    return {
        "at": iso(event.at),
        "actor": event.actor,
        "kind": event.kind,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "data": event.data or {},
    }


def dossier_dict(dossier: Dossier, with_events: bool = False) -> dict[str, Any]:
    """A dossier, optionally with its counter events."""
    data: dict[str, Any] = {
        "dossier_id": dossier.dossier_id,
        "procedure_code": dossier.procedure_code,
        "procedure_name": dossier.procedure_name,
        "field": dossier.field,
        "office": dossier.office,
        "channel": dossier.channel,
        "status": dossier.status,
        "received_at": iso(dossier.received_at),
        "due_at": iso(dossier.due_at),
        "resolved_at": iso(dossier.resolved_at),
        "returned_at": iso(dossier.returned_at),
        "is_late": dossier.is_late,
        "apology_due": dossier.apology_due,
    }
    if with_events:
        data["events"] = [
            {"id": e.message_id, "event": e.event, "at": iso(e.at)} for e in dossier.events
        ]
    return data


def dead_letter_dict(letter: DeadLetter) -> dict[str, Any]:
    """A dead letter as the API shows it."""
    return {
        "id": letter.id,
        "topic": letter.topic,
        "reason": letter.reason,
        "message_id": letter.message_id,
        "payload": letter.payload,
        "payload_encoding": letter.payload_encoding,
        "occurrences": letter.occurrences,
        "first_seen_at": iso(letter.first_seen_at),
        "last_seen_at": iso(letter.last_seen_at),
    }


def public_incident(incident: Incident, precision: int = 3) -> dict[str, Any]:
    """What anyone may see: no reporter, no phone, location rounded (~100 m)."""
    events = [
        {"at": iso(e.at), "kind": e.kind, "to_status": e.to_status}
        for e in incident.events
        if e.kind in {"created", "routed", "triaged", "reassigned", "acknowledged", "started",
                      "resolved", "closed", "reopened", "rejected", "duplicate", "rated"}
    ]
    return {
        "code": incident.code,
        "status": incident.status,
        "department": incident.department_code,
        "department_name": incident.department.name_vi if incident.department else None,
        "text": incident.text,
        "lat": round(incident.lat, precision) if incident.lat is not None else None,
        "lon": round(incident.lon, precision) if incident.lon is not None else None,
        "ward": incident.ward,
        "created_at": iso(incident.created_at),
        "resolved_at": iso(incident.resolved_at),
        "resolution_note": incident.resolution_note,
        "report_count": incident.report_count,
        "events": events,
    }
