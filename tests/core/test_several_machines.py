"""A hub that several machines may serve refuses to start without a shared secret key."""

from __future__ import annotations

import pytest

from mediahub import create_app
from mediahub.core.config import ConfigError


def config(tmp_path, **extra):
    return {
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "FEEDS_ROOT": str(tmp_path / "feeds"),
        "RATELIMIT_STORAGE_URI": "memory://",
        **extra,
    }


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"DATABASE_URL": "postgresql://hub@db.internal/hub"}, "PostgreSQL"),
        ({"QUEUE_URL": "redis://redis.internal:6379/0"}, "a Redis queue"),
        ({"MEDIA_BACKEND": "s3", "S3_BUCKET": "hub"}, "S3 storage"),
    ],
)
def test_no_generated_key_when_several_machines_may_serve(tmp_path, extra, named):
    with pytest.raises(ConfigError) as refused:
        create_app(config(tmp_path, **extra))
    assert "MEDIAHUB_SECRET_KEY must be set" in str(refused.value)
    assert named in str(refused.value)
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_one_machine_still_generates_its_key_once(tmp_path):
    first = create_app(config(tmp_path))
    second = create_app(config(tmp_path))
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "instance" / "secret_key").read_text() == first.config["SECRET_KEY"]


def test_shared_stores_follow_the_media_backend(tmp_path):
    shared = create_app(config(tmp_path, MEDIA_BACKEND="s3", S3_BUCKET="hub", SECRET_KEY="k" * 40))
    assert shared.config["FEEDS_STORE"] == "s3"
    assert shared.config["UPLOAD_PIECES"] == "s3"
    alone = create_app(config(tmp_path))
    assert (alone.config["FEEDS_STORE"], alone.config["UPLOAD_PIECES"]) == ("local", "folder")
    with pytest.raises(ConfigError, match="FEEDS_STORE"):
        create_app(config(tmp_path, FEEDS_STORE="s3"))
