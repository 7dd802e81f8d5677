"""The start-up checks of the configuration (mediahub.core.config): a value
that cannot work stops the start with a message naming the setting."""

from __future__ import annotations

import zoneinfo

from flask import Config


class ConfigError(RuntimeError):
    """Raised at start-up when the configuration cannot work."""


def refuse_generated_secret(cfg: Config) -> None:
    """Several machines need one key: never generate one per machine."""
    shared = [
        name
        for name, is_set in (
            (
                "PostgreSQL",
                bool(cfg["DATABASE_URL"]) and not cfg["DATABASE_URL"].startswith("sqlite"),
            ),
            ("a Redis queue", bool(cfg["QUEUE_URL"])),
            ("S3 storage", cfg["MEDIA_BACKEND"] == "s3"),
        )
        if is_set
    ]
    if shared:
        raise ConfigError(
            f"MEDIAHUB_SECRET_KEY must be set: with {' and '.join(shared)} several machines "
            "may serve this hub, and all of them must sign logins and forms with the same "
            "key. Make one with `python3 -c 'import secrets; print(secrets.token_urlsafe(48))'` "
            "and give it to every machine."
        )


def check_values(cfg: Config) -> None:
    cfg["BASE_URL"] = cfg["BASE_URL"].rstrip("/")
    if not cfg["BASE_URL"].startswith(("http://", "https://")):
        raise ConfigError("MEDIAHUB_BASE_URL must start with http:// or https://")
    if cfg["MEDIA_BACKEND"] not in {"local", "s3"}:
        raise ConfigError("MEDIAHUB_MEDIA_BACKEND must be 'local' or 's3'")
    if cfg["QUEUE_URL"] and not cfg["QUEUE_URL"].startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError("MEDIAHUB_QUEUE_URL must be a redis:// URL")
    hubs = cfg["WEBSUB_HUBS"]
    if not isinstance(hubs, list) or not all(
        isinstance(h, str) and h.startswith(("http://", "https://")) for h in hubs
    ):
        raise ConfigError("MEDIAHUB_WEBSUB_HUBS must be a list of http(s):// URLs")
    accel = cfg["FEEDS_ACCEL_REDIRECT_PREFIX"]
    if accel and not (accel.startswith("/") and accel.endswith("/")):
        raise ConfigError("MEDIAHUB_FEEDS_ACCEL_REDIRECT_PREFIX must start and end with '/'")
    if cfg["MAIL_USE_TLS"] and cfg["MAIL_USE_SSL"]:
        raise ConfigError(
            "MEDIAHUB_MAIL_USE_TLS (STARTTLS, port 587) and MEDIAHUB_MAIL_USE_SSL "
            "(port 465) exclude each other; set one of them to false"
        )


def _whole(cfg: Config, key: str, low: int, high: int) -> None:
    value = cfg[key]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"MEDIAHUB_{key} must be a whole number from {low} to {high}")


def check_stats(cfg: Config) -> None:
    _whole(cfg, "TRUSTED_PROXIES", 0, 10)
    _whole(cfg, "STATS_RAW_DAYS", 1, 3650)
    flush = cfg["STATS_FLUSH_SECONDS"]
    if isinstance(flush, bool) or not isinstance(flush, int | float) or not 0.05 <= flush <= 60:
        raise ConfigError("MEDIAHUB_STATS_FLUSH_SECONDS must be a number from 0.05 to 60")
    buffer = cfg["STATS_BUFFER_URL"]
    if buffer and not buffer.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError("MEDIAHUB_STATS_BUFFER_URL must be a redis:// URL")
    try:
        zoneinfo.ZoneInfo(cfg["BABEL_DEFAULT_TIMEZONE"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ConfigError(
            "MEDIAHUB_BABEL_DEFAULT_TIMEZONE must name a time zone, e.g. Europe/Berlin"
        ) from None
