"""Parsers for ffmpeg's log output (the wheel has no ffprobe).

Pure functions over text, unit-tested on captured logs. ffmpeg runs with
``-loglevel level+info``, so most lines start with ``[info]``/``[error]`` and
sometimes a ``[context @ 0x..]`` tag; multi-line messages (the ebur128
summary) carry the prefix on their first line only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

_PREFIX_RE = re.compile(r"^(?:\[[^\]]*\]\s)+")
_INPUT_RE = re.compile(r"^Input #0, (.+?), from '")
_DURATION_RE = re.compile(
    r"^\s*Duration: (N/A|[\d:.]+)(?:, start: [-\d.]+)?, bitrate: (N/A|\d+) kb/s"
)
_STREAM_RE = re.compile(r"^\s*Stream #0:(\d+)\S*: (Audio|Video|Subtitle|Data|Attachment): (.*)$")
_FINAL_TIME_RE = re.compile(r"size=\s*\S+ time=(-?[\d:.]+|N/A)")

_NAMED_LAYOUTS = {
    "mono": 1,
    "stereo": 2,
    "downmix": 2,
    "binaural": 2,
    "quad": 4,
    "hexagonal": 6,
    "cube": 8,
    "octagonal": 8,
    "hexadecagonal": 16,
}


@dataclass(frozen=True)
class AudioStreamHeader:
    """One ``Stream #0:N: Audio: ...`` line."""

    index: int
    codec: str
    sample_rate: int | None
    channels: int | None
    bit_rate: int | None


@dataclass(frozen=True)
class InputHeader:
    """What ffmpeg says about input #0 when it opens it."""

    opened: bool
    container: str | None = None
    duration_s: float | None = None
    bit_rate: int | None = None
    audio: list[AudioStreamHeader] = field(default_factory=list)
    video_codecs: list[str] = field(default_factory=list)
    size_mismatch: bool = False
    duration_estimated: bool = False


@dataclass(frozen=True)
class Ebur128Summary:
    """The numbers of an ``ebur128`` summary; peaks are None when not measured."""

    integrated_lufs: float
    lra: float
    true_peak_dbfs: float | None
    sample_peak_dbfs: float | None


def strip_prefix(line: str) -> str:
    """Remove the leading ``[context @ 0x..] [level] `` tags of one log line."""
    return _PREFIX_RE.sub("", line)


def parse_clock(value: str) -> float | None:
    """Parse ``HH:MM:SS.ss`` (or plain seconds) into seconds; None for ``N/A``."""
    if value in ("N/A", ""):
        return None
    seconds = 0.0
    for part in value.lstrip("-").split(":"):
        seconds = seconds * 60 + float(part)
    return -seconds if value.startswith("-") else seconds


def parse_channel_layout(layout: str) -> int | None:
    """Return the channel count of an ffmpeg layout name (``stereo``, ``5.1(side)``, ...)."""
    layout = layout.strip()
    match = re.match(r"^(\d+) channels", layout)
    if match:
        return int(match.group(1))
    base = layout.split("(")[0]
    if base in _NAMED_LAYOUTS:
        return _NAMED_LAYOUTS[base]
    if re.fullmatch(r"\d+(?:\.\d+)+", base):
        # "5.1" is five full-range channels plus one LFE; "7.1.4" adds four heights.
        return sum(int(part) for part in base.split("."))
    return None


def _parse_audio_stream(index: int, details: str) -> AudioStreamHeader:
    # "aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, 128 kb/s (default)"
    codec = re.match(r"(\w+)", details)
    rate = re.search(r", (\d+) Hz, ([^,]+)", details)
    bit_rate = re.search(r", (\d+) kb/s", details)
    return AudioStreamHeader(
        index=index,
        codec=codec.group(1) if codec else "unknown",
        sample_rate=int(rate.group(1)) if rate else None,
        channels=parse_channel_layout(rate.group(2)) if rate else None,
        bit_rate=int(bit_rate.group(1)) * 1000 if bit_rate else None,
    )


def parse_input_header(log: str) -> InputHeader:
    """Parse the ``Input #0`` block of an ffmpeg log.

    Args:
        log: ffmpeg stderr.

    Returns:
        The header; ``opened`` is False when ffmpeg could not open the input.
    """
    lines = [strip_prefix(line) for line in log.splitlines()]
    size_mismatch = any("filesize and duration do not match" in line for line in lines)
    # VBR MP3 without a Xing header: the length is a guess from the first frames.
    estimated = any("Estimating duration from bitrate" in line for line in lines)
    found = next(((i, m) for i, line in enumerate(lines) if (m := _INPUT_RE.match(line))), None)
    if found is None:
        return InputHeader(opened=False, size_mismatch=size_mismatch)
    start, input_match = found
    container = input_match.group(1)
    duration = bit_rate = None
    audio: list[AudioStreamHeader] = []
    video: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith(("Output #", "Stream mapping:", "Input #")):
            break
        if match := _DURATION_RE.match(line):
            duration = parse_clock(match.group(1))
            bit_rate = None if match.group(2) == "N/A" else int(match.group(2)) * 1000
        elif match := _STREAM_RE.match(line):
            kind, details = match.group(2), match.group(3)
            if kind == "Audio":
                audio.append(_parse_audio_stream(int(match.group(1)), details))
            elif kind == "Video":
                video.append(details.split(" ", 1)[0].rstrip(","))
    return InputHeader(
        opened=True,
        container=container,
        duration_s=duration,
        bit_rate=bit_rate,
        audio=audio,
        video_codecs=video,
        size_mismatch=size_mismatch,
        duration_estimated=estimated,
    )


def _summary_value(text: str, pattern: str) -> float | None:
    match = re.search(pattern, text)
    if not match:
        return None
    value = match.group(1)
    return -math.inf if value == "-inf" else float(value)


def parse_ebur128_summary(log: str) -> Ebur128Summary | None:
    """Parse the last ``ebur128`` summary of a log.

    Args:
        log: ffmpeg stderr containing ``[Parsed_ebur128_N @ ..] Summary:``.

    Returns:
        The summary, or None when the log has none. Silence reads as
        ``-70.0`` LUFS (ebur128's absolute gate) and ``-inf`` peaks.
    """
    position = log.rfind("Summary:")
    if position < 0:
        return None
    text = log[position:]
    number = r"(-?\d+(?:\.\d+)?|-inf)"
    integrated = _summary_value(text, rf"Integrated loudness:\s+I:\s+{number} LUFS")
    if integrated is None:
        return None
    lra = _summary_value(text, rf"Loudness range:\s+LRA:\s+{number} LU")
    return Ebur128Summary(
        integrated_lufs=integrated,
        lra=lra if lra is not None else 0.0,
        true_peak_dbfs=_summary_value(text, rf"True peak:\s+Peak:\s+{number} dBFS"),
        sample_peak_dbfs=_summary_value(text, rf"Sample peak:\s+Peak:\s+{number} dBFS"),
    )


def parse_max_volume(log: str) -> float | None:
    """Return the last ``volumedetect`` maximum in dBFS (None when there is none).

    volumedetect reads 16-bit samples, so anything at or above full scale
    reads 0.0 dB - which is all a ceiling check needs to know.
    """
    matches = re.findall(r"max_volume: (-?\d+(?:\.\d+)?|-inf) dB", log)
    if not matches:
        return None
    return -math.inf if matches[-1] == "-inf" else float(matches[-1])


def parse_final_time(log: str) -> float | None:
    """Return the position of the last ``size=.. time=..`` status line, in seconds.

    This is how far ffmpeg got, i.e. the decoded duration of a full pass.
    """
    matches = _FINAL_TIME_RE.findall(log)
    return parse_clock(matches[-1]) if matches else None
