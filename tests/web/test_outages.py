"""A server the hub needs is down: a clear 503 (page or JSON), never a 500 or a trace."""

from __future__ import annotations

import io

import pytest

from mediahub import create_app
from mediahub.core.extensions import db
from mediahub.storage import StorageError
from tests.conftest import make_speechlike

DOWN = "postgresql://postgres@127.0.0.1:1/nowhere"  # nothing listens on port 1


@pytest.fixture
def app_without_database(app_config):
    app = create_app({**app_config, "DATABASE_URL": DOWN})
    with app.app_context():
        yield app
        db.engine.dispose()


def test_pages_and_api_answer_503_while_the_database_is_down(app_without_database):
    client = app_without_database.test_client()
    page = client.get("/")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "30"
    assert b"Traceback" not in page.data and b"psycopg" not in page.data
    assert b"try again" in page.data or b"noch einmal" in page.data
    api = client.get("/api/v1/groups")
    assert api.status_code == 503
    assert api.get_json()["error"]["code"] == "unavailable"
    assert client.get("/healthz").status_code == 200  # the process itself lives
    assert client.get("/readyz").status_code == 503


def test_an_unreachable_storage_is_a_503(client, make_user, make_group, api_token, monkeypatch):
    author = make_user()
    make_group("kreis", members={author: "member"})

    def unreachable(*_a, **_kw):
        raise StorageError("S3 is unreachable")

    monkeypatch.setattr("mediahub.storage.local.LocalStorage.exists", unreachable)
    monkeypatch.setattr("mediahub.storage.local.LocalStorage._write", unreachable)
    resp = client.post(
        "/api/v1/groups/kreis/episodes",
        headers=api_token(author),
        data={"title": "Folge", "audio": (io.BytesIO(b"RIFF" + b"\0" * 5000), "a.wav")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 503
    assert resp.get_json()["error"]["code"] in ("unavailable", "storage_unavailable")


def test_a_queue_that_cannot_be_reached_after_the_commit_loses_nothing(
    app, client, make_user, make_group, api_token, monkeypatch, tmp_path
):
    from mediahub.core import queue
    from mediahub.media.models import AssetState, MediaAsset

    author = make_user()
    make_group("kreis", members={author: "member"})
    monkeypatch.setattr(queue.huey, "_immediate", False)

    def redis_down(*_a, **_kw):
        from redis.exceptions import ConnectionError as RedisConnectionError

        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(queue.huey, "enqueue", redis_down)
    wav = make_speechlike(tmp_path / "a.wav", 2).read_bytes()
    resp = client.post(
        "/api/v1/groups/kreis/episodes",
        headers=api_token(author),
        data={"title": "Folge", "audio": (io.BytesIO(wav), "a.wav")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201
    asset = db.session.scalar(db.select(MediaAsset))
    assert asset.status == AssetState.UPLOADED  # the reconciler hands it to the queue later
