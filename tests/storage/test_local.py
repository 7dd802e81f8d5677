"""Local-only behaviour: serving from disk, permissions, flat memory."""

from __future__ import annotations

import io
import stat
import tracemalloc
from pathlib import Path

import pytest

from mediahub.storage import LocalStorage, ObjectNotFound

MiB = 1024 * 1024


def test_url_is_none_and_serve_path_points_at_the_file(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "media")
    storage.save("ep/a.mp3", io.BytesIO(b"audio"))

    assert storage.url("ep/a.mp3") is None
    assert storage.url("ep/a.mp3", expires_in=60, private=True) is None
    path = storage.serve_path("ep/a.mp3")
    assert path == tmp_path / "media" / "ep" / "a.mp3"
    assert path is not None and path.read_bytes() == b"audio"


def test_serve_path_of_missing_object(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "media")

    with pytest.raises(ObjectNotFound):
        storage.serve_path("ep/missing.mp3")


def test_root_is_created_and_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    storage = LocalStorage("data/media")

    assert storage.root == tmp_path / "data" / "media"
    assert storage.root.is_dir()


def test_stored_files_are_readable_by_the_web_server(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "media")

    storage.save("ep/b.mp3", io.BytesIO(b"audio"))

    mode = stat.S_IMODE((tmp_path / "media" / "ep" / "b.mp3").stat().st_mode)
    assert mode == 0o644


def test_memory_stays_flat_for_large_files(tmp_path: Path, generated_file: type) -> None:
    storage = LocalStorage(tmp_path / "media")
    source = generated_file(40 * MiB)

    tracemalloc.start()
    try:
        storage.save("big/file.wav", source)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 8 * MiB
