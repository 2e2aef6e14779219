"""The core context: settings, database, event bus, taxonomy, city, routing.

Built once per process by ``build_core`` and handed to services, the web app
and the ingest worker; it holds no global state of its own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from ioc.config import Settings
from ioc.db import Database
from ioc.events import EventBus
from ioc.geo import City, load_city
from ioc.routing import RoutingService
from ioc.taxonomy import Taxonomy, load_taxonomy
from ioc.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


@dataclass
class Core:
    """Everything a service needs besides its session."""

    settings: Settings
    db: Database
    bus: EventBus
    taxonomy: Taxonomy
    city: City
    routing: RoutingService
    models: Any = None  # ml.store.ModelStore when a model directory is configured
    extras: dict[str, Any] = field(default_factory=dict)

    def uow(self) -> UnitOfWork:
        """A new unit of work on this core's database and bus."""
        return UnitOfWork(self.db, self.bus)

    def close(self) -> None:
        """Release database connections."""
        self.db.dispose()


def build_core(settings: Settings, *, load_model: bool = True, bus: EventBus | None = None) -> Core:
    """Wire a Core from settings. The model store is opened lazily by ``ml``."""
    taxonomy = load_taxonomy(settings.taxonomy_path)
    db = Database(settings.database_url)
    store = None
    if load_model and settings.model_dir is not None:
        from ml.store import ModelStore

        store = ModelStore(settings.model_dir, threshold=settings.routing_threshold)
    provider = store.current if store is not None else (lambda: None)
    routing = RoutingService(provider, set(taxonomy.codes))
    return Core(
        settings=settings,
        db=db,
        bus=bus or EventBus(),
        taxonomy=taxonomy,
        city=load_city(settings.wards_path),
        routing=routing,
        models=store,
    )
