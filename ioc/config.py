"""Settings read from ``IOC_*`` environment variables, with safe defaults.

One ``Settings`` object is built at start-up and handed to whatever needs it
(app factory, ingest worker, CLI); nothing reads the environment elsewhere.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = PROJECT_ROOT / "config"


def _env_bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Everything the processes need to know about their surroundings."""

    instance_dir: Path = field(default_factory=lambda: Path.cwd() / "instance")
    database_url: str = ""
    mqtt_url: str = ""  # empty: the embedded broker managed by `ioc up`
    mqtt_protocol: str = "5"  # "5" or "3.1.1"
    redis_url: str = ""
    host: str = "127.0.0.1"
    port: int = 5000
    secret_key: str = ""
    taxonomy_path: Path = CONFIG_DIR / "taxonomy.yaml"
    wards_path: Path = CONFIG_DIR / "wards.yaml"
    broker_port: int = 1884
    broker_kind: str = "auto"  # auto | mosquitto | amqtt
    topic_root: str = "ioc/v1"
    ingest_client_id: str = field(default_factory=lambda: f"ioc-ingest-{socket.gethostname()}")
    ingest_share_group: str = ""  # e.g. "ioc-ingest" for scale-out behind a shared subscription
    ingest_batch_size: int = 500
    ingest_batch_wait_ms: int = 50
    max_payload_bytes: int = 64 * 1024
    model_dir: Path | None = None
    routing_threshold: float = 0.45
    routing_processes: int = 1  # ingest: classify in a child process (0: in the worker)
    duplicate_radius_m: float = 150.0
    duplicate_window_h: float = 24.0
    duplicate_min_similarity: float = 0.35
    sla_sweep_seconds: float = 30.0
    sla_at_risk_fraction: float = 0.75
    timezone: str = "Asia/Ho_Chi_Minh"
    tile_url: str = ""  # map tiles, e.g. a city tile server; empty: plain background
    tile_attribution: str = ""
    secure_cookies: bool = False  # set behind HTTPS
    report_rate_limit: str = "10/minute;60/hour"
    open311_rate_limit: str = "30/minute;300/hour"
    proxy_hops: int = 0  # reverse proxies in front of the web app (X-Forwarded-For)
    testing: bool = False

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``env`` (default ``os.environ``) plus explicit overrides."""
        env = dict(os.environ if env is None else env)
        get = env.get
        instance = Path(get("IOC_INSTANCE_DIR") or Path.cwd() / "instance")
        values: dict[str, Any] = {
            "instance_dir": instance,
            "database_url": get("IOC_DATABASE_URL", ""),
            "mqtt_url": get("IOC_MQTT_URL", ""),
            "mqtt_protocol": get("IOC_MQTT_PROTOCOL", "5"),
            "redis_url": get("IOC_REDIS_URL", ""),
            "host": get("IOC_HOST", "127.0.0.1"),
            "port": int(get("IOC_PORT", "5000")),
            "secret_key": get("IOC_SECRET_KEY", ""),
            "broker_port": int(get("IOC_BROKER_PORT", "1884")),
            "broker_kind": get("IOC_BROKER", "auto"),
            "topic_root": get("IOC_TOPIC_ROOT", "ioc/v1").strip("/"),
            "ingest_share_group": get("IOC_INGEST_SHARE_GROUP", ""),
            "routing_threshold": float(get("IOC_ROUTING_THRESHOLD", "0.45")),
            "routing_processes": int(get("IOC_ROUTING_PROCESSES", "1")),
            "timezone": get("IOC_TIMEZONE", "Asia/Ho_Chi_Minh"),
            "tile_url": get("IOC_TILE_URL", ""),
            "tile_attribution": get("IOC_TILE_ATTRIBUTION", ""),
            "secure_cookies": _env_bool(get("IOC_SECURE_COOKIES"), False),
            "report_rate_limit": get("IOC_REPORT_RATE_LIMIT", "10/minute;60/hour"),
            "open311_rate_limit": get("IOC_OPEN311_RATE_LIMIT", "30/minute;300/hour"),
            "proxy_hops": int(get("IOC_PROXY_HOPS", "0")),
            "testing": _env_bool(get("IOC_TESTING"), False),
        }
        if get("IOC_INGEST_CLIENT_ID"):
            values["ingest_client_id"] = get("IOC_INGEST_CLIENT_ID", "")
        if get("IOC_TAXONOMY"):
            values["taxonomy_path"] = Path(get("IOC_TAXONOMY", ""))
        if get("IOC_WARDS"):
            values["wards_path"] = Path(get("IOC_WARDS", ""))
        if get("IOC_MODEL_DIR"):
            values["model_dir"] = Path(get("IOC_MODEL_DIR", ""))
        values.update(overrides)
        return cls(**values).resolved()

    def resolved(self) -> Settings:
        """Fill the defaults that depend on other settings (paths, generated key)."""
        updates: dict[str, Any] = {}
        if not self.database_url:
            updates["database_url"] = f"sqlite:///{self.instance_dir / 'ioc.sqlite3'}"
        if self.model_dir is None:
            updates["model_dir"] = self.instance_dir / "models"
        if not self.secret_key:
            updates["secret_key"] = _instance_secret(self.instance_dir)
        return replace(self, **updates) if updates else self

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with some values replaced."""
        return replace(self, **overrides)

    @property
    def embedded_broker(self) -> bool:
        """True when `ioc up` must start its own broker."""
        return not self.mqtt_url

    @property
    def effective_mqtt_url(self) -> str:
        """The broker URL the processes connect to."""
        return self.mqtt_url or f"mqtt://127.0.0.1:{self.broker_port}"


def _instance_secret(instance_dir: Path) -> str:
    """A per-installation secret kept in the instance folder, so sessions survive restarts."""
    path = instance_dir / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        instance_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        path.write_text(key)
        path.chmod(0o600)
        return key
