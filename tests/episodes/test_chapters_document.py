"""Chapters as other tools export them: the Podcasting 2.0 JSON chapters document."""

from __future__ import annotations

import copy

import pytest

from mediahub.core.errors import InvalidInput
from mediahub.episodes.chapters import (
    chapter_lines,
    chapters_document,
    keep_extras,
    listed,
    parse_chapters,
)

SIX_HOURS = 6 * 3600.0

# Shaped like the files chapter editors and hosting services export (for
# example Auphonic, Hindenburg, podcastindex's chapter tools): a document
# title and author, fractions of seconds, links, pictures, a silent chapter
# that only changes the picture, and keys of their own.
EXPORTED = {
    "version": "1.2.0",
    "author": "Trauergruppe Süd",
    "title": "Folge 3: Das erste Jahr",
    "podcastName": "Trauergruppe Süd",
    "description": "Kapitelmarken",
    "fileName": "folge-3.mp3",
    "waypoints": False,
    "chapters": [
        {"startTime": 0, "title": "Begrüßung", "img": "https://example.org/art/1.jpg"},
        {
            "startTime": 65.5,
            "endTime": 300.25,
            "title": "Was hilft?",
            "url": "https://www.example.org/hilfe?q=trauer&lang=de",
            "location": {"name": "Köln", "geo": "geo:50.94,6.96"},
        },
        {"startTime": 120, "toc": False, "img": "https://example.org/art/2.jpg"},
        {"startTime": 301, "title": "Abschied", "toc": True},
    ],
}


def test_exported_document_is_taken_with_everything_a_chapter_can_carry() -> None:
    assert parse_chapters(copy.deepcopy(EXPORTED), max_seconds=SIX_HOURS) == [
        {"start_s": 0.0, "title": "Begrüßung", "img": "https://example.org/art/1.jpg"},
        {
            "start_s": 65.5,
            "title": "Was hilft?",
            "end_s": 300.25,
            "url": "https://www.example.org/hilfe?q=trauer&lang=de",
        },
        {"start_s": 120.0, "title": "", "img": "https://example.org/art/2.jpg", "toc": False},
        {"start_s": 301.0, "title": "Abschied"},
    ]


def test_our_document_goes_round_trip_unchanged() -> None:
    served = chapters_document(parse_chapters(copy.deepcopy(EXPORTED), max_seconds=SIX_HOURS))
    assert served == {
        "version": "1.2.0",
        "chapters": [
            {"startTime": 0, "title": "Begrüßung", "img": "https://example.org/art/1.jpg"},
            {
                "startTime": 65.5,
                "endTime": 300.25,
                "title": "Was hilft?",
                "url": "https://www.example.org/hilfe?q=trauer&lang=de",
            },
            {"startTime": 120, "title": "", "img": "https://example.org/art/2.jpg", "toc": False},
            {"startTime": 301, "title": "Abschied"},
        ],
    }
    again = chapters_document(parse_chapters(copy.deepcopy(served), max_seconds=SIX_HOURS))
    assert again == served


def test_the_table_of_contents_leaves_out_silent_chapters() -> None:
    chapters = parse_chapters(copy.deepcopy(EXPORTED), max_seconds=SIX_HOURS)
    assert [c["title"] for c in listed(chapters)] == ["Begrüßung", "Was hilft?", "Abschied"]
    assert chapter_lines(chapters) == "00:00 Begrüßung\n01:05 Was hilft?\n05:01 Abschied"


@pytest.mark.parametrize(
    "value",
    [
        "00:00 Ankommen\n\n5:30 Runde\n1:02:03 Abschied",
        [{"start_s": 0, "title": "Ankommen"}, {"start_s": 330, "title": "Runde"},
         {"start_s": 3723, "title": "Abschied"}],
        {"chapters": [{"startTime": 3723, "title": "Abschied"},
                      {"startTime": 0, "title": "Ankommen"},
                      {"startTime": 330, "title": "Runde"}]},
    ],
    ids=["lines", "our-list", "document-unsorted"],
)  # fmt: skip
def test_lines_lists_and_documents_agree(value: object) -> None:
    assert parse_chapters(value, max_seconds=SIX_HOURS) == [
        {"start_s": 0, "title": "Ankommen"},
        {"start_s": 330, "title": "Runde"},
        {"start_s": 3723, "title": "Abschied"},
    ]


def test_an_end_before_the_start_is_left_out_not_refused() -> None:
    (chapter,) = parse_chapters(
        {"chapters": [{"startTime": 10, "endTime": 5, "title": "A"}]}, max_seconds=SIX_HOURS
    )
    assert chapter == {"start_s": 10.0, "title": "A"}


def test_titles_are_cleaned_text() -> None:
    (chapter,) = parse_chapters(
        {"chapters": [{"startTime": 1, "title": "  Zwei\u0000 \n Zeilen\ud800 "}]},
        max_seconds=SIX_HOURS,
    )
    assert chapter["title"] == "Zwei Zeilen"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"chapters": [{"startTime": "1:00", "title": "A"}]}, "Chapter 1 needs"),
        ({"chapters": [{"startTime": True, "title": "A"}]}, "Chapter 1 needs"),
        ({"chapters": [{"startTime": -1, "title": "A"}]}, "Chapter 1 needs"),
        ({"chapters": [{"startTime": 10**400, "title": "A"}]}, "Chapter 1 needs"),
        ({"chapters": [{"startTime": 0, "title": "A"}, {"startTime": 5}]}, "Chapter 2 needs"),
        ({"chapters": [{"startTime": 0, "title": "x" * 201}]}, "Chapter 1 needs"),
        ({"chapters": [None]}, "Chapter 1 needs"),
        ({"chapters": [{"startTime": 0, "title": "A", "url": "javascript:alert(1)"}]}, "https://"),
        ({"chapters": [{"startTime": 0, "title": "A", "img": 'https://x.org/"onload='}]}, "https://"),
        ({"chapters": [{"startTime": 0, "title": "A", "url": "ftp://x.org/a"}]}, "https://"),
        ({"chapters": [{"startTime": 0, "title": "A"}, {"startTime": 0.0, "title": "B"}]},
         "same time"),
        ({"chapters": [{"startTime": SIX_HOURS + 1, "title": "A"}]}, "after the end"),
        ({"chapters": [{"startTime": n, "title": "A"} for n in range(101)]}, "at most 100"),
        ({"version": "1.2.0"}, "at most 100"),
        ("5 Minuten Runde", "Line 1"),
        (42, "at most 100"),
    ],
)  # fmt: skip
def test_what_is_not_a_chapter_is_refused_with_a_reason(value: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        parse_chapters(value, max_seconds=SIX_HOURS)
    assert caught.value.field == "chapters"


def test_typed_lines_keep_what_lines_cannot_say() -> None:
    stored = parse_chapters(copy.deepcopy(EXPORTED), max_seconds=SIX_HOURS)
    typed = parse_chapters(chapter_lines(stored), max_seconds=SIX_HOURS)
    assert keep_extras(stored, typed) == stored  # saving the form unchanged changes nothing
    edited = parse_chapters(
        "00:00 Begrüßung\n01:05 Was hilft wirklich?\n05:01 Abschied", max_seconds=SIX_HOURS
    )
    kept = keep_extras(stored, edited)
    assert kept[1] == {"start_s": 65, "title": "Was hilft wirklich?"}  # a new chapter
    assert kept[0]["img"] == "https://example.org/art/1.jpg"
    assert kept[2]["toc"] is False  # the hidden one stays
