"""Builders for the ffmpeg filter graphs of the transcode pass.

Strings only, no I/O besides asking which filters the build has, so the
graphs can be unit-tested and read in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mediahub.audio import ffmpeg
from mediahub.audio._waveform import waveform_filters

# alimiter timing for speech: 5 ms look-ahead catches plosives, 50 ms release
# avoids audible pumping between syllables.
_LIMITER_ATTACK_MS = 5
_LIMITER_RELEASE_MS = 50
# Short resampling filters for the limiter's oversampling: they only have to be
# clean up to the MP3 encoder's low-pass (16-17 kHz), and this runs on every sample.
_OVERSAMPLE_FILTER_SIZE = 16
_TRUE_PEAK_OVERSAMPLE = 4
# volumedetect reads 16-bit samples and so saturates at 0 dBFS; measuring 12 dB
# lower keeps overs up to +12 dBTP readable (see `true_peak_from_max_volume`).
PEAK_METER_OFFSET_DB = 12.0


@dataclass(frozen=True)
class Limiter:
    """A true-peak-aware brick-wall limiter.

    With `oversample` > 1 the signal is resampled to that multiple of the
    output rate, limited there to `limit_dbfs` (so peaks between the output
    samples are seen) and resampled back; with 1 it is limited as it is and
    the headroom has to cover inter-sample peaks. Either way leave headroom
    below the true-peak target: MP3 encoding adds about a decibel to limited
    peaks.
    """

    limit_dbfs: float
    oversample: int = 2


@dataclass(frozen=True)
class Jingle:
    """An intro or outro clip, already normalised, with a small correction gain."""

    path: Path
    gain_db: float = 0.0


def db_to_linear(db: float) -> float:
    """Convert decibels to a linear amplitude factor."""
    return 10 ** (db / 20)


def format_filter(channels: int, sample_rate: int | None = None) -> str:
    """Return the filter that fixes channel layout (and rate) of a source.

    The format is float on purpose: ffmpeg's downmix (5.1 video, stereo to
    mono) scales its matrix down by up to 8 dB when it has to produce integer
    samples, but not for float. Asking for float everywhere makes the
    measurement and the encode hear the same downmix.

    Args:
        channels: 1 for mono, else stereo.
        sample_rate: Also convert to this rate; None keeps the rate.
    """
    layout = "mono" if channels == 1 else "stereo"
    rate = f":sample_rates={sample_rate}" if sample_rate else ""
    return f"aformat=sample_fmts=fltp{rate}:channel_layouts={layout}"


def pitch_filters(semitones: float, sample_rate: int, *, prefer_rubberband: bool) -> list[str]:
    """Return filters shifting the pitch by `semitones` while keeping the tempo.

    rubberband sounds better (formant-aware phase vocoder) but is slow and not
    in every build; the fallback plays the audio at another rate (pitch and
    speed change together) and then restores the speed with ``atempo``.

    Args:
        semitones: Shift; negative is lower. 0 returns no filters.
        sample_rate: Rate of the audio entering the filters.
        prefer_rubberband: Use rubberband when this ffmpeg build has it.

    Returns:
        Filter strings for a chain.
    """
    if semitones == 0:
        return []
    ratio = 2 ** (semitones / 12)
    if prefer_rubberband and ffmpeg.has_filter("rubberband"):
        return [f"rubberband=pitch={ratio:.6f}:tempo=1"]
    shifted_rate = round(sample_rate * ratio)
    return [f"asetrate={shifted_rate}", f"aresample={sample_rate}", f"atempo={1 / ratio:.6f}"]


def gain_filter(gain_db: float) -> str:
    """Return the gain filter; ``volume`` works in float, so nothing clips before the limiter."""
    return f"volume={gain_db:.2f}dB"


def limiter_filters(limiter: Limiter | None, sample_rate: int) -> list[str]:
    """Return the oversampled limiter chain (nothing for None).

    Args:
        limiter: Limit and oversampling factor.
        sample_rate: Rate of the audio entering and leaving the chain.

    Returns:
        ``aresample`` up, ``alimiter``, ``aresample`` down (or just ``alimiter``).
    """
    if limiter is None:
        return []
    limit = max(0.0625, min(1.0, db_to_linear(limiter.limit_dbfs)))
    alimiter = (
        f"alimiter=limit={limit:.6f}:level=0:latency=1"
        f":attack={_LIMITER_ATTACK_MS}:release={_LIMITER_RELEASE_MS}"
    )
    if limiter.oversample <= 1:
        return [alimiter]
    size = f"filter_size={_OVERSAMPLE_FILTER_SIZE}"
    up = f"aresample={sample_rate * limiter.oversample}:{size}"
    return [up, alimiter, f"aresample={sample_rate}:{size}"]


def encode_graph(
    *,
    channels: int,
    sample_rate: int,
    main_filters: list[str],
    intro: Jingle | None = None,
    outro: Jingle | None = None,
    final_filters: list[str] | None = None,
) -> str:
    """Return the ``-filter_complex`` of the encode: jingles around the recording.

    Input 0 is the recording; the intro and outro, when given, are inputs 1
    and 2 in that order. The graph's output label is ``[out]``.

    Args:
        channels: Output channels (1 or 2).
        sample_rate: Output sample rate.
        main_filters: Filters for the recording after layout and rate are fixed.
        intro: Clip played before the recording.
        outro: Clip played after it.
        final_filters: Filters for the joined programme (the limiter), so
            the jingles are held under the same ceiling.

    Returns:
        The filter graph description.
    """
    common = [format_filter(channels, sample_rate)]
    segments = [("main", "0:a:0", [*common, *main_filters])]
    if intro is not None:
        segments.insert(0, ("intro", "1:a:0", [*common, gain_filter(intro.gain_db)]))
    if outro is not None:
        source = f"{len(segments)}:a:0"
        segments.append(("outro", source, [*common, gain_filter(outro.gain_db)]))
    final = list(final_filters or [])
    if len(segments) == 1:
        return f"[0:a:0]{','.join([*segments[0][2], *final])}[out]"
    parts = [f"[{source}]{','.join(chain)}[{label}]" for label, source, chain in segments]
    labels = "".join(f"[{label}]" for label, _, _ in segments)
    concat = f"concat=n={len(segments)}:v=0:a=1"
    parts.append(f"{labels}{','.join([concat, *final])}[out]")
    return ";".join(parts)


def verify_graph(sample_rate: int) -> str:
    """Return the graph fed by the loopback decoder of the encoded MP3.

    Three branches: ebur128 measures integrated loudness and LRA of what
    listeners will hear; the true peak is the sample peak after 4x
    oversampling with 12 taps per phase, the interpolator ITU-R BS.1770-4
    specifies (ebur128's own true-peak mode resamples to 48 kHz and then
    192 kHz with 32-tap filters, which costs about five times as much CPU for
    the same reading); the third branch produces the waveform PCM on ``[wave]``.

    Args:
        sample_rate: Rate of the encoded audio.
    """
    return (
        "[dec:0]asplit=3[loudness][peak][wave_in];"
        "[loudness]ebur128=framelog=verbose,anullsink;"
        f"[peak]volume=-{PEAK_METER_OFFSET_DB:g}dB,"
        f"aresample={sample_rate * _TRUE_PEAK_OVERSAMPLE}:filter_size=12,"
        "volumedetect,anullsink;"
        f"[wave_in]{waveform_filters()}[wave]"
    )
