"""Identify and validate an uploaded recording by its content.

Never by its name: uploads are stored under generated keys. ffmpeg's demuxer
probing decides what the file is (restricted to audio containers), a short
decode of the first seconds catches damaged data cheaply, and mutagen
cross-checks MP3 headers for truncated uploads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import mutagen
import mutagen.mp3

from mediahub.audio import _messages, ffmpeg
from mediahub.audio._files import mp3_info
from mediahub.audio._parsers import (
    AudioStreamHeader,
    InputHeader,
    parse_ebur128_summary,
    parse_final_time,
    parse_input_header,
)
from mediahub.audio.errors import FFmpegError, InvalidAudio

DEFAULT_MIN_DURATION_S = 1.0
DEFAULT_MAX_DURATION_S = 6 * 3600.0
# Below this the "recording" is hiss or hum: gaining it to -16 LUFS would only
# amplify noise. Real speech, even recorded far from the phone, sits far above.
DEFAULT_MIN_LOUDNESS_LUFS = -60.0
# A broken first or last frame (cut files, odd muxers) is inaudible and common;
# more undecodable packets than this mean the audio itself is damaged.
MAX_DECODE_ERRORS = 2
_PROBE_DECODE_S = 20.0
# Video "codecs" that mean the file is a picture or text, not a recording.
_STILL_CODECS = {"png", "mjpeg", "bmp", "gif", "webp", "tiff", "ansi", "jpeg2000", "svg"}


@dataclass(frozen=True)
class AudioInfo:
    """What a valid recording is.

    Attributes:
        duration_s: Length in seconds.
        channels: Channels of the audio stream that will be used (the first).
        sample_rate: Samples per second of that stream.
        codec: ffmpeg's codec name (``mp3``, ``aac``, ``opus``, ``pcm_s16le``...).
        container: ffmpeg's demuxer name (``mp3``, ``mov``, ``matroska``, ``wav``...).
        bit_rate: Overall bit rate in bit/s when the container says so.
    """

    duration_s: float
    channels: int
    sample_rate: int
    codec: str
    container: str
    bit_rate: int | None


def _check_decoded(result: ffmpeg.FFmpegRun) -> None:
    if result.decode_errors > MAX_DECODE_ERRORS:
        raise InvalidAudio(_messages.DAMAGED)
    if result.returncode != 0:
        raise FFmpegError(
            "ffmpeg could not decode the file",
            returncode=result.returncode,
            stderr_tail=result.log[-3000:],
        )


def _check_length(duration: float, min_duration_s: float, max_duration_s: float) -> None:
    if duration < min_duration_s:
        raise InvalidAudio(_messages.too_short(duration, min_duration_s))
    if duration > max_duration_s:
        raise InvalidAudio(_messages.too_long(duration, max_duration_s))


def probe(
    path: str | os.PathLike[str],
    *,
    min_duration_s: float = DEFAULT_MIN_DURATION_S,
    max_duration_s: float = DEFAULT_MAX_DURATION_S,
    min_loudness_lufs: float = DEFAULT_MIN_LOUDNESS_LUFS,
    timeout_s: float = 120.0,
) -> AudioInfo:
    """Identify `path` by content and check that it is a usable recording.

    Only the first seconds are decoded, so a long recording that is silent
    later is caught by the loudness measurement of the pipeline instead.

    Args:
        path: The uploaded file.
        min_duration_s: Shortest accepted recording.
        max_duration_s: Longest accepted recording.
        min_loudness_lufs: Quieter recordings count as silent.
        timeout_s: Limit for each ffmpeg call.

    Returns:
        The recording's properties.

    Raises:
        InvalidAudio: Empty, not audio, no sound track, damaged, truncated,
            too short, too long or silent; the message says which.
        FFmpegError: ffmpeg itself failed for another reason.
        FileNotFoundError: `path` does not exist.
    """
    path = Path(path)
    if path.stat().st_size == 0:
        raise InvalidAudio(_messages.EMPTY)
    args = [*ffmpeg.input_args(path), "-map", "0:a:0?", "-t", f"{_PROBE_DECODE_S:g}"]
    args += ["-af", "ebur128=framelog=verbose", "-f", "null", "-"]
    result = ffmpeg.run(args, timeout_s=timeout_s, check=False)
    header = parse_input_header(result.log)
    stream = _audio_stream_or_reject(header, result.log)
    _check_decoded(result)
    decoded_s = parse_final_time(result.log) or 0.0
    duration = header.duration_s
    if duration is None or header.duration_estimated:
        duration = _demuxed_duration(path, timeout_s)
    _reject_truncated(path, header, duration, decoded_s)
    _check_length(duration, min_duration_s, max_duration_s)
    if decoded_s >= duration - 0.05:
        # The short decode covered the whole file, so its loudness is final.
        summary = parse_ebur128_summary(result.log)
        if summary is None or summary.integrated_lufs <= min_loudness_lufs:
            raise InvalidAudio(_messages.SILENT)
    return AudioInfo(
        duration_s=round(duration, 3),
        channels=stream.channels or 2,
        sample_rate=stream.sample_rate or 44100,
        codec=stream.codec,
        container=(header.container or "unknown").split(",")[0],
        bit_rate=header.bit_rate or stream.bit_rate,
    )


def _audio_stream_or_reject(header: InputHeader, log: str) -> AudioStreamHeader:
    """Return the first audio stream, or raise the fitting InvalidAudio."""
    if not header.opened:
        if "moov atom not found" in log:
            # An MP4/M4A whose index was never written: the upload stopped early.
            raise InvalidAudio(_messages.TRUNCATED)
        raise InvalidAudio(_messages.NOT_AUDIO)
    if header.audio:
        return header.audio[0]
    if header.video_codecs and not set(header.video_codecs) <= _STILL_CODECS:
        raise InvalidAudio(_messages.NO_AUDIO_TRACK)
    raise InvalidAudio(_messages.NOT_AUDIO)


def _demuxed_duration(path: Path, timeout_s: float) -> float:
    """Find the length when the header has none or only a guess.

    Browser MediaRecorder WebM has none; VBR MP3 without a Xing header has a
    guess that can be off by a third, which would look like truncation.

    Copying packets to the null muxer reads the file without decoding it.
    """
    args = [*ffmpeg.input_args(path), "-map", "0:a:0", "-c", "copy", "-f", "null", "-"]
    result = ffmpeg.run(args, timeout_s=timeout_s, check=False)
    duration = parse_final_time(result.log)
    if result.returncode != 0 or duration is None:
        raise InvalidAudio(_messages.DAMAGED)
    return duration


def _reject_truncated(path: Path, header: InputHeader, duration: float, decoded_s: float) -> None:
    if header.size_mismatch:
        raise InvalidAudio(_messages.TRUNCATED)
    if decoded_s < _PROBE_DECODE_S - 0.05 and decoded_s < duration - max(0.5, 0.02 * duration):
        # The decode stopped before both our limit and the announced length.
        raise InvalidAudio(_messages.TRUNCATED)
    if header.container == "mp3" and _mp3_is_truncated(path):
        raise InvalidAudio(_messages.TRUNCATED)


def _mp3_is_truncated(path: Path) -> bool:
    """Compare the MP3's own length header (Xing/Info/VBRI) with the bytes present."""
    try:
        info = mp3_info(path)
    except mutagen.MutagenError:
        return False  # ffmpeg could decode it; mutagen's opinion adds nothing here
    if info.sketchy or not info.length or not info.bitrate:
        return False
    expected_bytes = info.bitrate / 8 * info.length
    return bool(path.stat().st_size < 0.9 * expected_bytes)
