"""Backups of a running hub, and bringing one back into a fresh installation.

A backup is a folder::

    manifest.json        what is inside: format, date, schema revision, counts
    database.sqlite3     SQLite's online backup: one consistent snapshot,
                         taken while web and worker go on writing
    media/<key>          every stored file the snapshot refers to (originals,
                         renditions, waveforms, pictures), read through the
                         storage backend, so local folders and S3 alike
    instance/            the installation's settings: mediahub.cfg, secret_key

The media files are copied after the snapshot, so a file the snapshot names
is either copied or was replaced in between (a new rendition); the manifest
lists those, and a restore hands their assets to processing again.

With PostgreSQL the database is dumped by ``pg_dump`` (the tool PostgreSQL's
own backups are made with); the backup then carries media and settings and
says which command to run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import or_, select, text

from mediahub.core.extensions import db
from mediahub.feeds.services import rebuild_all
from mediahub.media.models import MediaAsset
from mediahub.media.processing import request_reprocessing
from mediahub.storage import ObjectNotFound, StorageError, create_storage

MANIFEST = "manifest.json"
DATABASE = "database.sqlite3"
PG_DUMP = "database.pgdump"
MEDIA = "media"
INSTANCE = "instance"
FORMAT = 1
#: Installation settings worth keeping (the database, queue and unfinished
#: uploads in the instance folder are not settings).
INSTANCE_FILES = ("mediahub.cfg", "secret_key")
#: What the manifest counts, to be compared after a restore.
COUNTED = ("users", "groups", "memberships", "episodes", "posts", "media_assets", "feed_tokens")


class BackupError(Exception):
    """A backup or restore cannot be done; the message says why and what to do."""


@dataclass
class Report:
    """What a backup or restore did, for the command's output."""

    folder: Path
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    missing: list[str] = field(default_factory=list)
    hint: str | None = None


def sqlite_path(app: Flask) -> Path | None:
    """The database file, or None when the database is not SQLite."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite:///"):
        return None
    return Path(url.removeprefix("sqlite:///"))


def backup(app: Flask, dest: Path) -> Report:
    """Back the hub up into ``dest`` (a new or empty folder).

    Raises:
        BackupError: ``dest`` holds something already, or a file cannot be read.
    """
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty: give a new folder for the backup.")
    # Health data and the secret key: for the operator's eyes only.
    dest.mkdir(mode=0o700, parents=True, exist_ok=True)
    report = Report(dest)
    db_file = sqlite_path(app)
    if db_file is not None:
        _sqlite_snapshot(db_file, dest / DATABASE)
        manifest_db: dict[str, Any] = {"kind": "sqlite", "file": DATABASE}
        keys, report.counts, revision = _snapshot_facts(dest / DATABASE)
    else:
        report.hint = (
            "The database is PostgreSQL: dump it beside this backup with\n"
            f"  pg_dump --format=custom --no-owner --file {dest / PG_DUMP} "
            f"'{_without_password(app.config['DATABASE_URL'])}'"
        )
        manifest_db = {"kind": "postgresql", "file": PG_DUMP, "made_by": "pg_dump"}
        keys, report.counts, revision = _live_facts(app)
    _copy_instance(Path(app.instance_path), dest / INSTANCE)
    _copy_media(app, keys, dest / MEDIA, report)
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "schema_revision": revision,
        "database": manifest_db,
        "media_backend": app.config["MEDIA_BACKEND"],
        "counts": report.counts,
        "files": report.files,
        "bytes": report.bytes,
        "replaced_during_backup": report.missing,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return report


def _sqlite_snapshot(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy while others write (WAL)."""
    if not source.is_file():
        raise BackupError(f"There is no database at {source}.")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
        # One self-contained file (no -wal beside it), for copying anywhere.
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()
    target.chmod(0o600)


def _snapshot_facts(path: Path) -> tuple[list[str], dict[str, int], str | None]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return _facts(lambda sql: con.execute(sql).fetchall())
    finally:
        con.close()


def _live_facts(app: Flask) -> tuple[list[str], dict[str, int], str | None]:
    with app.app_context(), db.engine.connect() as conn:
        return _facts(lambda sql: list(conn.execute(text(sql))))


def _facts(query: Any) -> tuple[list[str], dict[str, int], str | None]:
    """The stored files' keys, the row counts and the schema revision."""
    keys = sorted(
        {
            key
            for row in query("SELECT original_key, rendition_key, peaks_key FROM media_assets")
            for key in row
            if key
        }
    )
    counts = {table: query(f"SELECT count(*) FROM {table}")[0][0] for table in COUNTED}  # noqa: S608 - fixed names
    revision = query("SELECT version_num FROM alembic_version")
    return keys, counts, revision[0][0] if revision else None


def _copy_instance(source: Path, target: Path) -> None:
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    for name in INSTANCE_FILES:
        with contextlib.suppress(FileNotFoundError):
            shutil.copy2(source / name, target / name)


def _copy_media(app: Flask, keys: list[str], target: Path, report: Report) -> None:
    storage = create_storage(app.config)
    for key in keys:
        path = target / key
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with storage.open(key) as src, open(path, "wb") as out:
                shutil.copyfileobj(src, out, 1024 * 1024)
        except ObjectNotFound:
            path.unlink(missing_ok=True)
            report.missing.append(key)
            continue
        except StorageError as err:
            raise BackupError(f"The stored file {key} cannot be read: {err}") from err
        report.files += 1
        report.bytes += path.stat().st_size


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}@{netloc}" if user else netloc))


def restore(app: Flask, source: Path) -> Report:
    """Bring the backup in ``source`` into this (fresh) installation.

    The database, the settings and every stored file; then the schema is
    brought up to date and the feed files are written again. Run it while
    neither web nor worker runs.

    Raises:
        BackupError: not a backup, or this installation already has a hub.
    """
    source = Path(source)
    manifest = _read_manifest(source)
    report = Report(source, counts=dict(manifest.get("counts", {})))
    db_file = sqlite_path(app)
    kind = manifest["database"]["kind"]
    if db_file is not None:
        if kind != "sqlite":
            raise BackupError(
                "This backup's database was made with pg_dump; restore it into PostgreSQL "
                f"(pg_restore --no-owner --dbname URL {source / PG_DUMP}) and set "
                "MEDIAHUB_DATABASE_URL, then run the restore again."
            )
        _refuse_existing_hub(db_file)
        _sqlite_restore(source / DATABASE, db_file)
    else:
        report.hint = (
            "The database is PostgreSQL: restore it first with\n"
            f"  pg_restore --no-owner --dbname '{_without_password(app.config['DATABASE_URL'])}' "
            f"{source / PG_DUMP}"
        )
    _restore_instance(source / INSTANCE, Path(app.instance_path))
    _restore_media(app, source / MEDIA, report)
    report.missing = list(manifest.get("replaced_during_backup", []))
    _bring_up_to_date(app, report.missing)
    return report


def _bring_up_to_date(app: Flask, missing: list[str]) -> None:
    """Migrate the restored database, hand assets whose renditions were
    replaced during the backup to processing again, and write the feeds."""
    with app.app_context():
        db.engine.dispose()  # connections opened before the file was replaced
        upgrade()
        if missing:
            stmt = select(MediaAsset).where(
                or_(MediaAsset.rendition_key.in_(missing), MediaAsset.peaks_key.in_(missing))
            )
            for asset in db.session.scalars(stmt):
                request_reprocessing(asset)
        db.session.commit()
        rebuild_all()


def _read_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (FileNotFoundError, NotADirectoryError):
        raise BackupError(f"{source} is not a MediaHub backup (no {MANIFEST}).") from None
    except ValueError:
        raise BackupError(f"{source / MANIFEST} is damaged.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source} was made by another version of MediaHub's backup.")
    return manifest


def _refuse_existing_hub(db_file: Path) -> None:
    if not db_file.exists():
        return
    con = sqlite3.connect(db_file)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        people = con.execute("SELECT count(*) FROM users").fetchone()[0] if "users" in tables else 0
    finally:
        con.close()
    if people:
        raise BackupError(
            f"{db_file} already holds a hub ({people} people). Restore into a fresh "
            "installation, or move that database away first."
        )


def _sqlite_restore(backup_file: Path, db_file: Path) -> None:
    if not backup_file.is_file():
        raise BackupError(f"{backup_file} is missing from the backup.")
    db_file.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    dst = sqlite3.connect(db_file)
    try:
        with dst:
            src.backup(dst)
        if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{backup_file} is damaged (SQLite's integrity check failed).")
    finally:
        dst.close()
        src.close()


def _restore_instance(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name in INSTANCE_FILES:
        if (source / name).is_file():
            shutil.copy2(source / name, target / name)
            os.chmod(target / name, 0o600)


def _restore_media(app: Flask, source: Path, report: Report) -> None:
    storage = create_storage(app.config)
    if not source.is_dir():
        return
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        key = path.relative_to(source).as_posix()
        try:
            storage.put_file(key, path)
        except StorageError as err:  # a malformed key included
            raise BackupError(f"{key} cannot be stored: {err}") from err
        report.files += 1
        report.bytes += path.stat().st_size
