"""A storage outage during processing is retried, then reported plainly."""

from __future__ import annotations

import io

import pytest

from mediahub.core.extensions import db
from mediahub.media import processing
from mediahub.media.models import AssetState, MediaAsset
from mediahub.storage import StorageError


@pytest.fixture
def app_config(app_config):
    # Uploads wait in the (unconsumed) queue: processing is driven by the test.
    return {**app_config, "QUEUE_IMMEDIATE": False}


@pytest.fixture
def uploaded(client, make_user, make_group, api_token, speech_wav):
    user = make_user()
    make_group("gx", members={user: "member"})
    resp = client.post(
        "/api/v1/groups/gx/episodes",
        headers=api_token(user),
        data={"title": "x", "audio": (io.BytesIO(speech_wav.read_bytes()), "a")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201
    return db.session.scalar(db.select(MediaAsset.id))


def test_storage_outage_is_retried_then_reported(app, uploaded, monkeypatch):
    from mediahub.storage import current_storage as storage

    def down(*args, **kwargs):
        raise StorageError("S3 is unreachable (http://127.0.0.1:9): connection refused")

    monkeypatch.setattr(storage(), "put_file", down)
    app.config["AUDIO_MAX_ATTEMPTS"] = 3
    for attempt in (1, 2):
        with pytest.raises(processing.RetryLater):
            processing.process(uploaded)
        asset = db.session.get(MediaAsset, uploaded)
        db.session.refresh(asset)
        # Back in line for the queue's next (later) try; the original is untouched.
        assert (asset.status, asset.attempts) == (AssetState.UPLOADED, attempt)
        assert storage().exists(asset.original_key)
    with pytest.raises(processing.RetryLater):
        processing.process(uploaded)
    db.session.refresh(asset)
    assert asset.status == AssetState.FAILED
    assert asset.error == processing.FAILED_PLAINLY

    monkeypatch.undo()
    processing.request_reprocessing(asset)  # e.g. `mediahub media reprocess` after the outage
    db.session.commit()
    processing.process(uploaded)
    db.session.refresh(asset)
    assert asset.status == AssetState.READY


def test_the_task_retries_with_growing_delays():
    from mediahub.media.tasks import process_asset

    task = process_asset.s(1)
    assert task.retries == 4
    assert task.retry_delay == 30
    assert task.retry_backoff == 2  # 30 s, 60 s, 120 s, 240 s
