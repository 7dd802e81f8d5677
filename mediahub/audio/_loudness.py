"""EBU R128 loudness measurement with ffmpeg's ``ebur128`` filter.

ebur128 is far cheaper than loudnorm's analysis; true peak (4x oversampled,
as ITU-R BS.1770 defines it) is the costly part, so the pipeline's input
measurement asks only for the sample peak (`measure_levels`) and leaves the
true peak to the verification of the encoded file.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass

from mediahub.audio import ffmpeg
from mediahub.audio._parsers import Ebur128Summary, parse_ebur128_summary, parse_final_time
from mediahub.audio.errors import FFmpegError

# ebur128 reports -70 LUFS (its absolute gate) when nothing passes the gate.
SILENCE_LUFS = -70.0


@dataclass(frozen=True)
class Loudness:
    """Loudness of a file per EBU R128.

    Attributes:
        integrated_lufs: Programme loudness (gated), LUFS; -70.0 for silence.
        true_peak_dbtp: Highest 4x-oversampled peak, dBTP; -inf for silence.
        lra: Loudness range, LU.
    """

    integrated_lufs: float
    true_peak_dbtp: float
    lra: float


@dataclass(frozen=True)
class InputLevels:
    """The cheap measurement the pipeline needs before it can set the gain.

    Attributes:
        integrated_lufs: Programme loudness after the pre-filters.
        sample_peak_dbfs: Highest sample, dBFS (not oversampled).
        decoded_s: How much audio was decoded (detects truncated files).
        decode_errors: Undecodable packets met on the way.
    """

    integrated_lufs: float
    sample_peak_dbfs: float
    decoded_s: float
    decode_errors: int


def measure_loudness(path: str | os.PathLike[str], *, timeout_s: float = 3600.0) -> Loudness:
    """Measure integrated loudness, true peak and loudness range of `path`.

    Args:
        path: Any file ffmpeg accepts; its first audio stream is measured.
        timeout_s: Wall-clock limit for ffmpeg.

    Returns:
        The measured loudness.

    Raises:
        FFmpegError: ffmpeg failed or printed no ebur128 summary.
    """
    args = [*ffmpeg.input_args(path), "-map", "0:a:0"]
    args += ["-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"]
    summary = _summary(ffmpeg.run(args, timeout_s=timeout_s))
    return loudness_from_summary(summary)


def measure_levels(
    path: str | os.PathLike[str], *, pre_filters: Sequence[str] = (), timeout_s: float
) -> InputLevels:
    """Measure loudness and sample peak of `path` as it will enter the gain stage.

    Args:
        path: The source recording.
        pre_filters: Filters applied before measuring (channel layout, voice
            disguise) so that the gain is computed for what is really encoded.
        timeout_s: Wall-clock limit for ffmpeg.

    Returns:
        Integrated loudness, sample peak, decoded duration and decode errors.

    Raises:
        FFmpegError: ffmpeg failed or printed no ebur128 summary.
    """
    chain = ",".join([*pre_filters, "ebur128=peak=sample:framelog=verbose"])
    args = [*ffmpeg.input_args(path), "-map", "0:a:0", "-af", chain, "-f", "null", "-"]
    result = ffmpeg.run(args, timeout_s=timeout_s)
    summary = _summary(result)
    peak = summary.sample_peak_dbfs
    return InputLevels(
        integrated_lufs=summary.integrated_lufs,
        sample_peak_dbfs=peak if peak is not None else -math.inf,
        decoded_s=parse_final_time(result.log) or 0.0,
        decode_errors=result.decode_errors,
    )


def loudness_from_summary(summary: Ebur128Summary) -> Loudness:
    """Turn a parsed ebur128 summary (measured with ``peak=true``) into `Loudness`."""
    peak = summary.true_peak_dbfs
    return Loudness(
        integrated_lufs=summary.integrated_lufs,
        true_peak_dbtp=peak if peak is not None else -math.inf,
        lra=summary.lra,
    )


def _summary(result: ffmpeg.FFmpegRun) -> Ebur128Summary:
    summary = parse_ebur128_summary(result.log)
    if summary is None:
        raise FFmpegError("ffmpeg printed no loudness summary", stderr_tail=result.log[-3000:])
    return summary
