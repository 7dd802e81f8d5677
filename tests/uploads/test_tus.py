"""Resumable uploads (tus 1.0.0) end to end through the test client."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from mediahub.core.extensions import db
from mediahub.core.types import utcnow
from mediahub.media.models import AssetState, MediaAsset
from mediahub.uploads.models import UploadSession

TUS = {"Tus-Resumable": "1.0.0"}
OCTET = "application/offset+octet-stream"


def create(client, episode, headers, length, **extra):
    return client.post(
        f"/api/v1/episodes/{episode.id}/audio/uploads",
        headers={**headers, "Upload-Length": str(length), **extra},
    )


def location(resp) -> str:
    return urlsplit(resp.headers["Location"]).path


def patch(client, url, headers, offset, data, **kw):
    return client.patch(
        url,
        headers={**headers, "Upload-Offset": str(offset)},
        data=data,
        content_type=OCTET,
        **kw,
    )


def offset_of(client, url, headers) -> int:
    resp = client.head(url, headers=headers)
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store"
    return int(resp.headers["Upload-Offset"])


def test_options_announce_version_extensions_and_limit(client, app):
    resp = client.options("/api/v1/uploads")
    assert resp.status_code == 204
    assert resp.headers["Tus-Version"] == "1.0.0"
    assert set(resp.headers["Tus-Extension"].split(",")) == {
        "creation",
        "termination",
        "expiration",
    }
    assert int(resp.headers["Tus-Max-Size"]) == app.config["MAX_AUDIO_BYTES"]


def test_chunks_with_a_dropped_connection_become_a_processed_episode(
    app, client, episode, headers, speech_wav
):
    data = Path(speech_wav).read_bytes()
    resp = create(
        client, episode, headers, len(data), **{"Upload-Metadata": "filetype YXVkaW8vd2F2"}
    )
    assert resp.status_code == 201, resp.get_json()
    assert resp.headers["Tus-Resumable"] == "1.0.0"
    url = location(resp)
    assert url.startswith("/api/v1/uploads/") and len(url.rsplit("/", 1)[1]) >= 40
    assert offset_of(client, url, headers) == 0

    chunk = 256 * 1024
    resp = patch(client, url, headers, 0, data[:chunk])
    assert resp.status_code == 204
    assert resp.headers["Upload-Offset"] == str(chunk)

    # The connection drops: the client announced a whole chunk, a part arrived.
    client.patch(
        url,
        headers={**headers, "Upload-Offset": str(chunk)},
        input_stream=io.BytesIO(data[chunk : chunk + 1000]),
        content_length=chunk,
        content_type=OCTET,
    )
    got = offset_of(client, url, headers)
    assert got == chunk + 1000

    # Resume from what the server has; nothing is processed before the end.
    assert db.session.scalar(select(MediaAsset)) is None
    while got < len(data):
        resp = patch(client, url, headers, got, data[got : got + chunk])
        assert resp.status_code == 204, resp.get_data(as_text=True)
        got = int(resp.headers["Upload-Offset"])
    assert got == len(data)

    db.session.expire_all()
    episode = db.session.merge(episode)
    asset = episode.audio
    assert asset is not None and asset.status == AssetState.READY, asset and asset.error
    assert asset.original_size == len(data)
    assert asset.duration_s == pytest.approx(8.0, abs=0.1)
    assert asset.rendition_key.endswith(".mp3")
    # The temporary file is gone; the session says "complete" to a late HEAD.
    assert list(Path(app.config["UPLOAD_TEMP_DIR"]).glob("*.part")) == []
    assert offset_of(client, url, headers) == len(data)
    # A repeated final (empty) PATCH after a lost answer is harmless.
    assert patch(client, url, headers, len(data), b"").status_code == 204


def test_wrong_offset_is_a_conflict_and_changes_nothing(client, episode, headers):
    url = location(create(client, episode, headers, 100))
    assert patch(client, url, headers, 0, b"a" * 10).status_code == 204
    resp = patch(client, url, headers, 5, b"b" * 10)
    assert resp.status_code == 409
    assert resp.get_json()["error"]["code"] == "offset_mismatch"
    assert offset_of(client, url, headers) == 10


def test_more_than_announced_or_allowed_is_refused(client, app, episode, headers):
    url = location(create(client, episode, headers, 10))
    resp = patch(client, url, headers, 0, b"x" * 11)
    assert resp.status_code == 413
    assert offset_of(client, url, headers) == 0

    app.config["MAX_AUDIO_BYTES"] = 1000
    resp = create(client, episode, headers, 1001)
    assert resp.status_code == 413
    assert "zu groß" in resp.get_json()["error"]["message"]


def test_bad_headers_and_body_type_are_4xx(client, episode, headers):
    resp = client.post(f"/api/v1/episodes/{episode.id}/audio/uploads", headers=headers)
    assert resp.status_code == 422
    assert create(client, episode, {**headers, "Tus-Resumable": "0.2"}, 10).status_code == 412
    assert (
        create(client, episode, headers, 10, **{"Upload-Metadata": "filetype !!"}).status_code
        == 422
    )
    url = location(create(client, episode, headers, 10))
    resp = client.patch(
        url, headers={**headers, "Upload-Offset": "0"}, data=b"x", content_type="application/json"
    )
    assert resp.status_code == 415
    assert patch(client, url, headers, "minus", b"x").status_code == 422
    assert patch(client, url, headers, "²", b"x").status_code == 422  # isdigit, not int


def test_only_the_owner_sees_or_continues_an_upload(
    client, episode, headers, make_user, make_group, api_token, anonymous
):
    url = location(create(client, episode, headers, 10))
    other = make_user("Bernd")
    from mediahub.groups.services import set_member

    set_member(episode.group, other.email, "editor")
    db.session.commit()
    theirs = {**api_token(other), **TUS}
    assert client.head(url, headers=theirs).status_code == 404
    assert patch(client, url, theirs, 0, b"x").status_code == 404
    assert client.delete(url, headers=theirs).status_code == 404
    assert (
        anonymous.patch(
            url, headers={**TUS, "Upload-Offset": "0"}, data=b"x", content_type=OCTET
        ).status_code
        == 401
    )
    # Nobody but people who may edit the episode can start one.
    stranger = {**api_token(make_user("Clara")), **TUS}
    assert create(client, episode, stranger, 10).status_code == 404


def test_termination_removes_the_bytes(app, client, episode, headers):
    url = location(create(client, episode, headers, 100))
    patch(client, url, headers, 0, b"a" * 10)
    assert len(list(Path(app.config["UPLOAD_TEMP_DIR"]).glob("*.part"))) == 1
    assert client.delete(url, headers=headers).status_code == 204
    assert list(Path(app.config["UPLOAD_TEMP_DIR"]).glob("*.part")) == []
    assert client.head(url, headers=headers).status_code == 404
    assert db.session.scalar(select(UploadSession)) is None


def test_a_complete_file_that_is_not_audio_is_refused_and_forgotten(app, client, episode, headers):
    data = b"%PDF-1.4 " + b"x" * 500
    url = location(create(client, episode, headers, len(data)))
    resp = patch(client, url, headers, 0, data)
    assert resp.status_code == 422
    assert "keine Aufnahme" in resp.get_json()["error"]["message"]
    assert db.session.scalar(select(UploadSession)) is None
    assert list(Path(app.config["UPLOAD_TEMP_DIR"]).glob("*.part")) == []
    assert db.session.scalar(select(MediaAsset)) is None


def test_web_pages_use_the_session_with_a_csrf_header(browser, anna, episode):
    web = browser(anna)
    resp = web.post(
        f"/api/v1/episodes/{episode.id}/audio/uploads",
        headers={**TUS, "Upload-Length": "10"},
    )
    assert resp.status_code == 400  # no CSRF token: another site could have sent it
    token = web.csrf_token()
    resp = web.post(
        f"/api/v1/episodes/{episode.id}/audio/uploads",
        headers={**TUS, "Upload-Length": "10", "X-CSRFToken": token},
    )
    assert resp.status_code == 201
    url = location(resp)
    assert web.head(url, headers=TUS).headers["Upload-Offset"] == "0"
    resp = web.patch(
        url,
        headers={**TUS, "Upload-Offset": "0", "X-CSRFToken": token},
        data=b"abc",
        content_type=OCTET,
    )
    assert resp.status_code == 204


def test_expired_uploads_and_stray_files_are_cleaned(app, client, episode, headers):
    import os

    url = location(create(client, episode, headers, 100))
    patch(client, url, headers, 0, b"a" * 10)
    stray = Path(app.config["UPLOAD_TEMP_DIR"]) / "leftover.part"
    stray.write_bytes(b"x")
    old = (utcnow() - dt.timedelta(hours=2)).timestamp()
    os.utime(stray, (old, old))
    upload = db.session.scalar(select(UploadSession))
    upload.expires_at = utcnow() - dt.timedelta(minutes=1)
    db.session.commit()
    assert client.head(url, headers=headers).status_code == 410

    from mediahub.uploads.tasks import remove_expired_uploads

    remove_expired_uploads.call_local()
    assert db.session.scalar(select(UploadSession)) is None
    assert list(Path(app.config["UPLOAD_TEMP_DIR"]).glob("*.part")) == []
