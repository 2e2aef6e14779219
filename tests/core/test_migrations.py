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


def test_search_text_is_backfilled_for_incidents_stored_before_it(tmp_path) -> None:
    from sqlalchemy import text

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0001")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO incidents (id, code, channel, source_id, text, address, photos, urgent,"
            " status, sla_state, sla_started_at, reported_at, created_at, updated_at,"
            " report_count, extra) VALUES (7, 'PA2611-AAAAAA', 'hotline', 'h-7',"
            " 'ĐÈN ĐƯỜNG hư', 'Hẻm 3 Nguyễn Huệ', '[]', 0, 'new', 'on_time',"
            " '2026-11-20 01:00:00.000000', '2026-11-20 01:00:00.000000',"
            " '2026-11-20 01:00:00.000000', '2026-11-20 01:00:00.000000', 1, '{}')"))
    upgrade(url)
    with engine.connect() as conn:
        folded = conn.execute(text("SELECT search_text FROM incidents WHERE id = 7")).scalar()
    engine.dispose()
    assert folded == "den duong hu\nhem 3 nguyen hue"
