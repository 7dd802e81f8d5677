"""An edit made during review holds approval back only until its tags are written."""

from __future__ import annotations

import io

import pytest
from mutagen.id3 import ID3

from mediahub.core.extensions import db
from mediahub.media import processing, retagging
from mediahub.media.models import MediaAsset
from mediahub.storage import current_storage


@pytest.fixture
def app_config(app_config):
    # Tasks wait in the (unconsumed) queue: the test plays the worker.
    return {**app_config, "QUEUE_IMMEDIATE": False}


@pytest.fixture
def people(make_user, make_group, api_token):
    author, editor = make_user("Mira"), make_user("Eda")
    make_group("gx", members={author: "member", editor: "editor"})
    return author, api_token(author), editor, api_token(editor)


def _asset() -> MediaAsset:
    db.session.expire_all()
    return db.session.scalars(db.select(MediaAsset)).one()


def test_approval_waits_for_the_rewrite_and_no_longer(client, browser, people, speech_wav):
    _author, author_api, editor, editor_api = people
    resp = client.post(
        "/api/v1/groups/gx/episodes",
        headers=author_api,
        data={"title": "Erste Fassung", "audio": (io.BytesIO(speech_wav.read_bytes()), "a")},
        content_type="multipart/form-data",
    )
    episode_id = resp.get_json()["id"]
    processing.process(_asset().id)  # the worker encodes it
    assert (
        client.post(f"/api/v1/episodes/{episode_id}/submit", headers=author_api).status_code == 200
    )

    # The editor corrects a typo; the worker has not rewritten the tags yet.
    fixed = client.patch(
        f"/api/v1/episodes/{episode_id}", headers=editor_api, json={"title": "Zweite Fassung"}
    )
    assert fixed.status_code == 200
    assert _asset().tags_pending
    approve = {"decision": "approve"}
    review = f"/api/v1/episodes/{episode_id}/review"
    refused = client.post(review, headers=editor_api, json=approve)
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "audio_updating"
    status = browser(editor).get(f"/episodes/{episode_id}/media-status").get_json()
    assert (status["status"], status["is_final"]) == ("updating", False)
    assert status["audio_url"]  # the old file plays meanwhile

    retagging.retag(_asset().id)  # the worker rewrites the tags: well under a second
    status = browser(editor).get(f"/episodes/{episode_id}/media-status").get_json()
    assert (status["status"], status["is_final"]) == ("ready", True)
    done = client.post(review, headers=editor_api, json=approve)
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["status"] == "published"
    with current_storage().local_path(str(_asset().rendition_key)) as path:
        assert ID3(path)["TIT2"].text == ["Zweite Fassung"]


def test_an_edit_while_encoding_is_written_after_it(client, people, speech_wav):
    _author, author_api, _editor, _editor_api = people
    resp = client.post(
        "/api/v1/groups/gx/episodes",
        headers=author_api,
        data={"title": "Vorher", "audio": (io.BytesIO(speech_wav.read_bytes()), "a")},
        content_type="multipart/form-data",
    )
    episode_id = resp.get_json()["id"]
    real = processing.process_episode_audio

    def edited_meanwhile(*args, **kwargs):
        result = real(*args, **kwargs)
        client.patch(
            f"/api/v1/episodes/{episode_id}", headers=author_api, json={"title": "Nachher"}
        )
        return result

    processing.process_episode_audio = edited_meanwhile  # type: ignore[assignment]
    try:
        processing.process(_asset().id)
    finally:
        processing.process_episode_audio = real  # type: ignore[assignment]
    asset = _asset()
    assert asset.tags_pending  # the encode wrote the old title
    retagging.retag(asset.id)
    asset = _asset()
    assert not asset.tags_pending
    with current_storage().local_path(str(asset.rendition_key)) as path:
        assert ID3(path)["TIT2"].text == ["Nachher"]
