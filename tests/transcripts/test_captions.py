"""Recognised segments become cues a person can read; SubRip writing."""

from __future__ import annotations

from mediahub.transcripts.captions import (
    MAX_CHARS,
    MAX_SECONDS,
    Cue,
    Segment,
    Word,
    captions,
    srt_stamp,
    write_srt,
)


def segment(text: str, start: float = 0.0, step: float = 0.4) -> Segment:
    words = tuple(
        Word(start + i * step, start + (i + 1) * step - 0.05, " " + w)
        for i, w in enumerate(text.split())
    )
    return Segment(words[0].start_s, words[-1].end_s, text, words)


def test_a_long_segment_is_split_after_its_sentences() -> None:
    cues = list(
        captions(
            [
                segment(
                    "Guten Abend und herzlich willkommen zu unserem Treffen. "
                    "Schön, dass heute so viele von euch gekommen sind."
                )
            ]
        )
    )
    assert [c.text for c in cues] == [
        "Guten Abend und herzlich willkommen zu unserem Treffen.",
        "Schön, dass heute so viele von euch gekommen sind.",
    ]
    # Times are the words' own: the second cue starts with "Schön".
    assert cues[1].start_s == 8 * 0.4 and cues[0].end_s == 8 * 0.4 - 0.05


def test_no_cue_is_longer_than_two_lines_or_seven_seconds() -> None:
    text = " ".join(["Wort"] * 60)  # no punctuation at all
    cues = list(captions([segment(text, step=0.3)]))
    assert all(len(c.text) <= MAX_CHARS for c in cues)
    assert all(c.end_s - c.start_s <= MAX_SECONDS for c in cues)
    assert " ".join(c.text for c in cues) == text
    starts = [c.start_s for c in cues]
    assert starts == sorted(starts)


def test_a_long_sentence_ends_a_cue_at_a_comma() -> None:
    text = (
        "Wenn ich die Übungen ein paar Tage auslasse und nicht mehr daran denke, "
        "merke ich das sofort"
    )
    assert [c.text for c in captions([segment(text)])] == [
        "Wenn ich die Übungen ein paar Tage auslasse und nicht mehr daran denke,",
        "merke ich das sofort",
    ]


def test_a_segment_without_word_times_stays_one_cue() -> None:
    cues = list(captions([Segment(1.0, 3.5, "  Danke,   dass ihr  da seid. ")]))
    assert cues == [Cue(1.0, 3.5, "", "Danke, dass ihr da seid.")]


def test_srt_with_speakers_named_when_they_change() -> None:
    srt = write_srt(
        [
            Cue(0.5, 2.0, "Sprecherin 1", "Hallo."),
            Cue(2.0, 4.25, "Sprecherin 1", "Wie geht es euch?"),
            Cue(3661.0, 3662.5, "Tom", "Gut."),
            Cue(3663.0, 3664.0, "", "Ohne Namen."),
        ]
    )
    assert srt == (
        "1\n00:00:00,500 --> 00:00:02,000\nSprecherin 1: Hallo.\n\n"
        "2\n00:00:02,000 --> 00:00:04,250\nWie geht es euch?\n\n"
        "3\n01:01:01,000 --> 01:01:02,500\nTom: Gut.\n\n"
        "4\n01:01:03,000 --> 01:01:04,000\nOhne Namen.\n"
    )


def test_srt_stamps() -> None:
    assert srt_stamp(0) == "00:00:00,000"
    assert srt_stamp(59.9996) == "00:01:00,000"
    assert srt_stamp(-1) == "00:00:00,000"
    assert srt_stamp(100 * 3600 + 0.001) == "100:00:00,001"
