"""Preparing short clips (group intros and outros) once, when they are uploaded.

pydub holds a clip in memory, which is fine for a jingle of a few seconds
and exactly why it is never used for whole episodes. It trims silence and
fades the edges; the gain and the limiter run in ffmpeg, in float, so a
quiet jingle is raised without clipping. The result is 16-bit PCM WAV: the
episode encode is then the only lossy step.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

from mediahub.audio import _messages, ffmpeg
from mediahub.audio._files import atomic_path
from mediahub.audio._filters import Limiter, format_filter, gain_filter, limiter_filters
from mediahub.audio._loudness import Loudness, measure_levels, measure_loudness
from mediahub.audio._probe import DEFAULT_MIN_LOUDNESS_LUFS, probe
from mediahub.audio.errors import InvalidAudio

# pydub imports the deprecated ``audioop`` and warns when ffmpeg is not on
# PATH (we never let it call ffmpeg): imported quietly.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment
    from pydub.silence import detect_leading_silence

MAX_CLIP_S = 120.0
_SILENCE_DBFS = -50.0
_KEEP_MS = 20
_FADE_MS = 10
# Clips are limited at 4x oversampling (they are short, exactness costs nothing)
# with the episode's headroom: they pass through the MP3 encoder too.
_CLIP_OVERSAMPLE = 4
_CLIP_HEADROOM_DB = 2.0


def normalise_clip(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    *,
    target_lufs: float = -16.0,
    true_peak_dbtp: float = -1.0,
    sample_rate: int = 44100,
    channels: int = 2,
    max_duration_s: float = MAX_CLIP_S,
) -> Loudness:
    """Trim, fade and loudness-normalise a short clip into a WAV file at `dst`.

    Args:
        src: The uploaded clip (any accepted audio format).
        dst: Where the WAV goes; written atomically.
        target_lufs: Integrated loudness of the result.
        true_peak_dbtp: Ceiling for the result's true peak.
        sample_rate: Sample rate of the result.
        channels: Channels of the result.
        max_duration_s: Longest accepted clip.

    Returns:
        The loudness of the written clip.

    Raises:
        InvalidAudio: The clip is not usable audio, silent or too long.
        FFmpegError: ffmpeg failed.
    """
    info = probe(src, min_duration_s=0.2, max_duration_s=max_duration_s)
    timeout = 60.0 + info.duration_s
    segment = _trimmed_segment(Path(src), sample_rate, channels, timeout)
    dst = Path(dst)
    with tempfile.TemporaryDirectory(dir=dst.parent, prefix=".clip-") as scratch:
        trimmed = Path(scratch) / "trimmed.wav"
        with trimmed.open("wb") as handle:
            segment.export(handle, format="wav")
        levels = measure_levels(trimmed, timeout_s=timeout)
        if levels.integrated_lufs <= DEFAULT_MIN_LOUDNESS_LUFS:
            raise InvalidAudio(_messages.SILENT)
        gain = target_lufs - levels.integrated_lufs
        limiter = Limiter(true_peak_dbtp - _CLIP_HEADROOM_DB, oversample=_CLIP_OVERSAMPLE)
        chain = [format_filter(channels), gain_filter(gain), *limiter_filters(limiter, sample_rate)]
        with atomic_path(dst) as tmp:
            args = [*ffmpeg.input_args(trimmed), "-map", "0:a:0", "-af", ",".join(chain)]
            args += ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact"]
            args += ["-c:a", "pcm_s16le", "-ar", str(sample_rate), "-f", "wav", f"file:{tmp}"]
            ffmpeg.run(args, timeout_s=timeout)
    return measure_loudness(dst, timeout_s=timeout)


def _trimmed_segment(src: Path, sample_rate: int, channels: int, timeout: float) -> Any:
    """Decode the clip into a pydub segment without leading/trailing silence."""
    raw = bytearray()
    args = [*ffmpeg.input_args(src), "-map", "0:a:0", "-ac", str(channels)]
    args += ["-ar", str(sample_rate), "-c:a", "pcm_s16le", "-f", "s16le", "pipe:1"]
    ffmpeg.run(args, timeout_s=timeout, on_stdout=raw.extend)
    segment = AudioSegment(
        data=bytes(raw), sample_width=2, frame_rate=sample_rate, channels=channels
    )
    start = max(0, detect_leading_silence(segment, _SILENCE_DBFS) - _KEEP_MS)
    end = len(segment) - max(0, detect_leading_silence(segment.reverse(), _SILENCE_DBFS) - _KEEP_MS)
    if end - start < 2 * _FADE_MS:
        return segment
    return segment[start:end].fade_in(_FADE_MS).fade_out(_FADE_MS)
