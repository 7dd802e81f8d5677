"""SubRip transcripts as transcription services and editors export them."""

from __future__ import annotations

import io

import pytest
import webvtt

from mediahub.core.errors import InvalidInput
from mediahub.episodes.srt import srt_to_vtt


def _cues(vtt: str) -> list[tuple[str, str, str | None, str]]:
    parsed = webvtt.from_buffer(io.BytesIO(vtt.encode()), format="vtt")
    return [(c.start, c.end, c.voice, c.text) for c in parsed.captions]


# The example of the podcast namespace's transcript spec (Buzzsprout's
# export): two lines per cue, the speaker's name when it changes.
SPEC_EXAMPLE = """1
00:00:00,000 --> 00:00:02,760
Sarah: In today's episode,
you'll learn whether or not you

2
00:00:02,760 --> 00:00:06,090
should have a podcast trailer.
And if so, what should you

3
00:00:19,080 --> 00:00:21,450
Gillian: Hi Buzzsprout, Gillian
here from breaking through
"""


def test_speakers_named_when_they_change_carry_on_to_later_cues() -> None:
    assert _cues(srt_to_vtt(SPEC_EXAMPLE)) == [
        ("00:00:00.000", "00:00:02.760", "Sarah",
         "In today's episode, you'll learn whether or not you"),
        ("00:00:02.760", "00:00:06.090", "Sarah",
         "should have a podcast trailer. And if so, what should you"),
        ("00:00:19.080", "00:00:21.450", "Gillian",
         "Hi Buzzsprout, Gillian here from breaking through"),
    ]  # fmt: skip


def test_one_label_with_a_colon_is_not_a_speaker() -> None:
    text = "1\n00:00:01,000 --> 00:00:04,000\nWichtig: bitte nichts weitersagen.\n"
    assert _cues(srt_to_vtt(text)) == [
        ("00:00:01.000", "00:00:04.000", None, "Wichtig: bitte nichts weitersagen.")
    ]


def test_sloppy_exports_are_read() -> None:
    # Leading and doubled blank lines, numbering gaps, missing numbers, full
    # stops before the milliseconds, no hours, markup, trailing spaces.
    text = (
        "\n\n3\n00:00:00.780 --> 00:00:06.210  \nAdam Curry: podcasting 2.0\n\n\n\n"
        '00:06,210 --> 00:12,990\n<i>formable</i> <font color="#ff0">hello</font> & <3\n\n'
        "17\n01:00:00,5 --> 01:00:02,25\nAdam Curry: board meeting\n   \n"
    )
    assert _cues(srt_to_vtt(text)) == [
        ("00:00:00.780", "00:00:06.210", "Adam Curry", "podcasting 2.0"),
        ("00:00:06.210", "00:00:12.990", "Adam Curry", "formable hello &amp; &lt;3"),
        ("01:00:00.500", "01:00:02.250", "Adam Curry", "board meeting"),
    ]


def test_names_repeat_so_they_are_speakers() -> None:
    text = (
        "1\n00:00:00,000 --> 00:00:01,000\nAnna Maria: Hallo.\n\n"
        "2\n00:00:01,000 --> 00:00:02,000\nWie geht's?\n\n"
        "3\n00:00:02,000 --> 00:00:03,000\nAnna Maria: Gut.\n"
    )
    assert [voice for _, _, voice, _ in _cues(srt_to_vtt(text))] == [
        "Anna Maria",
        "Anna Maria",
        "Anna Maria",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no text"),
        ("1\n00:00:01,000 --> 00:00:02,000\n\n", "no text"),
        ("Dies ist ein Brief.\n\nMit Absätzen.", "Cue 1 has no time"),
        ("1\n00:00:01,000 --> 00:00:02,000\nA\n\n2\nkeine Zeit\n", "Cue 2 has no time"),
    ],
)
def test_what_is_not_srt_is_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        srt_to_vtt(text)
    assert caught.value.field == "file"
