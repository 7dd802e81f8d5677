"""Speech recognition on a German recording made on the fly (espeak-ng)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from mediahub.audio.ffmpeg import ffmpeg_path

from .conftest import EXPECTED, need_recogniser

#: The model runs here: once is enough (the PostgreSQL pass of .ci/run skips these).
pytestmark = pytest.mark.model

#: espeak-ng's sentences begin and end with a little quiet; Whisper times
#: words to 20 ms steps and pads phrases: a word lies in its sentence ± this.
SLACK_S = 0.6


def words_of(segments: list) -> list:
    return [w for s in segments for w in s.words]


def plain(word: str) -> str:
    return re.sub(r"[^\w]", "", word.lower())


def sentence_of(spoken: list, start: float, end: float) -> int | None:
    for index, s in enumerate(spoken):
        if s.start_s - SLACK_S <= start and end <= s.end_s + SLACK_S:
            return index
    return None


def test_german_words_come_back_in_order_with_times_inside_the_audio(
    recogniser, german: SimpleNamespace
) -> None:
    segments = list(recogniser.transcribe(german.path, language="de"))
    words = words_of(segments)
    heard = {plain(w.text): w for w in words}
    found = {word: heard[word] for word in EXPECTED if word in heard}
    assert len(found) >= len(EXPECTED) - 1, [s.text for s in segments]
    for word, timed in found.items():
        # ... and each is timed inside the sentence it was spoken in.
        assert sentence_of(german.spoken, timed.start_s, timed.end_s) == EXPECTED[word], (
            word,
            timed,
        )
    times = [t for w in words for t in (w.start_s, w.end_s)]
    assert times == sorted(times)
    assert times[0] >= 0 and times[-1] <= german.length_s + 0.1
    for s in segments:
        assert s.start_s <= s.end_s and (s.start_s, s.end_s) == (
            s.words[0].start_s,
            s.words[-1].end_s,
        )
        assert type(s.start_s) is float


def test_the_silence_is_skipped(recogniser, german: SimpleNamespace) -> None:
    """Six seconds without speech: nothing is made up for them."""
    quiet = (german.spoken[1].end_s + SLACK_S, german.spoken[2].start_s - SLACK_S)
    for word in words_of(list(recogniser.transcribe(german.path, language="de"))):
        assert word.end_s <= quiet[0] or word.start_s >= quiet[1], word


def test_small_blocks_carry_unfinished_phrases_over(
    recogniser, german: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With 4-second blocks every sentence crosses a block's end: it is
    recognised whole once, in the next block, never cut in two."""
    from mediahub.transcripts import recognizer

    monkeypatch.setattr(recognizer, "BLOCK_SECONDS", 4)
    done: list[float] = []
    segments = list(recogniser.transcribe(german.path, language="de", progress=done.append))
    per_sentence = [sentence_of(german.spoken, s.start_s, s.end_s) for s in segments]
    assert None not in per_sentence, [(s.start_s, s.end_s, s.text) for s in segments]
    assert sorted(set(per_sentence)) == [0, 1, 2, 3]
    assert len(done) >= 5 and done == sorted(done)
    assert done[-1] == pytest.approx(german.length_s, abs=0.2)
    heard = {plain(w.text) for w in words_of(segments)}
    assert len(heard & set(EXPECTED)) >= len(EXPECTED) // 2


def test_language_tags_become_the_models_codes(recogniser) -> None:
    assert recogniser.language("de") == "de"
    assert recogniser.language("de-AT") == "de"
    assert recogniser.language("EN_gb") == "en"
    assert recogniser.language("xx") is None
    assert recogniser.language(None) is None


def test_a_file_that_is_not_audio_fails_with_a_reason(recogniser, tmp_path: Path) -> None:
    from mediahub.transcripts.recognizer import RecognitionFailed

    bad = tmp_path / "notes.mp3"
    bad.write_bytes(b"Notizen, keine Aufnahme\n" * 100)
    with pytest.raises(RecognitionFailed, match=r"could not be decoded|no audio"):
        list(recogniser.transcribe(bad, language="de"))


def test_silence_alone_gives_no_text(recogniser, tmp_path: Path) -> None:
    need_recogniser()
    quiet = tmp_path / "quiet.mp3"
    subprocess.run(
        [
            *(ffmpeg_path(), "-nostdin", "-loglevel", "error", "-f", "lavfi"),
            *("-i", "anoisesrc=color=pink:amplitude=0.001:duration=12", str(quiet)),
        ],
        check=True,
        timeout=60,
    )
    assert list(recogniser.transcribe(quiet, language="de")) == []
