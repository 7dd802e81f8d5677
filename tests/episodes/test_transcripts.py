import pytest

from mediahub.core.errors import InvalidInput
from mediahub.episodes.transcripts import cues, to_vtt

SRT = (
    "1\r\n00:00:01,000 --> 00:00:04,500\r\nHallo <b>zusammen</b>\r\n\r\n"
    "2\r\n01:02:05,250 --> 01:02:07,000\r\nZweite Zeile\r\nnoch eine\r\n"
)
VTT = "WEBVTT\n\n00:01.000 --> 00:02.500\n<v Anna>Guten Abend\n"


def test_srt_is_converted_to_webvtt_keeping_times_and_text():
    vtt = to_vtt(SRT.encode())
    assert vtt.startswith("WEBVTT")
    assert "01:02:05.250 --> 01:02:07.000" in vtt
    got = cues(vtt)
    assert [(c.start_s, c.end_s) for c in got] == [(1.0, 4.5), (3725.25, 3727.0)]
    assert got[0].text == "Hallo zusammen"
    # Subtitle line wrapping is display only: a cue is one line of transcript.
    assert got[1].text == "Zweite Zeile noch eine"


def test_webvtt_is_kept_as_uploaded():
    assert to_vtt(VTT.encode("utf-8-sig")) == VTT
    assert [c.text for c in cues(VTT)] == ["Guten Abend"]


@pytest.mark.parametrize(
    "data",
    [b"just some text", b"\xff\xfe\x00garbage", b"WEBVTT\n\n", b"%PDF-1.4 binary"],
    ids=["text", "not-utf8", "no-cues", "pdf"],
)
def test_what_is_not_a_transcript_is_refused_with_a_message(data):
    with pytest.raises(InvalidInput) as err:
        to_vtt(data)
    assert err.value.field == "file"
    assert str(err.value.message)


def test_too_large_is_refused():
    with pytest.raises(InvalidInput):
        to_vtt(b"WEBVTT\n\n" + b"x" * (2 * 1024**2))
