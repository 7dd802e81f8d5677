"""ID3 tags are written exactly as asked and read back by mutagen."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from mediahub.audio import Chapter, EpisodeTags, write_tags

PODCAST_FRAMES = {"TIT2", "TPE1", "TALB", "TCON", "TDRC", "COMM", "TDES", "TGID", "UFID", "PCST"}


@pytest.fixture(scope="module")
def cover_png(make_audio: Callable[..., Path]) -> bytes:
    return make_audio("cover.png", "testsrc=s=32x32:d=1[out]", "-frames:v", "1").read_bytes()


@pytest.fixture(scope="module")
def cover_jpeg(make_audio: Callable[..., Path]) -> bytes:
    return make_audio("cover.jpg", "testsrc=s=32x32:d=1[out]", "-frames:v", "1").read_bytes()


@pytest.fixture
def mp3(tmp_path: Path, make_audio: Callable[..., Path]) -> Path:
    """A 6 s MP3 that arrives with foreign ID3v2 and ID3v1 tags."""
    source = make_audio(
        "tagged-source.mp3",
        6.0,
        "-c:a", "libmp3lame", "-b:a", "64k",
        "-metadata", "comment=Recorded on Alice's phone",
        "-metadata", "artist=Alice Example",
        "-metadata", "title=Voice memo 17",
        "-id3v2_version", "4",
        "-write_id3v1", "1",
    )  # fmt: skip
    copy = tmp_path / "episode.mp3"
    copy.write_bytes(source.read_bytes())
    return copy


def _tags(**overrides) -> EpisodeTags:
    values = {
        "title": "Wie wir über Trauer sprechen",
        "group": "Trauergruppe Süd",
        "podcast": "Selbsthilfe-Podcast",
        "guid": "urn:uuid:6f1c2b2e-2a59-4f2a-9a50-5d6b8f1e2c11",
        "date": datetime.date(2024, 5, 1),
        "description": "Folge 3: Erfahrungen und Tipps.",
    }
    values.update(overrides)
    return EpisodeTags(**values)


def test_writes_all_podcast_frames_and_nothing_else(mp3: Path, cover_jpeg: bytes) -> None:
    write_tags(mp3, _tags(cover=cover_jpeg, chapters=[(0, "Intro"), (2.5, "Gespräch")]))
    id3 = ID3(mp3)
    assert id3.version == (2, 3, 0)
    assert {key[:4] for key in id3} == PODCAST_FRAMES | {"APIC", "CHAP", "CTOC"}
    assert id3["TIT2"].text == ["Wie wir über Trauer sprechen"]
    assert id3["TPE1"].text == ["Trauergruppe Süd"]
    assert id3["TALB"].text == ["Selbsthilfe-Podcast"]
    assert id3["TCON"].text == ["Podcast"]
    assert str(id3["TDRC"].text[0]) == "2024-05-01"
    assert id3.getall("COMM")[0].text == ["Folge 3: Erfahrungen und Tipps."]
    assert id3["TDES"].text == ["Folge 3: Erfahrungen und Tipps."]
    assert id3["TGID"].text == ["urn:uuid:6f1c2b2e-2a59-4f2a-9a50-5d6b8f1e2c11"]
    assert id3.getall("UFID")[0].data == b"urn:uuid:6f1c2b2e-2a59-4f2a-9a50-5d6b8f1e2c11"
    assert id3["PCST"].value == 1
    picture = id3.getall("APIC")[0]
    assert (picture.mime, picture.type, picture.data) == ("image/jpeg", 3, cover_jpeg)


def test_foreign_tags_are_gone(mp3: Path) -> None:
    write_tags(mp3, _tags())
    data = mp3.read_bytes()
    assert b"Alice" not in data
    assert b"Voice memo" not in data
    assert data[-128:-125] != b"TAG"  # no ID3v1 trailer


def test_chapters_in_order_with_end_times(mp3: Path) -> None:
    chapters = [Chapter(3.0, "Austausch"), (0.0, "Begrüßung"), (4.5, "Abschluss")]
    write_tags(mp3, _tags(chapters=chapters))
    id3 = ID3(mp3)
    length_ms = round(MP3(mp3).info.length * 1000)
    toc = id3.getall("CTOC")[0]
    assert toc.child_element_ids == ["chp0", "chp1", "chp2"]
    marks = [
        (chap.start_time, chap.end_time, chap.sub_frames["TIT2"].text[0])
        for chap in (id3[f"CHAP:{element}"] for element in toc.child_element_ids)
    ]
    assert marks == [
        (0, 3000, "Begrüßung"),
        (3000, 4500, "Austausch"),
        (4500, length_ms, "Abschluss"),
    ]


def test_png_cover(mp3: Path, cover_png: bytes) -> None:
    write_tags(mp3, _tags(cover=cover_png))
    assert ID3(mp3).getall("APIC")[0].mime == "image/png"


def test_minimal_tags(mp3: Path) -> None:
    write_tags(mp3, _tags(date=None, description=""))
    assert {key[:4] for key in ID3(mp3)} == {"TIT2", "TPE1", "TALB", "TCON", "TGID", "UFID", "PCST"}


def test_long_guid_skips_ufid(mp3: Path) -> None:
    guid = "https://hub.example.org/groups/trauer-sued/episodes/" + "x" * 40
    write_tags(mp3, _tags(guid=guid))
    id3 = ID3(mp3)
    assert id3["TGID"].text == [guid]
    assert not id3.getall("UFID")


def test_rewriting_is_byte_identical(mp3: Path, cover_png: bytes) -> None:
    tags = _tags(cover=cover_png, chapters=[(0, "A"), (1, "B")])
    write_tags(mp3, tags)
    first = mp3.read_bytes()
    write_tags(mp3, tags)
    assert mp3.read_bytes() == first


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"cover": b"GIF89a" + bytes(20)}, "JPEG or PNG"),
        ({"chapters": [(0, "A"), (60, "Beyond the end")]}, "within the audio"),
        ({"chapters": [(-1, "Before the start")]}, "within the audio"),
    ],
)
def test_invalid_tags_leave_file_untouched(mp3: Path, overrides: dict, message: str) -> None:
    before = mp3.read_bytes()
    with pytest.raises(ValueError, match=message):
        write_tags(mp3, _tags(**overrides))
    assert mp3.read_bytes() == before
