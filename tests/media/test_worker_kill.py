"""A worker killed in the middle of a transcode loses nothing."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from mediahub.core.extensions import db
from mediahub.media.models import AssetState, MediaAsset

from ..conftest import make_speechlike

STALE_AFTER = 3


@pytest.fixture
def app_config(app_config):
    return {
        **app_config,
        "QUEUE_IMMEDIATE": False,
        "AUDIO_STALE_AFTER_SECONDS": STALE_AFTER,
        "QUEUE_URL": os.environ.get("MEDIAHUB_TEST_QUEUE_URL"),
    }


def _start_worker(app_config) -> subprocess.Popen:
    env = {
        **os.environ,
        "MEDIAHUB_INSTANCE_PATH": app_config["INSTANCE_PATH"],
        "MEDIAHUB_DATABASE_URL": app_config["DATABASE_URL"],
        "MEDIAHUB_MEDIA_ROOT": app_config["MEDIA_ROOT"],
        "MEDIAHUB_FEEDS_ROOT": app_config["FEEDS_ROOT"],
        "MEDIAHUB_SECRET_KEY": app_config["SECRET_KEY"],
        "MEDIAHUB_AUDIO_STALE_AFTER_SECONDS": str(STALE_AFTER),
    }
    if app_config["QUEUE_URL"]:
        env["MEDIAHUB_QUEUE_URL"] = app_config["QUEUE_URL"]
    # A session of its own, so that the kill reaches ffmpeg as well.
    return subprocess.Popen(
        [sys.executable, "-m", "mediahub.cli", "worker", "--workers", "1"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for(asset_id: int, states: set[str], timeout: float) -> MediaAsset:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        asset = db.session.get(MediaAsset, asset_id)
        if asset.status in states:
            return asset
        time.sleep(0.2)
    raise AssertionError(f"asset stayed {asset.status}, wanted {states}")


def _encoder_running(worker: subprocess.Popen) -> bool:
    """Whether an ffmpeg encoding MP3 runs in the worker's session."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if os.getsid(int(proc.name)) != worker.pid:
                continue
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except (OSError, ProcessLookupError):
            continue
        if b"libmp3lame" in cmdline:
            return True
    return False


def _kill_while_encoding(worker: subprocess.Popen, timeout: float) -> None:
    """Kill the worker while its MP3 encoder is running (polled finely: a
    fast machine encodes the test file in about a second)."""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if _encoder_running(worker):
                time.sleep(0.05)  # well inside the encode
                return
            time.sleep(0.01)
        raise AssertionError("the worker never started encoding")
    finally:
        _kill(worker)


def _kill(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


@pytest.mark.slow
def test_sigkill_mid_transcode_loses_nothing(
    client, app, app_config, make_user, make_group, api_token, tmp_path
):
    from mediahub.core.queue import huey

    huey.flush()
    author = make_user()
    make_group("kill-test", members={author: "member"})
    wav = make_speechlike(tmp_path / "long.wav", 240)
    resp = client.post(
        "/api/v1/groups/kill-test/episodes",
        headers=api_token(author),
        data={"title": "Lang", "audio": (io.BytesIO(wav.read_bytes()), "a.wav")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201
    asset_id = db.session.scalar(db.select(MediaAsset.id))
    renditions = Path(app_config["MEDIA_ROOT"]) / "renditions"

    worker = _start_worker(app_config)
    _kill_while_encoding(worker, 90)
    asset = _wait_for(asset_id, {AssetState.PROCESSING}, 1)
    assert asset.rendition_key is None
    assert not [p for p in renditions.rglob("*") if p.is_file()], "half-written rendition visible"
    original = Path(app_config["MEDIA_ROOT"]) / asset.original_key
    assert original.stat().st_size == len(wav.read_bytes())

    time.sleep(STALE_AFTER + 0.5)
    worker = _start_worker(app_config)
    try:
        asset = _wait_for(asset_id, {AssetState.READY, AssetState.FAILED}, 180)
    finally:
        _kill(worker)
        huey.flush()
    assert asset.status == AssetState.READY, asset.error
    assert asset.attempts == 2
    mp3 = Path(app_config["MEDIA_ROOT"]) / asset.rendition_key
    assert abs(MP3(mp3).info.length - 240) <= 0.1
    assert original.stat().st_size == len(wav.read_bytes())
