"""What browsers record (WebM/Opus) goes through the resumable path and the pipeline."""

from __future__ import annotations

import subprocess
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from mediahub.audio.ffmpeg import ffmpeg_path
from mediahub.core.extensions import db
from mediahub.groups.models import Group
from mediahub.media.models import AssetState


@pytest.fixture(scope="module")
def webm_opus(tmp_path_factory, speech_wav):
    path = tmp_path_factory.mktemp("webm") / "aufnahme.webm"
    subprocess.run(
        [
            ffmpeg_path(),
            "-nostdin",
            "-loglevel",
            "error",
            "-y",
            "-i",
            str(speech_wav),
            "-t",
            "3",
            "-ac",
            "1",
            "-c:a",
            "libopus",
            "-b:a",
            "48k",
            "-f",
            "webm",
            str(path),
        ],
        check=True,
        timeout=120,
    )
    return path.read_bytes()


def test_a_browser_recording_becomes_a_ready_episode(
    client, make_user, make_group, make_episode, api_token, webm_opus
):
    anna = make_user("Anna")
    make_group("trauer", members={anna: "member"})
    group = db.session.scalar(select(Group))
    episode = make_episode(group, anna, audio=False)
    headers = {**api_token(anna), "Tus-Resumable": "1.0.0"}
    resp = client.post(
        f"/api/v1/episodes/{episode.id}/audio/uploads",
        headers={
            **headers,
            "Upload-Length": str(len(webm_opus)),
            "Upload-Metadata": "filetype YXVkaW8vd2VibTtjb2RlY3M9b3B1cw==",
        },
    )
    assert resp.status_code == 201
    url = urlsplit(resp.headers["Location"]).path
    resp = client.patch(
        url,
        headers={**headers, "Upload-Offset": "0"},
        data=webm_opus,
        content_type="application/offset+octet-stream",
    )
    assert resp.status_code == 204, resp.get_data(as_text=True)
    db.session.expire_all()
    asset = db.session.merge(episode).audio
    assert asset.status == AssetState.READY, asset.error
    assert asset.original_content_type == "audio/webm;codecs=opus"
    assert asset.details["source"]["container"].startswith(("matroska", "webm"))
    assert asset.duration_s == pytest.approx(3.0, abs=0.1)
