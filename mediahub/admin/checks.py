"""The facts the health page and ``GET /api/v1/health`` show.

Each check returns a plain dict with ``ok`` and its figures; a failing check
says what failed instead of raising, so one broken part never hides the others.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import shutil
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import func, select, text

from mediahub.admin.models import WorkerHeartbeat
from mediahub.audio.ffmpeg import ffmpeg_path, version_banner
from mediahub.core.extensions import db
from mediahub.core.queue import huey
from mediahub.core.types import utcnow
from mediahub.storage import current_storage, new_key
from mediahub.transcripts.engine import unavailable
from mediahub.transcripts.model_files import DEFAULT_MODEL

log = logging.getLogger(__name__)

#: A worker silent for longer than this is shown as down.
HEARTBEAT_LIMIT = dt.timedelta(minutes=3)


def _failed(exc: Exception) -> dict[str, Any]:
    log.warning("health check failed: %s", exc)
    return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}


def database() -> dict[str, Any]:
    """Reachable? Which engine, and is the schema at the newest migration?"""

    try:
        db.session.execute(text("SELECT 1"))
        with db.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        directory = current_app.extensions["migrate"].directory
        head = ScriptDirectory(directory).get_current_head()
    except Exception as exc:
        db.session.rollback()
        return _failed(exc)
    return {
        "ok": current == head,
        "dialect": db.engine.dialect.name,
        "revision": current,
        "head": head,
        "at_head": current == head,
    }


def queue() -> dict[str, Any]:

    try:
        pending = huey.pending_count()
        scheduled = huey.scheduled_count()
    except Exception as exc:
        return _failed(exc)
    backend = "redis" if current_app.config["QUEUE_URL"] else "sqlite"
    if huey.immediate:
        backend = "immediate"
    return {"ok": True, "backend": backend, "pending": pending, "scheduled": scheduled}


def worker(now: dt.datetime | None = None) -> dict[str, Any]:
    """When a worker last said it was alive (a periodic task, every minute)."""

    now = now or utcnow()
    try:
        last = db.session.scalar(select(func.max(WorkerHeartbeat.seen_at)))
        count = db.session.scalar(
            select(func.count())
            .select_from(WorkerHeartbeat)
            .where(WorkerHeartbeat.seen_at >= now - HEARTBEAT_LIMIT)
        )
    except Exception as exc:
        db.session.rollback()
        return _failed(exc)
    if last is None:
        return {"ok": False, "last_seen_at": None, "seconds_ago": None, "alive_workers": 0}
    if last.tzinfo is None:  # max() bypasses the column type on some engines
        last = last.replace(tzinfo=dt.UTC)
    ago = max(0, int((now - last).total_seconds()))
    return {
        "ok": ago <= HEARTBEAT_LIMIT.total_seconds(),
        "last_seen_at": last.isoformat(),
        "seconds_ago": ago,
        "alive_workers": count,
    }


def storage() -> dict[str, Any]:
    """Write, read back and delete a tiny object."""
    payload = b"mediahub health probe"
    backend = current_app.config["MEDIA_BACKEND"]
    try:
        st = current_storage()
        key = new_key("health")
        st.save(key, io.BytesIO(payload), content_type="application/octet-stream")
        try:
            with st.open(key) as fh:
                same = fh.read() == payload
        finally:
            st.delete(key)
    except Exception as exc:
        return {**_failed(exc), "backend": backend}
    out: dict[str, Any] = {"ok": same, "backend": backend, "probe": "ok" if same else "mismatch"}
    if backend == "local":
        usage = shutil.disk_usage(current_app.config["MEDIA_ROOT"])
        out["free_bytes"] = usage.free
        out["total_bytes"] = usage.total
    return out


def ffmpeg() -> dict[str, Any]:

    try:
        path = ffmpeg_path()
        banner = version_banner(path, timeout=10)
    except Exception as exc:
        return _failed(exc)
    first = banner.splitlines()[0] if banner else ""
    version = first.removeprefix("ffmpeg version ").split(" ")[0]
    return {"ok": True, "path": path, "version": version}


def transcripts() -> dict[str, Any]:
    """Automatic transcripts are optional: off is no failure, but says why."""
    config = current_app.config
    model = config["TRANSCRIBE_MODEL"] or DEFAULT_MODEL
    if not config["TRANSCRIBE"]:
        return {"ok": True, "available": False, "model": model, "reason": "off (TRANSCRIBE)"}
    reason = unavailable(config["TRANSCRIBE_MODEL"])
    return {"ok": True, "available": reason is None, "model": model, "reason": reason}


def all_checks() -> dict[str, Any]:
    facts = {
        "database": database(),
        "queue": queue(),
        "worker": worker(),
        "storage": storage(),
        "ffmpeg": ffmpeg(),
        "transcripts": transcripts(),
    }
    return {"ok": all(f["ok"] for f in facts.values()), "checked_at": utcnow().isoformat(), **facts}
