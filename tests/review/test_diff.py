"""The comparison an editor reads: what was removed and added since the last review."""

from __future__ import annotations

import time

from mediahub.review.diff import MAX_SHOWN, Piece, compare, diff_lines, diff_words

LABELS = [("title", "Title"), ("text", "Show notes"), ("chapters", "Chapters")]


def _shape(lines) -> list[tuple[str, str]]:
    return [(line.kind, line.text if line.kind != "skipped" else str(line.count)) for line in lines]


def test_unchanged_fields_are_marked_unchanged_and_carry_no_lines() -> None:
    same = {"title": "Trauer", "text": "Ein Abend.", "chapters": "00:00 Start"}
    diffs = compare(same, dict(same), LABELS)
    assert [(d.key, d.label, d.changed, d.lines) for d in diffs] == [
        ("title", "Title", False, ()),
        ("text", "Show notes", False, ()),
        ("chapters", "Chapters", False, ()),
    ]


def test_a_changed_title_shows_the_words_that_changed() -> None:
    (title,) = compare(
        {"title": "Wie wir über Trauer sprechen"},
        {"title": "Wie wir über Abschied sprechen"},
        [("title", "Title")],
    )
    assert title.changed
    (line,) = title.lines
    assert line.kind == "changed"
    assert line.pieces == (
        Piece("same", "Wie wir über "),
        Piece("removed", "Trauer"),
        Piece("added", "Abschied"),
        Piece("same", " sprechen"),
    )


def test_long_unchanged_runs_are_folded_around_the_changes() -> None:
    old = [f"Absatz {n}." for n in range(1, 21)]
    new = list(old)
    new[9] = "Absatz 10, neu geschrieben."
    new.append("Ein Nachsatz.")
    assert _shape(diff_lines(old, new)) == [
        ("skipped", "7"),
        ("same", "Absatz 8."),
        ("same", "Absatz 9."),
        ("changed", "Absatz 10, neu geschrieben."),
        ("same", "Absatz 11."),
        ("same", "Absatz 12."),
        ("skipped", "6"),
        ("same", "Absatz 19."),
        ("same", "Absatz 20."),
        ("added", "Ein Nachsatz."),
    ]
    changed = diff_lines(old, new)[3]
    assert changed.pieces == (
        Piece("same", "Absatz 10"),
        Piece("added", ", neu geschrieben"),
        Piece("same", "."),
    )


def test_unrelated_replacement_is_shown_as_removed_and_added() -> None:
    lines = diff_lines(["00:00 Begrüßung", "05:30 Fragen"], ["00:00 Begrüßung", "12:00 xyz"])
    assert _shape(lines) == [
        ("same", "00:00 Begrüßung"),
        ("removed", "05:30 Fragen"),
        ("added", "12:00 xyz"),
    ]


def test_removed_chapter_and_added_transcript_lines() -> None:
    diffs = compare(
        {"chapters": "00:00 Start\n02:00 Mitte\n04:00 Ende"},
        {"chapters": "00:00 Start\n04:00 Ende", "text": "Neu: Notizen"},
        LABELS,
    )
    by_key = {d.key: d for d in diffs}
    assert not by_key["title"].changed
    assert _shape(by_key["chapters"].lines) == [
        ("same", "00:00 Start"),
        ("removed", "02:00 Mitte"),
        ("same", "04:00 Ende"),
    ]
    assert _shape(by_key["text"].lines) == [("added", "Neu: Notizen")]


def test_words_keep_their_spacing_and_punctuation() -> None:
    pieces = diff_words("Hallo, Anna!", "Hallo, liebe Anna.")
    assert "".join(p.text for p in pieces if p.kind != "added") == "Hallo, Anna!"
    assert "".join(p.text for p in pieces if p.kind != "removed") == "Hallo, liebe Anna."


def test_huge_submissions_stay_bounded() -> None:
    # A six-hour transcript rewritten from scratch, with one enormous line.
    old = [f"{n // 60:02d}:{n % 60:02d} Sprecherin: Satz Nummer {n}." for n in range(20_000)]
    new = [f"{n // 60:02d}:{n % 60:02d} Sprecher: Anderer Satz {n * 7}." for n in range(20_000)]
    new[5] = "x" * 500_000
    started = time.perf_counter()
    (transcript,) = compare({"t": "\n".join(old)}, {"t": "\n".join(new)}, [("t", "Transcript")])
    elapsed = time.perf_counter() - started
    assert len(transcript.lines) == MAX_SHOWN
    assert transcript.hidden > 30_000
    assert elapsed < 20  # a generous bound for a loaded machine; typically well under a second
