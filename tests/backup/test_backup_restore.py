"""A backup of a running hub, restored into a fresh folder, holds the whole hub."""

from __future__ import annotations

import io
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from mediahub import create_app
from mediahub.accounts.models import HubRole, User
from mediahub.accounts.services import create_user
from mediahub.backup import services as backup
from mediahub.core.extensions import db
from mediahub.episodes.models import Episode
from mediahub.episodes.services import create_episode
from mediahub.groups.models import Group
from mediahub.groups.services import create_group, set_member
from mediahub.media.models import AssetKind, AssetState, MediaAsset
from mediahub.posts.models import Post
from mediahub.posts.services import create_post
from mediahub.storage.current import current_storage as storage

PASSWORD = "correct horse battery"


def config(root: Path, **extra: Any) -> dict[str, Any]:
    return {
        "INSTANCE_PATH": str(root / "instance"),
        "DATABASE_URL": f"sqlite:///{root / 'instance' / 'mediahub.db'}",
        "MEDIA_ROOT": str(root / "media"),
        "FEEDS_ROOT": str(root / "feeds"),
        "BASE_URL": "http://hub.test",
        "QUEUE_IMMEDIATE": True,
        "PASSWORD_HASH_PROFILE": "cheapest",
        "RATELIMIT_STORAGE_URI": "memory://",
        "TESTING": True,
        **extra,
    }


def make_hub(root: Path) -> Any:
    """A small hub on its own SQLite file: people, groups, episodes with files, posts."""
    (root / "instance").mkdir(parents=True)
    (root / "instance" / "mediahub.cfg").write_text('HUB_NAME = "Kontaktstelle Nord"\n')
    app = create_app(config(root))
    with app.app_context():
        upgrade()
        admin = create_user("admin@example.org", "Ada", PASSWORD, HubRole.ADMIN)
        member = create_user("mira@example.org", "Mira", PASSWORD, HubRole.NONE)
        for n in range(3):
            group = create_group({"slug": f"kreis-{n}", "name": f"Gesprächskreis {n}"})
            set_member(group, member.email, "manager")
            for e in range(2):
                episode = create_episode(group, member, {"title": f"Folge {e} in Kreis {n}"})
                st = storage()
                original = st.save(
                    f"originals/t/{n}-{e}.wav", io.BytesIO(b"RIFF" + bytes([n, e]) * 500)
                )
                rendition = st.save(
                    f"renditions/t/{n}-{e}.mp3", io.BytesIO(b"ID3" + bytes([e]) * 900)
                )
                episode.audio = MediaAsset(
                    kind=AssetKind.EPISODE_AUDIO,
                    status=AssetState.READY,
                    storage_backend="local",
                    original_key=original.key,
                    original_size=original.size,
                    original_sha256=original.sha256,
                    rendition_key=rendition.key,
                    rendition_size=rendition.size,
                    rendition_sha256=rendition.sha256,
                    content_type="audio/mpeg",
                    duration_s=3.0,
                )
            create_post(group, admin, {"title": f"Beitrag {n}", "body": "Hallo"})
        db.session.commit()
    return app


def hub_facts(app: Any) -> dict[str, Any]:
    with app.app_context():
        st = storage()
        files = {}
        for asset in db.session.scalars(select(MediaAsset)):
            for key in (asset.original_key, asset.rendition_key):
                with st.open(key) as fh:
                    files[key] = fh.read()
        return {
            "people": sorted(db.session.scalars(select(User.email))),
            "groups": sorted(db.session.scalars(select(Group.slug))),
            "episodes": sorted(db.session.scalars(select(Episode.title))),
            "posts": sorted(db.session.scalars(select(Post.title))),
            "files": files,
        }


def log_in(app: Any, email: str) -> int:
    client = app.test_client()
    resp = client.post("/api/v1/tokens", json={"email": email, "password": PASSWORD})
    return resp.status_code


def test_restore_into_a_fresh_folder_finds_every_group_episode_file_and_login(tmp_path):
    source = make_hub(tmp_path / "a")
    before = hub_facts(source)
    report = backup.backup(source, tmp_path / "backup")
    assert report.files == 12
    assert report.counts["episodes"] == 6
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database"]["kind"] == "sqlite"
    assert manifest["schema_revision"]

    fresh = create_app(config(tmp_path / "b"))
    restored = backup.restore(fresh, tmp_path / "backup")
    assert restored.files == 12
    assert hub_facts(fresh) == before
    assert log_in(fresh, "mira@example.org") == 201
    assert log_in(fresh, "admin@example.org") == 201
    # Settings came along: a new app on that instance folder reads them.
    again = create_app(config(tmp_path / "b"))
    assert again.config["HUB_NAME"] == "Kontaktstelle Nord"
    feed = tmp_path / "b" / "feeds" / "public" / "kreis-1" / "podcast.xml"
    assert "Gesprächskreis 1" in feed.read_text()  # the feeds were written again


def test_backup_is_consistent_while_the_hub_writes(tmp_path):
    source = make_hub(tmp_path / "a")
    stop = threading.Event()
    written = []

    def writer() -> None:
        with source.app_context():
            group = db.session.scalar(select(Group).limit(1))
            while not stop.is_set():
                create_post(group, None, {"title": f"Live {len(written)}", "body": "x" * 5000})
                db.session.commit()
                written.append(1)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            stop.wait(0.01)
        backup.backup(source, tmp_path / "backup")
    finally:
        stop.set()
        thread.join()
    con = sqlite3.connect(tmp_path / "backup" / "database.sqlite3")
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        live = con.execute("SELECT count(*) FROM posts WHERE title LIKE 'Live %'").fetchone()[0]
    finally:
        con.close()
    assert 5 <= live <= len(written)


def test_a_rendition_replaced_during_the_backup_is_processed_again(tmp_path, monkeypatch):
    source = make_hub(tmp_path / "a")
    facts = backup._snapshot_facts

    def snapshot_then_replace(path: Path) -> Any:
        keys, counts, revision = facts(path)
        (tmp_path / "a" / "media" / "renditions" / "t" / "0-0.mp3").unlink()  # a worker's re-encode
        return keys, counts, revision

    monkeypatch.setattr(backup, "_snapshot_facts", snapshot_then_replace)
    report = backup.backup(source, tmp_path / "backup")
    assert report.missing == ["renditions/t/0-0.mp3"]

    fresh = create_app(config(tmp_path / "b", QUEUE_IMMEDIATE=False))
    backup.restore(fresh, tmp_path / "backup")
    with fresh.app_context():
        states = db.session.execute(select(MediaAsset.rendition_key, MediaAsset.status)).all()
    assert {key: state for key, state in states}["renditions/t/0-0.mp3"] == AssetState.UPLOADED
    assert sum(state == AssetState.READY for _k, state in states) == 5


def test_restore_refuses_an_installation_that_has_a_hub(tmp_path):
    source = make_hub(tmp_path / "a")
    backup.backup(source, tmp_path / "backup")
    other = make_hub(tmp_path / "c")
    with pytest.raises(backup.BackupError, match="already holds a hub"):
        backup.restore(other, tmp_path / "backup")
    with other.app_context():
        assert db.session.scalar(select(func.count()).select_from(Group)) == 3


def test_backup_needs_a_new_folder_and_restore_a_backup(tmp_path):
    source = make_hub(tmp_path / "a")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.backup(source, tmp_path / "full")
    with pytest.raises(backup.BackupError, match="not a MediaHub backup"):
        backup.restore(create_app(config(tmp_path / "b")), tmp_path / "full")


def test_postgresql_backups_name_the_pg_dump_command(tmp_path, monkeypatch):
    source = make_hub(tmp_path / "a")
    monkeypatch.setattr(backup, "sqlite_path", lambda app: None)
    monkeypatch.setitem(source.config, "DATABASE_URL", "postgresql://hub:s3cret@db.internal/hub")
    report = backup.backup(source, tmp_path / "backup")
    assert "pg_dump --format=custom" in report.hint
    assert "s3cret" not in report.hint
    assert "hub@db.internal/hub" in report.hint
    assert report.files == 12  # media and settings are still in the backup


def test_the_commands_back_up_and_restore(tmp_path):
    source = make_hub(tmp_path / "a")
    out = source.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")])
    assert out.exit_code == 0, out.output
    assert "6 episodes" in out.output
    fresh = create_app(config(tmp_path / "b"))
    out = fresh.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert out.exit_code == 0, out.output
    assert "12 files" in out.output
    again = fresh.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert again.exit_code == 1
    assert "already holds a hub" in again.output
