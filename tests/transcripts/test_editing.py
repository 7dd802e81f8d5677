"""Editing a transcript's cues: words, speakers, merge and split."""

from __future__ import annotations

import pytest

from mediahub.transcripts.captions import Cue
from mediahub.transcripts.editing import (
    CUE_TEXT_MAX,
    EditRefused,
    merge,
    rename_speaker,
    speakers,
    split,
    with_words,
    without_empty,
)

CUES = [
    Cue(0.0, 2.0, "", "Guten Abend und willkommen."),
    Cue(2.5, 6.5, "", "Heute sprechen wir über Schlaf."),
    Cue(7.0, 8.0, "", "Danke."),
]


def test_words_and_speakers_change_times_never() -> None:
    edited = with_words(
        CUES, ["Guten Abend, willkommen!", " x ", "Danke."], ["Sprecherin 1", "", "  Tom \n B "]
    )
    assert [c.text for c in edited] == ["Guten Abend, willkommen!", "x", "Danke."]
    assert [c.speaker for c in edited] == ["Sprecherin 1", "", "Tom B"]
    assert [(c.start_s, c.end_s) for c in edited] == [(c.start_s, c.end_s) for c in CUES]


@pytest.mark.parametrize(
    ("texts", "names", "code"),
    [
        (["a", "b"], ["", ""], "stale"),
        (["a", "b", "c", "d"], ["", "", "", ""], "stale"),
        (["a", "b", "x" * (CUE_TEXT_MAX + 1)], ["", "", ""], "text_too_long"),
        (["a", "b", "c"], ["", "", "n" * 101], "speaker_too_long"),
    ],
)
def test_edits_that_do_not_fit_are_refused(texts: list, names: list, code: str) -> None:
    with pytest.raises(EditRefused) as refused:
        with_words(CUES, texts, names)
    assert refused.value.code == code


def test_emptied_cues_are_dropped() -> None:
    edited = with_words(CUES, ["", "||", "Danke."], ["", "", ""])
    assert without_empty(edited) == [CUES[2]]


def test_merge_joins_text_and_time() -> None:
    merged = merge(with_words(CUES, [c.text for c in CUES], ["Anna", "", ""]), 0)
    assert merged[0] == Cue(
        0.0, 6.5, "Anna", "Guten Abend und willkommen. Heute sprechen wir über Schlaf."
    )
    assert merged[1] == CUES[2]
    with pytest.raises(EditRefused):
        merge(CUES, 2)
    with pytest.raises(EditRefused):
        merge(CUES, -1)


def test_split_at_the_cursor_shares_the_time_by_the_text() -> None:
    first, second = split(CUES, 1, at=len("Heute sprechen wir "))[1:3]
    assert (first.text, second.text) == ("Heute sprechen wir", "über Schlaf.")
    assert first.start_s == 2.5 and second.end_s == 6.5
    assert first.end_s == second.start_s == pytest.approx(2.5 + 4.0 * 19 / 31, abs=0.001)


def test_split_without_script_at_the_mark_or_in_the_middle() -> None:
    marked = [Cue(0.0, 4.0, "Tom", "Eins zwei || drei vier")]
    assert [c.text for c in split(marked, 0)] == ["Eins zwei", "drei vier"]
    assert [c.speaker for c in split(marked, 0)] == ["Tom", "Tom"]
    assert [c.text for c in split(CUES, 0)[:2]] == ["Guten Abend und", "willkommen."]
    with pytest.raises(EditRefused) as refused:
        split(CUES, 2)
    assert refused.value.code == "one_word"
    with pytest.raises(EditRefused):
        split(CUES, 3)


def test_renaming_a_speaker_everywhere() -> None:
    named = with_words(CUES, [c.text for c in CUES], ["Sprecher 1", "Anna", "Sprecher 1"])
    assert speakers(named) == ["Sprecher 1", "Anna"]
    renamed = rename_speaker(named, "Sprecher 1", " Mo ")
    assert [c.speaker for c in renamed] == ["Mo", "Anna", "Mo"]
    assert speakers(rename_speaker(renamed, "Anna", "")) == ["Mo"]
