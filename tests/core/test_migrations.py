"""Alembic migrations: the schema they build is the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from ioc.db import Base
from ioc.schema import downgrade, upgrade


def test_migrated_database_matches_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"


def test_upgrade_and_downgrade_round_trip(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'mig.sqlite3'}"
    upgrade(url)
    engine = create_engine(url)
    assert {"incidents", "incident_events", "dossiers", "dead_letters"} <= set(
        inspect(engine).get_table_names())
    downgrade(url, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(url)
    assert "incidents" in inspect(engine).get_table_names()
    engine.dispose()
