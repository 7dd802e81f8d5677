"""Metadata edits rewrite the tags of the MP3 and leave its sound alone."""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import mutagen
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from mediahub.audio import Chapter, EpisodeTags, write_tags
from mediahub.audio._retag import audio_span, retag


def _tags(**overrides) -> EpisodeTags:
    values = {
        "title": "Wie wir über Trauer sprechen",
        "group": "Trauergruppe Süd",
        "podcast": "Trauergruppe Süd",
        "guid": "urn:uuid:6f1c2b2e-2a59-4f2a-9a50-5d6b8f1e2c11",
        "date": datetime.date(2024, 5, 1),
        "description": "Folge 3: Erfahrungen und Tipps.",
        "chapters": (Chapter(0, "Begrüßung"), Chapter(4.0, "Austausch")),
    }
    values.update(overrides)
    return EpisodeTags(**values)


@pytest.fixture(scope="module")
def cover_jpeg(make_audio: Callable[..., Path]) -> bytes:
    return make_audio("retag-cover.jpg", "testsrc=s=64x64:d=1[out]", "-frames:v", "1").read_bytes()


@pytest.fixture(scope="module")
def rendition(make_audio: Callable[..., Path]) -> Path:
    """An MP3 as the pipeline makes it: CBR with a Xing/LAME frame, ID3v2.3 tags."""
    path = make_audio(
        "retag-source.mp3", 12.0, "-c:a", "libmp3lame", "-b:a", "128k", "-ar", "44100"
    )
    write_tags(path, _tags())
    return path


@pytest.fixture
def src(tmp_path: Path, rendition: Path) -> Path:
    copy = tmp_path / "old.mp3"
    copy.write_bytes(rendition.read_bytes())
    return copy


def _frames(path: Path) -> bytes:
    start, end = audio_span(path)
    return path.read_bytes()[start:end]


def _decoded(tools: SimpleNamespace, path: Path) -> str:
    pcm = tools.ffmpeg_stdout(["-i", str(path), "-f", "s16le", "-ac", "2", "pipe:1"])
    assert len(pcm) > 44100 * 4 * 10  # the whole 12 s came out
    return hashlib.sha256(pcm).hexdigest()


def test_title_edit_changes_the_tag_and_nothing_of_the_sound(
    src: Path, tmp_path: Path, tools: SimpleNamespace
) -> None:
    before = src.read_bytes()
    out = tmp_path / "new.mp3"
    result = retag(src, out, _tags(title="Wie wir über Abschied sprechen"))

    id3 = ID3(out)
    assert id3["TIT2"].text == ["Wie wir über Abschied sprechen"]
    assert id3["TPE1"].text == ["Trauergruppe Süd"]
    assert id3.version == (2, 3, 0)
    assert _frames(out) == _frames(src)  # every audio byte, the Xing/LAME frame too
    assert _decoded(tools, out) == _decoded(tools, src)
    assert MP3(out).info.length == MP3(src).info.length
    assert tools.decoded_seconds(out) == tools.decoded_seconds(src)
    assert src.read_bytes() == before  # the old file is only read
    data = out.read_bytes()
    assert result.size_bytes == len(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.audio_bytes == len(_frames(src))
    assert result.duration_s == round(MP3(src).info.length, 3)


def test_chapters_description_and_artwork_are_replaced(
    src: Path, tmp_path: Path, cover_jpeg: bytes
) -> None:
    out = tmp_path / "new.mp3"
    chapters = (Chapter(0, "Ankommen"), Chapter(2.5, "Runde"), Chapter(9, "Abschied"))
    retag(src, out, _tags(description="Neu.", chapters=chapters, cover=cover_jpeg))
    id3 = ID3(out)
    assert id3["TDES"].text == ["Neu."]
    assert id3.getall("COMM")[0].text == ["Neu."]
    assert id3.getall("APIC")[0].data == cover_jpeg
    marks = [(c.start_time, c.sub_frames["TIT2"].text[0]) for c in id3.getall("CHAP")]
    assert sorted(marks) == [(0, "Ankommen"), (2500, "Runde"), (9000, "Abschied")]
    # A tag much larger than before (the picture) leaves the frames alone too.
    assert _frames(out) == _frames(src)


def test_same_tags_give_the_same_file(src: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.mp3", tmp_path / "b.mp3"
    retag(src, first, _tags(title="X"))
    retag(first, second, _tags(title="X"))
    assert first.read_bytes() == second.read_bytes()


def test_foreign_v1_and_ape_tags_are_left_out(
    make_audio: Callable[..., Path], tmp_path: Path
) -> None:
    source = make_audio(
        "retag-foreign.mp3",
        6.0,
        "-c:a", "libmp3lame", "-b:a", "64k",
        "-metadata", "artist=Alice Example",
        "-id3v2_version", "4",
        "-write_id3v1", "1",
    )  # fmt: skip
    src = tmp_path / "foreign.mp3"
    data = source.read_bytes()
    assert data[-128:-125] == b"TAG"
    start, end = audio_span(source)
    ape = _ape_tag(b"Artist", b"Alice Example")
    src.write_bytes(data[:end] + ape + data[end:])
    assert audio_span(src) == (start, end)

    out = tmp_path / "new.mp3"
    retag(src, out, _tags())
    new = out.read_bytes()
    assert b"Alice" not in new
    assert new[-128:-125] != b"TAG"
    assert _frames(out) == data[start:end]


def _ape_tag(key: bytes, value: bytes) -> bytes:
    item = len(value).to_bytes(4, "little") + bytes(4) + key + b"\0" + value
    size = len(item) + 32
    footer = b"APETAGEX" + (2000).to_bytes(4, "little") + size.to_bytes(4, "little")
    footer += (1).to_bytes(4, "little") + bytes(4) + bytes(8)
    return item + footer


@pytest.mark.parametrize(
    "overrides",
    [
        {"chapters": (Chapter(0, "A"), Chapter(60, "After the end"))},
        {"cover": b"GIF89a" + bytes(9)},
    ],
)
def test_invalid_tags_leave_no_file(src: Path, tmp_path: Path, overrides: dict) -> None:
    out = tmp_path / "new.mp3"
    with pytest.raises(ValueError):
        retag(src, out, _tags(**overrides))
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["old.mp3"]  # no temporary left over


def test_an_existing_target_is_replaced_whole_or_not_at_all(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "new.mp3"
    out.write_bytes(b"previous version")
    with pytest.raises(ValueError):
        retag(src, out, _tags(chapters=(Chapter(99, "Too late"),)))
    assert out.read_bytes() == b"previous version"
    retag(src, out, _tags(title="Neu"))
    assert ID3(out)["TIT2"].text == ["Neu"]


def test_not_in_place(src: Path) -> None:
    with pytest.raises(ValueError, match="name of its own"):
        retag(src, src, _tags())


def test_a_file_without_frames_is_refused(tmp_path: Path, speech_wav: Path) -> None:
    wav = tmp_path / "talk.mp3"  # the name says MP3, the content does not
    wav.write_bytes(speech_wav.read_bytes())
    with pytest.raises((ValueError, mutagen.MutagenError)):
        retag(wav, tmp_path / "out.mp3", _tags())
    only_tags = tmp_path / "tags-only.mp3"
    only_tags.write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x10" + bytes(16))
    with pytest.raises(ValueError, match="no MPEG audio frame"):
        audio_span(only_tags)


def test_without_kernel_copy(
    src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tools: SimpleNamespace
) -> None:
    def refuse(*_args: object) -> int:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "copy_file_range", refuse, raising=False)
    out = tmp_path / "new.mp3"
    retag(src, out, _tags(title="Ohne Kernel-Kopie"))
    assert _frames(out) == _frames(src)
    assert _decoded(tools, out) == _decoded(tools, src)


def test_the_copy_is_the_file_the_pipeline_would_have_tagged(src: Path, tmp_path: Path) -> None:
    tags = _tags(title="Gleich wie beim Kodieren", description="Mit Notizen.")
    out = tmp_path / "new.mp3"
    retag(src, out, tags)
    in_place = tmp_path / "in-place.mp3"
    in_place.write_bytes(src.read_bytes())
    write_tags(in_place, tags)
    assert out.read_bytes() == in_place.read_bytes()
