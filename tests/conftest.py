"""Fixtures: settings, database, trained model, core, app, brokers, MQTT clients,
the app served for real and headless Chromium."""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete

from ingest.broker import ManagedBroker, find_mosquitto
from ingest.mqtt import MqttTarget, parse_mqtt_url
from ioc.config import Settings
from ioc.core import Core, build_core
from ioc.db import Base
from ioc.processes import prepare_database
from tests.helpers import CHROMIUM_ARGS, served
from tests.services import LiveServer, free_port, temporary_database

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch folder for the whole session."""
    return tmp_path_factory.mktemp("ioc")


@pytest.fixture(scope="session")
def database_url(session_dir: Path) -> Iterator[str]:
    """A migrated database for the session (SQLite, or PostgreSQL in CI)."""
    with temporary_database(session_dir) as url:
        base = Settings.from_env({}, instance_dir=session_dir, database_url=url)
        prepare_database(base)
        yield url


@pytest.fixture(scope="session")
def model_dir(session_dir: Path) -> Path:
    """A routing model trained once per session from the shipped corpus."""
    from ml.store import ModelStore

    path = session_dir / "models"
    ModelStore(path).ensure_model()
    return path


@pytest.fixture(scope="session")
def embedded_broker(session_dir: Path) -> Iterator[ManagedBroker | None]:
    """The broker `ioc up` would start, on a free port; None when IOC_MQTT_URL is set."""
    if os.environ.get("IOC_MQTT_URL"):
        yield None
        return
    broker = ManagedBroker(free_port(), session_dir / "broker")
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture(scope="session")
def mqtt_target(embedded_broker: ManagedBroker | None) -> MqttTarget:
    """Where the suite's MQTT traffic goes."""
    if embedded_broker is None:
        return parse_mqtt_url(os.environ["IOC_MQTT_URL"],
                              os.environ.get("IOC_MQTT_PROTOCOL", "5"))
    return parse_mqtt_url(embedded_broker.url, embedded_broker.protocol)


@pytest.fixture
def mosquitto(tmp_path: Path) -> Iterator[ManagedBroker]:
    """A private Mosquitto with the project's no-drop settings (for zero-loss tests)."""
    if find_mosquitto() is None:
        pytest.skip("mosquitto is not installed: zero-loss tests need it (apt install mosquitto)")
    broker = ManagedBroker(free_port(), tmp_path / "mosquitto", kind="mosquitto")
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def topic_root() -> str:
    """A topic root of this test's own, so tests sharing a broker never see each other."""
    return f"ioc-test/{uuid.uuid4().hex[:10]}/v1"


@pytest.fixture
def settings(session_dir: Path, database_url: str, model_dir: Path, topic_root: str,
             mqtt_target: MqttTarget, tmp_path: Path) -> Settings:
    """Settings of one test: shared database (emptied per test), own topic root."""
    return Settings.from_env(
        {},
        instance_dir=tmp_path,
        database_url=database_url,
        model_dir=model_dir,
        topic_root=topic_root,
        mqtt_url=f"mqtt://{mqtt_target.host}:{mqtt_target.port}",
        mqtt_protocol=mqtt_target.protocol,
        # Socket.IO's test client cannot run over a message queue: the tests
        # that exercise Redis ask for it (``redis_url`` fixture).
        redis_url="",
        ingest_client_id=f"ioc-ingest-{uuid.uuid4().hex[:8]}",
        secret_key="test-secret",
        testing=True,
    )


@pytest.fixture
def redis_url() -> str:
    """IOC_REDIS_URL when CI runs against Redis, else ''."""
    return os.environ.get("IOC_REDIS_URL", "")


@pytest.fixture
def core(settings: Settings) -> Iterator[Core]:
    """A Core on the test database, emptied before the test (departments reloaded)."""
    c = build_core(settings)
    _empty_database(c)
    yield c
    c.close()


def _empty_database(core: Core) -> None:
    from ioc.services.departments import sync_departments

    with core.uow() as uow:
        for table in reversed(Base.metadata.sorted_tables):
            uow.session.execute(delete(table))
        sync_departments(uow, core.taxonomy)
        uow.commit()


@pytest.fixture
def app(settings: Settings, core: Core):
    """The Flask app on the test core."""
    from ioc.app import create_app

    application = create_app(settings, core)
    yield application
    application.extensions["ioc.pusher"].stop()


@pytest.fixture
def client(app):
    """Flask test client."""
    return app.test_client()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of Debian's Chromium, or skip browser tests with the reason."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("Chromium is not installed (apt install chromium): browser test skipped")
    return path


@pytest.fixture
def browser(chromium_path: str) -> Iterator:
    """Headless Debian Chromium driven by Playwright (skipped without Playwright)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    """The test app served for real on a free port (for Chromium and Socket.IO clients)."""
    with served(app) as server:
        yield server


@pytest.fixture
def raising(app):
    """``raising(exc, prefix)``: a new URL whose view raises ``exc`` (for the HTTP errors no
    view raises yet); call it before the app's first request."""
    routes = itertools.count()

    def make(exc: Exception, prefix: str = "/thu-loi") -> str:
        n = next(routes)

        def view():
            raise exc

        app.add_url_rule(f"{prefix}/{n}", f"raising_{n}", view)
        return f"{prefix}/{n}"

    return make
