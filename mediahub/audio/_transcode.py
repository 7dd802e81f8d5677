"""The one streaming ffmpeg pass: gain, limiter, jingles, disguise, MP3, verification.

A single ffmpeg process decodes the recording, applies the gain stage,
encodes MP3 with libmp3lame and - through a loopback decoder (``-dec``,
ffmpeg >= 7.1) - decodes its own encoder output again to measure loudness
and true peak of what listeners will actually hear and to stream waveform
PCM to us. ffmpeg runs demuxing, filtering, encoding and the loopback chain
in separate threads, so the verification overlaps with the encoder on a
second core instead of costing a second pass.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mediahub.audio import ffmpeg
from mediahub.audio._files import atomic_path
from mediahub.audio._filters import (
    PEAK_METER_OFFSET_DB,
    Jingle,
    Limiter,
    encode_graph,
    gain_filter,
    limiter_filters,
    pitch_filters,
    verify_graph,
)
from mediahub.audio._loudness import Loudness
from mediahub.audio._parsers import parse_ebur128_summary, parse_max_volume
from mediahub.audio._waveform import DEFAULT_POINTS, WAVEFORM_RATE, PeakAccumulator
from mediahub.audio.errors import FFmpegError

__all__ = ["Jingle", "Limiter", "TranscodeResult", "TranscodeSpec", "transcode"]

#: Seconds between two reports of the encode's progress.
PROGRESS_EVERY_S = 1.0


@dataclass(frozen=True)
class TranscodeSpec:
    """Everything the transcode pass does to one recording.

    Attributes:
        gain_db: Gain applied to the recording (not to the jingles).
        channels: Output channels, 1 or 2.
        sample_rate: Output sample rate.
        bitrate_kbps: Constant MP3 bit rate.
        limiter: True-peak-aware limiter over the whole programme; None when not needed.
        pitch_semitones: Voice disguise; 0 keeps the voice as it is.
        prefer_rubberband: Use the rubberband filter for the disguise when available.
        intro: Clip before the recording.
        outro: Clip after the recording.
        waveform_points: Number of waveform peaks to compute.
        expected_duration_s: Length hint for the waveform (recording plus jingles).
        timeout_s: Wall-clock limit for the ffmpeg process.
    """

    gain_db: float
    channels: int = 2
    sample_rate: int = 44100
    bitrate_kbps: int = 128
    limiter: Limiter | None = None
    pitch_semitones: float = 0.0
    prefer_rubberband: bool = True
    intro: Jingle | None = None
    outro: Jingle | None = None
    waveform_points: int = DEFAULT_POINTS
    expected_duration_s: float = 0.0
    timeout_s: float = 3600.0


@dataclass(frozen=True)
class TranscodeResult:
    """What the verification branch measured on the encoded MP3.

    Attributes:
        loudness: Loudness and true peak of the decoded MP3.
        peaks: Normalised waveform peaks of the decoded MP3.
        decoded_duration_s: Length of the decoded MP3.
    """

    loudness: Loudness
    peaks: list[float] = field(default_factory=list)
    decoded_duration_s: float = 0.0


def transcode(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    spec: TranscodeSpec,
    *,
    on_progress: Callable[[float], None] | None = None,
) -> TranscodeResult:
    """Encode `src` into the MP3 `dst` in one streaming pass and verify the result.

    `dst` appears atomically: it is written under a temporary name in the
    same directory and renamed only when ffmpeg has finished successfully.
    Nothing the source embedded (tags, chapters, device names, locations,
    encoder names) is copied; the MP3 carries no ID3 tag until `write_tags`.

    Args:
        src: The recording.
        dst: Where the MP3 goes; its directory must exist.
        spec: Gain, limiter, jingles, disguise and encoder settings.
        on_progress: Called with the share encoded so far (0 … 1, by what the
            loopback decoder has heard of ``spec.expected_duration_s``) about
            once a second; a slow callback holds up only the waveform's pipe.

    Returns:
        Loudness, true peak, waveform and duration measured on the encoded MP3.

    Raises:
        FFmpegError: ffmpeg failed, timed out or printed no loudness summary.
    """
    expected_samples = int(spec.expected_duration_s * WAVEFORM_RATE)
    accumulator = PeakAccumulator(spec.waveform_points, expected_samples)
    feed: Callable[[bytes], None] = accumulator.feed
    if on_progress is not None and expected_samples > 0:
        feed = _reporting(accumulator, expected_samples, on_progress)
    with atomic_path(Path(dst)) as tmp:
        result = ffmpeg.run(
            _arguments(Path(src), tmp, spec), timeout_s=spec.timeout_s, on_stdout=feed
        )
        summary = parse_ebur128_summary(result.log)
        peak = parse_max_volume(result.log)
        if summary is None or peak is None:
            raise FFmpegError("ffmpeg printed no loudness summary", stderr_tail=result.log[-3000:])
    return TranscodeResult(
        loudness=Loudness(
            summary.integrated_lufs, round(peak + PEAK_METER_OFFSET_DB, 1), summary.lra
        ),
        peaks=accumulator.result(),
        decoded_duration_s=round(accumulator.samples / WAVEFORM_RATE, 3),
    )


def _reporting(
    accumulator: PeakAccumulator, expected_samples: int, on_progress: Callable[[float], None]
) -> Callable[[bytes], None]:
    """The accumulator's ``feed``, reporting the share heard at most every ``PROGRESS_EVERY_S``."""
    last = time.monotonic()

    def feed(data: bytes) -> None:
        nonlocal last
        accumulator.feed(data)
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY_S:
            last = now
            on_progress(min(1.0, accumulator.samples / expected_samples))

    return feed


def _arguments(src: Path, tmp: Path, spec: TranscodeSpec) -> list[str]:
    inputs = ffmpeg.input_args(src)
    for jingle in (spec.intro, spec.outro):
        if jingle is not None:
            inputs += ffmpeg.input_args(jingle.path)
    main_filters = pitch_filters(
        spec.pitch_semitones, spec.sample_rate, prefer_rubberband=spec.prefer_rubberband
    )
    graph = encode_graph(
        channels=spec.channels,
        sample_rate=spec.sample_rate,
        main_filters=[*main_filters, gain_filter(spec.gain_db)],
        intro=spec.intro,
        outro=spec.outro,
        final_filters=limiter_filters(spec.limiter, spec.sample_rate),
    )
    encode = [
        "-filter_complex", graph,
        "-map", "[out]",
        # Drop everything the source carried: global tags, chapters, stream tags.
        "-map_metadata", "-1",
        "-map_chapters", "-1",
        "-c:a", "libmp3lame",
        "-b:a", f"{spec.bitrate_kbps}k",
        "-ar", str(spec.sample_rate),
        "-ac", str(spec.channels),
        # No ID3 from ffmpeg (mutagen writes ours); keep the Xing/LAME header
        # for exact duration and gapless playback; bitexact leaves out version
        # strings so identical input gives byte-identical output.
        "-id3v2_version", "0",
        "-write_id3v1", "0",
        "-write_xing", "1",
        "-fflags", "+bitexact",
        "-flags:a", "+bitexact",
        "-f", "mp3",
        f"file:{tmp}",
    ]  # fmt: skip
    verify = [
        "-dec", "0:0",
        "-filter_complex", verify_graph(spec.sample_rate),
        "-map", "[wave]",
        "-f", "u8",
        "pipe:1",
    ]  # fmt: skip
    return [*inputs, *encode, *verify]
