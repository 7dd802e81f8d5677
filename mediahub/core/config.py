"""Configuration keys, declared once with their defaults.

Layers, later wins: these defaults → ``instance/mediahub.cfg`` (a Python
file) → ``MEDIAHUB_*`` environment variables → the mapping given to
``create_app`` (tests).  Every key is documented here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Config, Flask

from mediahub.core.config_checks import (
    ConfigError,
    check_stats,
    check_values,
    refuse_generated_secret,
)

__all__ = ["DEFAULTS", "ConfigError", "load_config"]

#: Environment variables with this prefix override config keys.
ENV_PREFIX = "MEDIAHUB_"


DEFAULTS: dict[str, Any] = {
    # "development" relaxes cookie security (plain http on localhost) and
    # prints mails to the log; anything else is treated as production.
    "ENV": "production",
    # Secret for sessions and CSRF. Unset on one machine: a random key is
    # generated once and kept in instance/secret_key. Required (start-up
    # error) as soon as several machines may serve the hub (PostgreSQL, a
    # Redis queue or S3 configured): they must all sign with the same key.
    "SECRET_KEY": None,
    # Absolute URL the hub is reached at; used for links in feeds, mails and
    # the API when there is no request (worker, CLI).
    "BASE_URL": "http://127.0.0.1:5000",
    "HUB_NAME": "MediaHub",
    # The hub's contact address: itunes:owner and podcast:locked in every
    # podcast feed (Apple mails it to confirm ownership). Unset: left out.
    "CONTACT_EMAIL": None,
    # SQLAlchemy URL; unset means a SQLite file in the instance folder.
    "DATABASE_URL": None,
    # "redis://…" for Huey on Redis; unset means Huey on a SQLite file.
    "QUEUE_URL": None,
    # Run tasks inline (tests and one-off scripts only).
    "QUEUE_IMMEDIATE": False,
    # Media storage: "local" (MEDIA_ROOT) or "s3" (S3_* keys).
    "MEDIA_BACKEND": "local",
    "MEDIA_ROOT": None,  # default: <project>/media
    # default: <project>/feeds (with the bucket as FEEDS_STORE: each web
    # machine's copies of the feeds it read, in FEEDS_ROOT/kept)
    "FEEDS_ROOT": None,
    # Where feed files are published: "local" (FEEDS_ROOT) or "s3" (the media
    # bucket, under FEEDS_S3_PREFIX, read by every web machine). Unset: "s3"
    # with the S3 media backend, else "local".
    "FEEDS_STORE": None,
    "FEEDS_S3_PREFIX": "feeds",
    # A web process answers a public feed from what it found for this long,
    # then looks again (the bucket: a conditional GET; FEEDS_ROOT: a stat),
    # so a new or removed feed shows within this time.
    "FEEDS_REVALIDATE_SECONDS": 1.0,
    # The sitemap index (which numbered sitemap files have pages, and their
    # newest change) is counted over every published item: each web process
    # counts it at most once in this many seconds (0: on every request). It
    # names no page, only files; the files themselves are always current.
    "SITEMAP_INDEX_MAX_AGE": 300,
    # Behind nginx: an internal location prefix (e.g. "/_internal/"). Local
    # media files are then answered with an X-Accel-Redirect header to
    # "<prefix>media/<key>" and nginx sends the bytes (ranges included);
    # unset: the application sends them itself.
    "FEEDS_ACCEL_REDIRECT_PREFIX": None,
    # Failed look-ups of secret addresses per client: private feeds, their
    # media and artwork, post pictures, invitation, unsubscribe and email
    # confirmation links (mediahub/guessing.py). Only failures count: a valid
    # address is always answered, also to a client over the limit. Guessing
    # 128+ bits is hopeless anyway; this keeps scanners out of logs and database.
    "SECRET_GUESS_LIMIT": "30 per minute; 300 per day",
    # WebSub hubs told about changed public feeds, e.g.
    # ["https://pubsubhubbub.appspot.com/"]; empty: no hub is ever contacted.
    "WEBSUB_HUBS": [],
    "S3_BUCKET": None,
    "S3_PREFIX": "",
    "S3_ENDPOINT_URL": None,
    "S3_REGION": None,
    "S3_ACCESS_KEY_ID": None,
    "S3_SECRET_ACCESS_KEY": None,
    "S3_PUBLIC_BASE_URL": None,
    "S3_PRESIGN_EXPIRES": 3600,
    # Largest request body; audio uploads are the big ones (2 GiB).
    "MAX_CONTENT_LENGTH": 2 * 1024**3,
    "MAX_AUDIO_BYTES": 2 * 1024**3,
    "MAX_AUDIO_SECONDS": 6 * 3600,
    # Where the pieces of resumable uploads collect until complete (never
    # served): "folder" (UPLOAD_TEMP_DIR; share it between web machines) or
    # "s3" (multipart parts in the media bucket). Unset: "s3" with the S3
    # media backend, else "folder".
    "UPLOAD_PIECES": None,
    # The folder of "folder" pieces; default <instance>/uploads.
    "UPLOAD_TEMP_DIR": None,
    # An unfinished upload is removed this long after its last bytes arrived.
    "UPLOAD_EXPIRES_HOURS": 24,
    # Form fields are small; Werkzeug keeps larger parts in temp files.
    "MAX_FORM_MEMORY_SIZE": 2 * 1024**2,
    # Largest JSON request body (the longest blog post fits several times).
    "MAX_JSON_BYTES": 2 * 1024**2,
    # Argon2id profile: "rfc9106_low_memory" (64 MiB, t=3, p=4; above OWASP's
    # minimum of 19 MiB, t=2, p=1) or "cheapest" (tests only).
    "PASSWORD_HASH_PROFILE": "rfc9106_low_memory",
    "PASSWORD_MIN_LENGTH": 10,
    # Login attempts per client address and per account; the same numbers
    # limit the password checks of logged-in people (password and email
    # changes, account deletion).
    "LOGIN_RATE_LIMIT": "10 per minute; 50 per hour",
    "LOGIN_ACCOUNT_RATE_LIMIT": "5 per minute; 30 per hour",
    # Requests to change one's email address per account (each one mails the
    # address given).
    "EMAIL_CHANGE_RATE_LIMIT": "3 per hour; 10 per day",
    # Links to set a new password (a forgotten one) asked for per client
    # address and per email address asked about, known or not (each request
    # may mail the address; the web page and the API share these budgets).
    "PASSWORD_RESET_RATE_LIMIT": "10 per hour; 30 per day",
    "PASSWORD_RESET_ADDRESS_RATE_LIMIT": "3 per hour; 6 per day",
    # Flask-Limiter storage; unset: the queue's Redis if any (so the budgets
    # hold across web machines), else memory. While it is unreachable each
    # machine counts in memory.
    "RATELIMIT_STORAGE_URI": None,
    # Prefix of the limiter's keys in that storage (hubs sharing one Redis
    # need different ones).
    "RATELIMIT_KEY_PREFIX": "mediahub",
    # Log lines on standard output: "text", or "json" (one object a line,
    # for log collectors).
    "LOG_FORMAT": "text",
    # GET /metrics (Prometheus): with a token, only for "Authorization:
    # Bearer <token>"; without, only for requests made straight to the server
    # (not through a proxy) from these networks.
    "METRICS_TOKEN": None,
    "METRICS_ALLOW_FROM": ["127.0.0.0/8", "::1/128"],
    # Web server processes and threads per process of `mediahub run` and
    # `mediahub web`; 0 processes: one per core, at least two.
    "WEB_WORKERS": 0,
    "WEB_THREADS": 8,
    "REMEMBER_COOKIE_DURATION_DAYS": 30,
    "PERMANENT_SESSION_LIFETIME_HOURS": 12,
    # Language of the interface: German first, English second.
    "LANGUAGES": ["de", "en"],
    "BABEL_DEFAULT_LOCALE": "de",
    # The hub's time zone: dates on pages, and the days statistics count in.
    "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
    # Audio pipeline targets (EBU R128).
    "AUDIO_TARGET_LUFS_STEREO": -16.0,
    "AUDIO_TARGET_LUFS_MONO": -19.0,
    "AUDIO_TRUE_PEAK_DBTP": -1.0,
    "AUDIO_BITRATE_STEREO_KBPS": 128,
    "AUDIO_BITRATE_MONO_KBPS": 64,
    "AUDIO_SAMPLE_RATE": 44100,
    # A media asset in "processing" without heartbeat for this long is
    # considered abandoned (worker killed) and re-enqueued.
    "AUDIO_STALE_AFTER_SECONDS": 120,
    "AUDIO_MAX_ATTEMPTS": 5,
    # Automatic transcripts (mediahub/transcripts/), made by the worker on this
    # machine; off by themselves when the `transcribe` extra is not installed.
    # The speech model: empty for Whisper base from the installed wheels, the
    # name of another packaged model, or a directory in faster-whisper's
    # format (e.g. a converted Whisper small for hubs with more CPU).
    "TRANSCRIBE_MODEL": "",
    # false: no automatic transcripts on this hub at all (groups may also
    # switch them off for themselves).
    "TRANSCRIBE": True,
    # Where packaged models are joined into one file; default <instance>/models.
    "TRANSCRIBE_CACHE": None,
    # "auto" (a CUDA GPU when CTranslate2 sees one), "cpu" or "cuda"; CPU
    # threads (0: one per core).
    "TRANSCRIBE_DEVICE": "auto",
    "TRANSCRIBE_THREADS": 0,
    # A transcript "running" without heartbeat for this long is re-enqueued;
    # after this many attempts it fails with a message.
    "TRANSCRIBE_STALE_AFTER_SECONDS": 120,
    "TRANSCRIBE_MAX_ATTEMPTS": 3,
    # Clips: each shape is one ffmpeg process, killed after this long or
    # beyond this much resident memory; a clip "rendering" without heartbeat
    # for CLIP_STALE_AFTER_SECONDS is handed to the queue again.
    "CLIP_RENDER_TIMEOUT_S": 600,
    "CLIP_RENDER_MAX_MEMORY_MB": 800,
    "CLIP_STALE_AFTER_SECONDS": 120,
    "CLIP_MAX_ATTEMPTS": 3,
    # Fediverse: requests to other servers only go to public addresses;
    # tests federate two servers on 127.0.0.1 and switch this on. Never in
    # production.
    "FEDIVERSE_ALLOW_PRIVATE_ADDRESSES": False,
    # Incoming activities: at most this many bytes, this many per minute
    # from one server (Flask-Limiter syntax).
    "FEDIVERSE_MAX_ACTIVITY_BYTES": 256 * 1024,
    "FEDIVERSE_INBOX_RATE_LIMIT": "120/minute",
    # Delivery attempts per inbox before a delivery is given up.
    "FEDIVERSE_DELIVERY_ATTEMPTS": 8,
    # Load demo content on `mediahub run` when the database is empty.
    "DEMO": False,
    # Outgoing mail (notifications, invitations), sent by the worker over SMTP.
    # Unset MAIL_SERVER, or ENV=development: mails are written to the log
    # instead (in development with their text, otherwise only who and what).
    "MAIL_SERVER": None,
    "MAIL_PORT": 587,
    # STARTTLS on a plain connection (port 587) or TLS from the start (465);
    # certificates are always verified.
    "MAIL_USE_TLS": True,
    "MAIL_USE_SSL": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    # "Name <address>"; unset: "<HUB_NAME> <noreply@host of BASE_URL>".
    "MAIL_DEFAULT_SENDER": None,
    # Seconds to wait for the mail server before the task retries.
    "MAIL_TIMEOUT": 30,
    # Days an emailed group invitation link stays valid.
    "INVITATION_DAYS": 7,
    # Reverse proxies in front of the application that add the client's
    # address to X-Forwarded-For (nginx, a load balancer: usually 1). The
    # client address is taken from that many hops back, never from a header
    # a client could set itself. 0: the direct peer is the client.
    "TRUSTED_PROXIES": 0,
    # Listener statistics (mediahub/stats): downloads and feed fetches
    # counted by the IAB rules, without storing addresses or user agents.
    "STATS_ENABLED": True,
    # Recorded requests wait in memory this many seconds at most before they
    # are written in one batch (a crash loses at most these seconds).
    "STATS_FLUSH_SECONDS": 2.0,
    # Days raw events (no personal data) are kept, so that figures can be
    # counted again (``mediahub stats rollup --rebuild``); daily figures stay.
    "STATS_RAW_DAYS": 30,
    # Record the country of each download (offline table, code only).
    "STATS_COUNTRIES": False,
    # "redis://…": web machines push raw events to this Redis and the worker
    # moves them into the database; unset: written to the database directly.
    "STATS_BUFFER_URL": None,
}

#: Keys whose environment value is parsed as JSON (numbers, booleans, lists).
_TYPED = {k for k, v in DEFAULTS.items() if isinstance(v, bool | int | float | list)}


def load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Fill ``app.config`` from all layers and derive the Flask settings.

    Raises:
        ConfigError: when a value cannot work (named in the message).
    """
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("mediahub.cfg", silent=True)
    for name, raw in os.environ.items():
        if name.startswith(ENV_PREFIX):
            key = name.removeprefix(ENV_PREFIX)
            app.config[key] = _parse_env(key, raw)
    if overrides:
        app.config.update(overrides)
    _derive(app)


def _parse_env(key: str, raw: str) -> Any:
    if key not in _TYPED:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        raise ConfigError(
            f"{ENV_PREFIX}{key} must be JSON (a number, true/false or a list), got {raw!r}"
        ) from None


def _derive(app: Flask) -> None:
    _derive_paths(app)
    check_values(app.config)
    check_stats(app.config)
    _derive_defaults(app.config)
    _fixed_settings(app.config)


def _derive_paths(app: Flask) -> None:
    cfg = app.config
    root = Path(app.root_path).parent
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    cfg["DEBUG"] = cfg.get("DEBUG", False)
    if not cfg["SECRET_KEY"]:
        refuse_generated_secret(cfg)
        cfg["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    if not cfg["DATABASE_URL"]:
        cfg["DATABASE_URL"] = f"sqlite:///{instance / 'mediahub.db'}"
    cfg["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(cfg["DATABASE_URL"])
    cfg.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    cfg["MEDIA_ROOT"] = str(cfg["MEDIA_ROOT"] or root / "media")
    cfg["FEEDS_ROOT"] = str(cfg["FEEDS_ROOT"] or root / "feeds")
    cfg["UPLOAD_TEMP_DIR"] = str(cfg["UPLOAD_TEMP_DIR"] or instance / "uploads")
    cfg["TRANSCRIBE_CACHE"] = str(cfg["TRANSCRIBE_CACHE"] or instance / "models")
    # The catalogs ship inside the package (compiled .mo files are committed).
    cfg["BABEL_TRANSLATION_DIRECTORIES"] = str(Path(app.root_path) / "translations")


def _derive_defaults(cfg: Config) -> None:
    if not cfg["MAIL_DEFAULT_SENDER"]:
        host = urlsplit(cfg["BASE_URL"]).hostname or "localhost"
        cfg["MAIL_DEFAULT_SENDER"] = f"{cfg['HUB_NAME']} <noreply@{host}>"
    if not cfg["RATELIMIT_STORAGE_URI"]:
        cfg["RATELIMIT_STORAGE_URI"] = cfg["QUEUE_URL"] or "memory://"
    shared = "s3" if cfg["MEDIA_BACKEND"] == "s3" else None
    cfg["FEEDS_STORE"] = cfg["FEEDS_STORE"] or shared or "local"
    cfg["UPLOAD_PIECES"] = cfg["UPLOAD_PIECES"] or shared or "folder"
    for key, allowed in (("FEEDS_STORE", ("local", "s3")), ("UPLOAD_PIECES", ("folder", "s3"))):
        if cfg[key] not in allowed or (cfg[key] == "s3" and cfg["MEDIA_BACKEND"] != "s3"):
            raise ConfigError(
                f"MEDIAHUB_{key} must be one of {', '.join(allowed)} "
                "('s3' only with the S3 media backend)"
            )
    if cfg["LOG_FORMAT"] not in ("text", "json"):
        raise ConfigError("MEDIAHUB_LOG_FORMAT must be 'text' or 'json'")


def _fixed_settings(cfg: Config) -> None:
    is_dev = cfg["ENV"] == "development"
    secure = not is_dev and cfg["BASE_URL"].startswith("https://")
    cfg.update(
        SESSION_COOKIE_NAME="mediahub_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_NAME="mediahub_remember",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_DURATION=dt.timedelta(days=cfg["REMEMBER_COOKIE_DURATION_DAYS"]),
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=cfg["PERMANENT_SESSION_LIFETIME_HOURS"]),
        WTF_CSRF_TIME_LIMIT=None,  # tied to the session instead of a clock
        PREFERRED_URL_SCHEME="https" if cfg["BASE_URL"].startswith("https://") else "http",
        RATELIMIT_HEADERS_ENABLED=True,
        # Redis down: count per machine instead of failing every limited request.
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        API_TITLE="MediaHub API",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {
                "description": "Publishing for self-help groups: groups, episodes, posts "
                "and their review. Authenticate with a personal access "
                "token from POST /api/v1/tokens.\n\n"
                "Input: JSON bodies of at most MAX_JSON_BYTES (2 MB) and 32 levels; "
                "NaN, Infinity and 1e400 are refused (400 bad_json). Every text is "
                "stored without NUL, lone surrogates and other characters XML 1.0 "
                "cannot carry, in Unicode NFC, and at most maxLength characters. "
                "Integers are whole JSON numbers within minimum and maximum, booleans "
                "true or false (in multipart fields: their JSON spelling); dates carry "
                "a time zone and lie between 2000 and 2099; URLs are http(s) with an "
                "IDNA host. Pictures have at most 50 megapixels. Anything else is a 422 "
                "naming the field."
            },
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearerAuth": []}],
        },
    )


def _normalise_db_url(url: str) -> str:
    # SQLAlchemy needs the driver named; people paste plain postgres URLs.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _instance_secret(path: Path) -> str:
    """Read the installation's random secret, creating it on first start."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process (web or worker) was first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
