"""Routing labels chosen by people, as training examples for the classifier."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ioc.core import Core
from ioc.models import RoutingLabel


def load_corrections(core: Core) -> list[Any]:
    """Every triage and reassignment decision as an ``ml.types.LabelledExample``.

    The newest label per incident wins (an incident reassigned twice teaches
    only its final department).
    """
    from ml.types import LabelledExample

    latest: dict[int, RoutingLabel] = {}
    with core.uow() as uow:
        for label in uow.session.scalars(select(RoutingLabel).order_by(RoutingLabel.id)):
            latest[label.incident_id] = label
    return [LabelledExample(text=lab.text, department=lab.department_code)
            for lab in latest.values()]
