"""A tag rewrite on S3: a new object under a new key, the old one deleted after the row moved."""

from __future__ import annotations

import io
import uuid

import pytest
from mutagen.id3 import ID3

from mediahub.audio._retag import audio_span
from mediahub.core.extensions import db
from mediahub.media.models import MediaAsset
from mediahub.storage import S3Storage, current_storage

from .conftest import BUCKET, CREDENTIALS, REGION


@pytest.fixture
def app_config(app_config, moto_endpoint):
    return {
        **app_config,
        "MEDIA_BACKEND": "s3",
        "S3_BUCKET": BUCKET,
        "S3_PREFIX": f"retag-{uuid.uuid4().hex[:12]}",
        "S3_ENDPOINT_URL": moto_endpoint,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": CREDENTIALS["access_key"],
        "S3_SECRET_ACCESS_KEY": CREDENTIALS["secret_key"],
    }


def _objects(storage: S3Storage) -> set[str]:
    listed = storage.client.list_objects_v2(Bucket=BUCKET, Prefix=storage.prefix + "/")
    return {o["Key"].removeprefix(storage.prefix + "/") for o in listed.get("Contents", [])}


def _frames(data: bytes, tmp_path, name: str) -> bytes:
    path = tmp_path / name
    path.write_bytes(data)
    start, end = audio_span(path)
    return data[start:end]


def test_title_edit_on_s3(client, make_user, make_group, api_token, speech_wav, tmp_path):
    user = make_user()
    make_group("gx", members={user: "manager"})
    headers = api_token(user)
    resp = client.post(
        "/api/v1/groups/gx/episodes",
        headers=headers,
        data={"title": "Vorher", "audio": (io.BytesIO(speech_wav.read_bytes()), "a")},
        content_type="multipart/form-data",
    )
    assert resp.get_json()["media"]["status"] == "ready", resp.get_json()
    storage = current_storage()
    assert isinstance(storage, S3Storage)
    asset = db.session.scalars(db.select(MediaAsset)).one()
    old_key = str(asset.rendition_key)
    with storage.open(old_key) as fh:
        old = fh.read()

    resp = client.patch(
        f"/api/v1/episodes/{resp.get_json()['id']}", headers=headers, json={"title": "Nachher"}
    )
    assert resp.status_code == 200

    db.session.expire_all()
    asset = db.session.scalars(db.select(MediaAsset)).one()
    assert asset.rendition_key != old_key
    objects = _objects(storage)
    assert old_key not in objects and asset.rendition_key in objects
    with storage.open(str(asset.rendition_key)) as fh:
        new = fh.read()
    path = tmp_path / "new.mp3"
    path.write_bytes(new)
    assert ID3(path)["TIT2"].text == ["Nachher"]
    assert _frames(new, tmp_path, "n.mp3") == _frames(old, tmp_path, "o.mp3")
    assert (asset.rendition_size, asset.tags_written) == (len(new), 1)
