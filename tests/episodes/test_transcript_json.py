"""Podcasting 2.0 JSON transcripts as other tools export them become WebVTT cues."""

from __future__ import annotations

import io
import json

import pytest
import webvtt

from mediahub.core.errors import InvalidInput
from mediahub.episodes.transcript_json import json_to_vtt, looks_like_json, vtt_to_json


def _cues(vtt: str) -> list[tuple[str, str, str | None, str]]:
    parsed = webvtt.from_buffer(io.BytesIO(vtt.encode()), format="vtt")
    return [(c.start, c.end, c.voice, c.text) for c in parsed.captions]


# The namespace's own example: one segment per word, the sentence end as "\n".
SPEC_EXAMPLE = {
    "version": "1.0.0",
    "segments": [
        {"speaker": "Darth Vader", "startTime": 0.5, "endTime": 0.75, "body": "I"},
        {"speaker": "Darth Vader", "startTime": 1, "endTime": 1.25, "body": "am"},
        {"speaker": "Darth Vader", "startTime": 1.5, "endTime": 2.0, "body": "your"},
        {"speaker": "Darth Vader", "startTime": 2.25, "endTime": 2.50, "body": "father.\n"},
        {"speaker": "Luke", "startTime": 2.75, "endTime": 3.0, "body": "Nooooo"},
    ],
}


def test_word_level_example_of_the_namespace() -> None:
    assert _cues(json_to_vtt(json.dumps(SPEC_EXAMPLE))) == [
        ("00:00:00.500", "00:00:02.500", "Darth Vader", "I am your father."),
        ("00:00:02.750", "00:00:03.000", "Luke", "Nooooo"),
    ]


def test_sentence_level_export_with_speakers_keeps_each_sentence() -> None:
    # As editors like Descript or hosts like Buzzsprout export it, with keys of their own.
    document = {
        "version": "1.0.0",
        "language": "de",
        "segments": [
            {
                "id": 1,
                "speaker": "Moderatorin",
                "startTime": 0,
                "endTime": 4.2,
                "body": "Willkommen zur Trauergruppe Süd.",
                "confidence": 0.93,
            },
            {
                "id": 2,
                "speaker": "Moderatorin",
                "startTime": 4.2,
                "endTime": 7.9,
                "body": "Heute sprechen wir über das erste Jahr.",
            },
            {
                "id": 3,
                "speaker": "Gast (Jörg)",
                "startTime": 8.1,
                "endTime": 15.0,
                "body": "Für mich war das Schwierigste, dass alle so taten, als wäre nichts.",
            },
        ],
    }
    assert _cues(json_to_vtt(json.dumps(document, ensure_ascii=False).encode())) == [
        ("00:00:00.000", "00:00:04.200", "Moderatorin", "Willkommen zur Trauergruppe Süd."),
        ("00:00:04.200", "00:00:07.900", "Moderatorin", "Heute sprechen wir über das erste Jahr."),
        (
            "00:00:08.100",
            "00:00:15.000",
            "Gast (Jörg)",
            "Für mich war das Schwierigste, dass alle so taten, als wäre nichts.",
        ),
    ]


def _words(text: str, start: float, step: float = 0.3, speaker: str | None = None) -> list[dict]:
    out = []
    for index, word in enumerate(text.split(" ")):
        segment = {"startTime": round(start + index * step, 3), "body": word}
        segment["endTime"] = round(segment["startTime"] + step - 0.05, 3)
        if speaker:
            segment["speaker"] = speaker
        out.append(segment)
    return out


def test_long_word_level_speech_is_cut_at_sentence_ends_and_pauses() -> None:
    # A speech recogniser's output (as in AntennaPod's parser comment): no
    # speaker, one word per segment, a pause of 4 s in the middle.
    first = (
        "And the first thing we learned was that nobody has to talk . It is fine to listen "
        "for a few weeks , to come and go , and to bring a friend if that helps ."
    )
    segments = _words(first, 0.8) + _words("After the break we continue .", 20.0)
    vtt = json_to_vtt(json.dumps({"version": "1.0.0", "segments": segments}))
    cues = _cues(vtt)
    texts = [text for *_, text in cues]
    assert " ".join(texts) == (
        "And the first thing we learned was that nobody has to talk. It is fine to listen "
        "for a few weeks, to come and go, and to bring a friend if that helps. "
        "After the break we continue."
    )
    assert len(cues) >= 3
    assert texts[-1] == "After the break we continue."  # the pause starts a new cue
    assert all(voice is None for _, _, voice, _ in cues)
    assert all(len(text) <= 120 for text in texts)
    starts = [start for start, *_ in cues]
    assert starts == sorted(starts)
    ends_before_next = all(cues[i][1] <= cues[i + 1][0] for i in range(len(cues) - 1))
    assert ends_before_next  # no two cues on screen at once


def test_lenient_where_tools_differ() -> None:
    document = {
        "segments": [
            {"startTime": "3.5", "body": "Times as text,"},
            {"startTime": 1, "endTime": None, "body": "missing end times,"},
            None,
            {"startTime": 5, "endTime": 2, "body": "an end before the start"},
            {"body": "no start: left out"},
            {"startTime": 7, "body": "   "},
            {"startTime": 8, "body": 42},
            {"startTime": True, "body": "a boolean is no time"},
        ]
    }
    assert _cues(json_to_vtt(json.dumps(document))) == [
        ("00:00:01.000", "00:00:03.500", None, "missing end times,"),
        ("00:00:03.500", "00:00:05.000", None, "Times as text,"),
        ("00:00:05.000", "00:00:08.000", None, "an end before the start"),
    ]


def test_markup_is_text_and_speaker_names_cannot_break_the_cue() -> None:
    document = {
        "segments": [
            {
                "speaker": "Eve> <b>\nBold",
                "startTime": 0,
                "endTime": 2,
                "body": "<script>alert(1)</script> & --> done",
            }
        ]
    }
    vtt = json_to_vtt(json.dumps(document))
    assert "<script>" not in vtt and "-->" not in vtt.split("\n", 3)[3]
    ((_, _, voice, text),) = _cues(vtt)  # escaped in the file, one line
    assert voice == "Eve&gt; &lt;b&gt; Bold"
    assert text == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; --&gt; done"
    back = vtt_to_json(vtt)["segments"][0]
    assert back["speaker"] == "Eve> <b> Bold"
    assert back["body"] == "<script>alert(1)</script> & --> done"


@pytest.mark.parametrize(
    "data",
    [
        b"[1, 2, 3]",
        b'{"version": "1.0.0"}',
        b'{"segments": "none"}',
        b'{"segments": []}',
        b'{"segments": [{"startTime": 1}]}',
        b'{"segments": [{"startTime": NaN, "body": "x"}]}',
        b'{"segments": [{"startTime": 1e400, "body": "x"}]}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"segments": [',
        "\udcff".encode("utf-8", "surrogatepass"),
        b'{"segments": [{"startTime": 1, "body": "x"}]}' + b" " * (8 * 1024**2),
    ],
    ids=[
        "list",
        "no-segments",
        "segments-not-list",
        "empty",
        "no-body",
        "nan",
        "huge-number",
        "deep",
        "truncated",
        "not-utf8",
        "too-large",
    ],
)
def test_what_is_not_a_transcript_is_refused_with_a_reason(data: bytes) -> None:
    with pytest.raises(InvalidInput) as caught:
        json_to_vtt(data)
    assert caught.value.field == "file"
    assert str(caught.value.message)


def test_round_trip_of_a_sentence_level_document() -> None:
    document = {
        "version": "1.0.0",
        "segments": [
            {"speaker": "Anna", "startTime": 0, "endTime": 2.5, "body": "Hallo zusammen."},
            {"startTime": 2.5, "endTime": 3661.25, "body": "Ohne Namen, über eine Stunde."},
            {"speaker": "Ben & Co", "startTime": 3661.25, "endTime": 3662, "body": "a < b"},
        ],
    }
    assert vtt_to_json(json_to_vtt(json.dumps(document))) == document


def test_vtt_with_voices_as_a_json_document() -> None:
    vtt = (
        "WEBVTT\nKind: captions\nLanguage: de\n\nNOTE exported by a transcription service\n\n"
        "intro\n00:00.000 --> 00:02.000 align:start\n<v.loud Anna>Guten Abend.</v>\n\n"
        "00:00:02.000 --> 00:00:04.500\n<v Ben>Hallo, <i>Anna</i>.\n\n"
        "00:00:05.000 --> 00:00:06.000\nOhne Sprecher.\n"
    )
    assert vtt_to_json(vtt) == {
        "version": "1.0.0",
        "segments": [
            {"speaker": "Anna", "startTime": 0, "endTime": 2, "body": "Guten Abend."},
            {"speaker": "Ben", "startTime": 2, "endTime": 4.5, "body": "Hallo, Anna."},
            {"startTime": 5, "endTime": 6, "body": "Ohne Sprecher."},
        ],
    }


def test_json_is_recognised_by_content() -> None:
    assert looks_like_json('\ufeff\n  {"segments": []}')
    assert not looks_like_json("WEBVTT\n\n")
    assert not looks_like_json("1\n00:00:00,000 --> 00:00:01,000\n{curly}\n")
