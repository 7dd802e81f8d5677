"""Parsers of ffmpeg's log, tested on captured output of the bundled ffmpeg."""

from __future__ import annotations

import math

import pytest

from mediahub.audio._parsers import (
    parse_channel_layout,
    parse_clock,
    parse_ebur128_summary,
    parse_final_time,
    parse_input_header,
    parse_max_volume,
    strip_prefix,
)
from mediahub.audio.ffmpeg import parse_filter_list

MP4_LOG = """\
[info] Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'file:/tmp/ap/t.mp4':
[info]   Metadata:
[info]     major_brand     : isom
[info]     location        : +48.1351+011.5820/
[info]   Duration: 00:00:05.00, start: 0.000000, bitrate: 176 kb/s
[info]   Stream #0:0[0x1](und): Video: mpeg4 (Simple Profile) (mp4v / 0x7634706D), yuv420p, \
64x64 [SAR 1:1 DAR 1:1], 42 kb/s, 10 fps, 10 tbr, 10240 tbn (default)
[info]     Metadata:
[info]       handler_name    : VideoHandler
[info]   Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, \
128 kb/s (default)
[info] Stream mapping:
[info]   Stream #0:1 -> #0:0 (aac (native) -> pcm_s16le (native))
[info] Output #0, null, to 'pipe:':
[info]   Stream #0:0(und): Audio: pcm_s16le, 48000 Hz, stereo, s16, 1536 kb/s (default)
[Parsed_ebur128_0 @ 0x7f4564001bc0] [info] Summary:

  Integrated loudness:
    I:         -22.5 LUFS
    Threshold: -32.5 LUFS

  Loudness range:
    LRA:         0.1 LU
    Threshold: -42.5 LUFS
    LRA low:   -22.6 LUFS
    LRA high:  -22.5 LUFS

  Sample peak:
    Peak:      -11.9 dBFS

  True peak:
    Peak:      -11.7 dBFS
[out#0/null @ 0x5561f7ad1fc0] [info] video:0KiB audio:938KiB subtitle:0KiB other streams:0KiB
[info] size=N/A time=00:00:05.00 bitrate=N/A speed= 140x elapsed=0:00:00.03
"""

WEBM_LIVE_LOG = """\
[info] Input #0, matroska,webm, from 'file:/tmp/ap/live.webm':
[info]   Metadata:
[info]     ENCODER         : Lavf63.1.102
[info]   Duration: N/A, start: 0.000000, bitrate: N/A
[info]   Stream #0:0: Audio: opus, 48000 Hz, mono, fltp
[info] Stream mapping:
[info] size=N/A time=00:00:20.00 bitrate=N/A speed= 121x elapsed=0:00:00.16
"""

TRUNCATED_MP3_LOG = """\
[in#0 @ 0x558b00aa3240] [warning] filesize and duration do not match (growing file?)
[info] Input #0, mp3, from 'file:/tmp/ap/trunc.mp3':
[info]   Duration: 00:00:20.00, start: 0.023021, bitrate: 40 kb/s
[info]   Stream #0:0: Audio: mp3 (mp3float), 48000 Hz, stereo, fltp, 128 kb/s, start 0.023021
[info] size=N/A time=00:00:06.21 bitrate=N/A speed= 128x elapsed=0:00:00.04
"""

NOT_WHITELISTED_LOG = """\
[in#0 @ 0x561c37069240] [error] Format not on whitelist 'mp3,mov,wav'
[in#0 @ 0x561c37068f00] [error] Error opening input: Invalid argument
[error] Error opening input file file:/tmp/ap/text.txt.
[fatal] Error opening input files: Invalid argument
"""

SILENCE_SUMMARY = """\
[Parsed_ebur128_0 @ 0x7f581c001cc0] [info] Summary:

  Integrated loudness:
    I:         -70.0 LUFS
    Threshold:   0.0 LUFS

  Loudness range:
    LRA:         0.0 LU
    Threshold:   0.0 LUFS
    LRA low:     0.0 LUFS
    LRA high:    0.0 LUFS

  True peak:
    Peak:       -inf dBFS
"""


def test_header_of_video_picks_audio_stream_and_container() -> None:
    header = parse_input_header(MP4_LOG)
    assert header.opened
    assert header.container == "mov,mp4,m4a,3gp,3g2,mj2"
    assert header.duration_s == 5.0
    assert header.bit_rate == 176_000
    assert header.video_codecs == ["mpeg4"]
    [audio] = header.audio
    assert (audio.index, audio.codec, audio.sample_rate, audio.channels, audio.bit_rate) == (
        1,
        "aac",
        48000,
        2,
        128_000,
    )
    assert not header.size_mismatch


def test_header_without_duration() -> None:
    header = parse_input_header(WEBM_LIVE_LOG)
    assert header.container == "matroska,webm"
    assert header.duration_s is None
    assert header.bit_rate is None
    assert header.audio[0].channels == 1
    assert header.audio[0].bit_rate is None


def test_header_flags_truncated_file() -> None:
    header = parse_input_header(TRUNCATED_MP3_LOG)
    assert header.size_mismatch
    assert header.duration_s == 20.0
    assert parse_final_time(TRUNCATED_MP3_LOG) == pytest.approx(6.21)


def test_header_with_estimated_duration() -> None:
    log = (
        "[in#0/mp3 @ 0x55f9056b9080] [warning] Estimating duration from bitrate, "
        "this may be inaccurate\n" + TRUNCATED_MP3_LOG.split("\n", 1)[1]
    )
    header = parse_input_header(log)
    assert header.duration_estimated
    assert not header.size_mismatch
    assert not parse_input_header(MP4_LOG).duration_estimated


def test_header_of_refused_input() -> None:
    header = parse_input_header(NOT_WHITELISTED_LOG)
    assert not header.opened
    assert header.audio == []


def test_ebur128_summary_with_both_peaks() -> None:
    summary = parse_ebur128_summary(MP4_LOG)
    assert summary is not None
    assert summary.integrated_lufs == -22.5
    assert summary.lra == 0.1
    assert summary.sample_peak_dbfs == -11.9
    assert summary.true_peak_dbfs == -11.7


def test_ebur128_summary_of_silence() -> None:
    summary = parse_ebur128_summary(SILENCE_SUMMARY)
    assert summary is not None
    assert summary.integrated_lufs == -70.0
    assert summary.true_peak_dbfs == -math.inf
    assert summary.sample_peak_dbfs is None


def test_ebur128_summary_missing() -> None:
    assert parse_ebur128_summary(TRUNCATED_MP3_LOG) is None


def test_max_volume_of_volumedetect() -> None:
    log = (
        "[Parsed_volumedetect_3 @ 0x7efe880144c0] [info] n_samples: 211680000\n"
        "[Parsed_volumedetect_3 @ 0x7efe880144c0] [info] mean_volume: -27.4 dB\n"
        "[Parsed_volumedetect_3 @ 0x7efe880144c0] [info] max_volume: -1.9 dB\n"
        "[Parsed_volumedetect_3 @ 0x7efe880144c0] [info] histogram_1db: 203\n"
    )
    assert parse_max_volume(log) == -1.9
    assert parse_max_volume(log.replace("-1.9 dB", "0.0 dB")) == 0.0
    assert parse_max_volume(MP4_LOG) is None


def test_last_summary_wins() -> None:
    later = SILENCE_SUMMARY.replace("-70.0 LUFS", "-18.2 LUFS", 1)
    summary = parse_ebur128_summary(MP4_LOG + later)
    assert summary is not None
    assert summary.integrated_lufs == -18.2


@pytest.mark.parametrize(
    ("layout", "channels"),
    [
        ("mono", 1),
        ("stereo", 2),
        ("5.1(side)", 6),
        ("7.1", 8),
        ("2.1", 3),
        ("quad", 4),
        ("3 channels", 3),
        ("1 channels (FL)", 1),
        ("ambisonic 1", None),
    ],
)
def test_channel_layouts(layout: str, channels: int | None) -> None:
    assert parse_channel_layout(layout) == channels


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("00:00:05.00", 5.0), ("01:02:03.50", 3723.5), ("12.5", 12.5), ("N/A", None)],
)
def test_clock(text: str, seconds: float | None) -> None:
    assert parse_clock(text) == seconds


def test_strip_prefix() -> None:
    assert strip_prefix("[in#0 @ 0x1] [error] Boom") == "Boom"
    assert strip_prefix("[info]   Duration: N/A") == "  Duration: N/A"
    assert strip_prefix("no prefix") == "no prefix"


def test_filter_list() -> None:
    text = """Filters:
  T.. = Timeline support
  ------
 TS adeclick          A->A       Remove impulsive noise from input audio.
 .. ebur128           A->N       EBU R128 scanner.
 .. rubberband        A->A       Apply time-stretching and pitch-shifting.
 .. concat            N->N       Concatenate audio and video streams.
"""
    assert parse_filter_list(text) == {"adeclick", "ebur128", "rubberband", "concat"}
