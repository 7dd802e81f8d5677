"""An upload's hash and loudness are taken while its bytes arrive, so only the
encode pass is left when the last byte is in; pieces that come through
another machine fall back to the worker doing it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from mediahub.audio import pipeline
from mediahub.core.extensions import db
from mediahub.media.models import AssetState
from mediahub.uploads.ingest import ingests

from .test_tus import create, location, patch


def upload(client, episode, headers, data: bytes, piece: int, between=None) -> None:
    url = location(create(client, episode, headers, len(data)))
    offset = 0
    while offset < len(data):
        resp = patch(client, url, headers, offset, data[offset : offset + piece])
        assert resp.status_code == 204, resp.get_data(as_text=True)
        offset = int(resp.headers["Upload-Offset"])
        if between:
            between()


def test_the_worker_only_encodes_what_was_measured_on_the_way(
    client,
    episode,
    headers,
    speech_wav,
    monkeypatch,
):
    data = Path(speech_wav).read_bytes()

    def measured_again(*_a, **_kw):
        raise AssertionError("the source was measured a second time")

    monkeypatch.setattr(pipeline, "measure_levels", measured_again)
    upload(client, episode, headers, data, 300_000)
    db.session.expire_all()
    asset = db.session.merge(episode).audio
    assert asset.status == AssetState.READY, asset.error
    assert asset.original_sha256 == hashlib.sha256(data).hexdigest()
    assert asset.details["input_levels"]["chain"].endswith("ebur128=peak=sample:framelog=verbose")
    assert asset.loudness_lufs == pytest.approx(-16, abs=1)


def test_pieces_through_another_machine_are_hashed_and_measured_by_the_worker(
    client,
    episode,
    headers,
    speech_wav,
):
    data = Path(speech_wav).read_bytes()
    # Each piece lands on a process that has not seen the ones before.
    upload(client, episode, headers, data, 300_000, between=lambda: ingests._items.clear())
    db.session.expire_all()
    asset = db.session.merge(episode).audio
    assert asset.status == AssetState.READY, asset.error
    assert asset.original_sha256 == hashlib.sha256(data).hexdigest()
    assert "input_levels" not in (asset.details or {}) or asset.details["input_levels"] is None
