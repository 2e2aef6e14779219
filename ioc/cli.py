"""The ``ioc`` command: run the processes and administer the system."""

from __future__ import annotations

import logging
import signal
import sys
import threading

import click

from ioc.config import Settings


def _settings() -> Settings:
    return Settings.from_env()


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("werkzeug", "engineio", "socketio", "amqtt", "transitions"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Debug logging.")
def main(verbose: bool) -> None:
    """IOC — the city's Intelligent Operations Center."""
    _setup_logging(verbose)


@main.command()
@click.option("--demo", is_flag=True, help="Also run the traffic simulator.")
@click.option("--rate", default=3.0, show_default=True, help="Demo messages per second.")
def up(demo: bool, rate: float) -> None:
    """Everything in one process: broker, ingest, SLA clock, web."""
    from ioc.processes import up as run_up

    run_up(_settings(), demo=demo, rate=rate)


@main.command()
def web() -> None:
    """The web app alone (development server; use gunicorn in production)."""
    from ioc.app import create_app

    settings = _settings()
    app = create_app(settings)
    app.extensions["ioc.socketio"].run(app, host=settings.host, port=settings.port,
                                       allow_unsafe_werkzeug=True, use_reloader=False)


@main.command()
@click.option("--client-id", default=None, help="MQTT client id (one per worker).")
def ingest(client_id: str | None) -> None:
    """An ingest worker: MQTT streams into the database."""
    from ingest.mqtt import parse_mqtt_url
    from ioc.core import build_core
    from ioc.processes import SlaClock, attach_redis_pusher, ensure_model, start_ingest

    settings = _settings()
    core = build_core(settings)
    ensure_model(core)
    attach_redis_pusher(core)
    worker = start_ingest(core, parse_mqtt_url(settings.effective_mqtt_url,
                                               settings.mqtt_protocol), client_id)
    clock = SlaClock(core).start()
    click.echo(f"ingest worker connected to {settings.effective_mqtt_url}", err=True)
    _wait_for_signal()
    clock.stop()
    worker.stop()


@main.command()
@click.option("--kind", default=None, help="auto, mosquitto or amqtt.")
def broker(kind: str | None) -> None:
    """The embedded MQTT broker alone, on IOC_BROKER_PORT."""
    from ingest.broker import ManagedBroker

    settings = _settings()
    managed = ManagedBroker(settings.broker_port, settings.instance_dir / "broker",
                            kind or settings.broker_kind)
    managed.start()
    click.echo(f"{managed.kind} broker on {managed.url}: {managed.guarantees}", err=True)
    _wait_for_signal()
    managed.stop()


@main.command()
@click.option("--rate", default=5.0, show_default=True, help="Messages per second.")
@click.option("--duration", default=None, type=float, help="Seconds (default: until Ctrl+C).")
@click.option("--mqtt-url", default=None, help="Broker URL (default: IOC_MQTT_URL or embedded).")
@click.option("--seed", default=None, type=int, help="Random seed for a repeatable run.")
@click.option("--malformed-rate", default=0.0, show_default=True, help="Share of broken messages.")
@click.option("--duplicate-rate", default=0.0, show_default=True, help="Share of replays.")
def simulate(rate: float, duration: float | None, mqtt_url: str | None, seed: int | None,
             malformed_rate: float, duplicate_rate: float) -> None:
    """Publish realistic mixed traffic (reports, hotline, counter, sensors)."""
    from ingest.mqtt import parse_mqtt_url
    from ingest.simulator.publisher import run_simulator

    settings = _settings()
    target = parse_mqtt_url(mqtt_url or settings.effective_mqtt_url, settings.mqtt_protocol)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stats = run_simulator(target, settings.topic_root, rate, duration, seed,
                          malformed_rate, duplicate_rate, stop)
    click.echo(f"sent {stats.sent} messages in {stats.seconds:.1f}s: "
               + ", ".join(f"{k}={v}" for k, v in sorted(stats.by_stream.items())))


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Migrate to the newest schema and load the taxonomy."""
    from ioc.processes import prepare_database

    settings = _settings()
    prepare_database(settings)
    click.echo(f"database ready: {_redact(settings.database_url)}")


@main.group()
def users() -> None:
    """Staff accounts."""


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "operator", "department", "leader"]),
              required=True)
@click.option("--department", default=None, help="Department code (department staff).")
@click.option("--full-name", default="", help="Display name.")
@click.password_option(help="Password (asked when omitted).")
def users_create(username: str, role: str, department: str | None, full_name: str,
                 password: str) -> None:
    """Create a staff account."""
    from ioc.core import build_core
    from ioc.services.users import create_user

    core = build_core(_settings(), load_model=False)
    try:
        with core.uow() as uow:
            try:
                user = create_user(uow, username, password, role, department, full_name)
            except ValueError as exc:
                raise click.ClickException(str(exc)) from None
            uow.commit()
            click.echo(f"created {user.role} '{user.username}'")
    finally:
        core.close()


@main.group()
def tokens() -> None:
    """API bearer tokens."""


@tokens.command("create")
@click.argument("username")
@click.option("--label", default="", help="What the token is for.")
def tokens_create(username: str, label: str) -> None:
    """Create a bearer token for USERNAME and print it (shown only once)."""
    from ioc.core import build_core
    from ioc.services.users import create_token, find_user

    core = build_core(_settings(), load_model=False)
    try:
        with core.uow() as uow:
            user = find_user(uow, username)
            if user is None:
                raise click.ClickException(f"no active user '{username}'")
            token = create_token(uow, user, label)
            uow.commit()
    finally:
        core.close()
    click.echo(token)


@main.group()
def open311() -> None:
    """Open311 GeoReport v2 client applications."""


@open311.command("keys-create")
@click.argument("name")
def open311_keys_create(name: str) -> None:
    """Create an API key for the application NAME and print it (shown only once)."""
    from ioc.core import build_core
    from ioc.services.apikeys import create_api_key

    core = build_core(_settings(), load_model=False)
    try:
        with core.uow() as uow:
            try:
                key = create_api_key(uow, name)
            except ValueError as exc:
                raise click.ClickException(str(exc)) from None
            uow.commit()
    finally:
        core.close()
    click.echo(key)


@main.group()
def sla() -> None:
    """The SLA clock."""


@sla.command("sweep")
def sla_sweep() -> None:
    """Run one SLA sweep now."""
    from ioc.core import build_core
    from ioc.processes import SlaClock

    core = build_core(_settings(), load_model=False)
    try:
        click.echo(f"{SlaClock(core).sweep_once()} incidents changed SLA state")
    finally:
        core.close()


def _corrections() -> list:
    from ioc.core import build_core
    from ioc.training import load_corrections

    core = build_core(_settings(), load_model=False)
    try:
        return load_corrections(core)
    finally:
        core.close()


def _model_dir():
    return _settings().model_dir


def _register_ml() -> None:
    try:
        from ml.cli import make_ml_group
    except ImportError as exc:  # the ml package is optional for the core commands
        logging.getLogger(__name__).debug("ml commands unavailable: %s", exc)
        return
    main.add_command(make_ml_group(_corrections, _model_dir), name="ml")


def _wait_for_signal() -> None:
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    while not stop.wait(1):
        pass


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


_register_ml()

if __name__ == "__main__":
    sys.exit(main())
