"""The episode audio pipeline: probe, measure, one encode pass, tags.

``process_episode_audio`` is deterministic and idempotent: the same source
and options give a byte-identical MP3 (and the same result), and the output
appears under its final name only when it is complete and tagged.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mediahub.audio import _messages
from mediahub.audio._files import atomic_path, mp3_info, sha256_of
from mediahub.audio._filters import Jingle, Limiter, format_filter, pitch_filters
from mediahub.audio._loudness import InputLevels, measure_levels
from mediahub.audio._probe import MAX_DECODE_ERRORS, AudioInfo, probe
from mediahub.audio._streaming import MeasuredLevels, measurement_chain
from mediahub.audio._tags import EpisodeTags, shift_chapters, write_tags
from mediahub.audio._transcode import TranscodeResult, TranscodeSpec, transcode
from mediahub.audio.errors import AudioProcessingError, InvalidAudio

log = logging.getLogger(__name__)

# Without a limiter the predicted sample peak must stay this far below the
# true-peak ceiling: inter-sample peaks and MP3 coding add up to about 1.5 dB.
_UNLIMITED_MARGIN_DB = 2.0
# Extra safety when a second attempt has to correct a missed true peak.
_RETRY_MARGIN_DB = 0.5
# Jingles may be raised this much without the limiter (they keep 2 dB headroom).
_JINGLE_GAIN_SLACK_DB = 0.5
# A second encode may move the gain this far at most.
_MAX_CORRECTION_DB = 6.0


@dataclass(frozen=True)
class PipelineOptions:
    """How to process an episode. The defaults follow common podcast practice.

    Attributes:
        tags: ID3 tags to write; None leaves the MP3 untagged.
        intro_path: Normalised clip (see `normalise_clip`) played first.
        outro_path: Normalised clip played last.
        disguise_voice: Shift the voice's pitch (tempo kept) to protect the speaker.
        disguise_semitones: Pitch shift of the disguise; negative is lower.
        target_lufs_stereo: Integrated loudness target of stereo episodes.
        target_lufs_mono: Target of mono episodes (3 LU lower: played on both speakers).
        true_peak_dbtp: Ceiling for the true peak of the encoded MP3.
        limiter_headroom_db: How far below the ceiling the limiter works: MP3
            coding adds up to about 1.2 dB to limited peaks (measured over an
            hour of speech at 128 kbit/s), resampling a little more.
        limiter_oversample: Oversampling of the first encode's limiter. 1 (none)
            by default: with the 2 dB headroom, limited speech came out of the
            MP3 encoder within 0.2 dB of the true peak it had with 2x (10 and
            60 minutes measured), and 2x costs a fifth more wall time on two
            cores. The true peak of every
            MP3 is measured (4x oversampled) and a miss is re-encoded with a
            4x-oversampled limiter, so the ceiling holds either way.
        loudness_tolerance_lu: Accepted distance of the result from the target.
        bitrate_stereo_kbps: MP3 bit rate for stereo.
        bitrate_mono_kbps: MP3 bit rate for mono.
        sample_rate: Output sample rate.
        channels: Force 1 or 2 channels; None keeps mono as mono, else stereo.
        min_duration_s: Shortest accepted recording.
        max_duration_s: Longest accepted recording.
        min_loudness_lufs: Quieter recordings count as silent.
        waveform_points: Number of waveform peaks.
        output_name: File name of the MP3 inside the work directory.
        timeout_base_s: Fixed part of each ffmpeg time limit.
        timeout_per_audio_s: Allowed ffmpeg seconds per second of audio.
        measured_levels: The source's levels measured while it was uploaded
            (``_streaming``); used instead of measuring again when they were
            measured with the same filters over the whole recording.
        on_progress: Called with the share of the encode done (0 … 1) about
            once a second (see `transcode`).
    """

    tags: EpisodeTags | None = None
    intro_path: Path | None = None
    outro_path: Path | None = None
    disguise_voice: bool = False
    disguise_semitones: float = -4.0
    target_lufs_stereo: float = -16.0
    target_lufs_mono: float = -19.0
    true_peak_dbtp: float = -1.0
    limiter_headroom_db: float = 2.0
    limiter_oversample: int = 1
    loudness_tolerance_lu: float = 1.0
    bitrate_stereo_kbps: int = 128
    bitrate_mono_kbps: int = 64
    sample_rate: int = 44100
    channels: int | None = None
    min_duration_s: float = 1.0
    max_duration_s: float = 6 * 3600.0
    min_loudness_lufs: float = -60.0
    waveform_points: int = 2000
    output_name: str = "episode.mp3"
    timeout_base_s: float = 120.0
    timeout_per_audio_s: float = 1.0
    measured_levels: MeasuredLevels | None = None
    on_progress: Callable[[float], None] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class PipelineResult:
    """The processed episode, as measured on the finished MP3.

    Attributes:
        output_path: The MP3.
        duration_s: Its duration.
        size_bytes: Its size.
        bitrate: Its (constant) bit rate in bit/s.
        channels: 1 or 2.
        loudness_lufs: Integrated loudness of the decoded MP3.
        true_peak_dbtp: True peak of the decoded MP3.
        lra: Loudness range of the decoded MP3.
        peaks: Normalised waveform peaks.
        sha256: Hex SHA-256 of the MP3.
        source: What the original recording was.
        chapter_offset_s: How much later than in the recording the chapters
            start in the MP3 (the intro's length); a tag rewrite needs it.
    """

    output_path: Path
    duration_s: float
    size_bytes: int
    bitrate: int
    channels: int
    loudness_lufs: float
    true_peak_dbtp: float
    lra: float
    peaks: list[float]
    sha256: str
    source: AudioInfo
    chapter_offset_s: float = 0.0


def process_episode_audio(
    src_path: str | os.PathLike[str],
    workdir: str | os.PathLike[str],
    options: PipelineOptions | None = None,
) -> PipelineResult:
    """Turn an uploaded recording into the published MP3 in `workdir`.

    Args:
        src_path: The original upload; it is only read.
        workdir: Existing directory that receives ``options.output_name``.
        options: Targets, limits, jingles, disguise and tags.

    Returns:
        Path, duration, size, bit rate, loudness, true peak, peaks and checksum.

    Raises:
        InvalidAudio: The recording is unusable; the message says why.
        AudioProcessingError: The loudness or true-peak target was missed twice.
        FFmpegError: ffmpeg failed for another reason.
        ValueError: The tags are invalid (cover not JPEG/PNG, chapter outside the audio).
    """
    options = options or PipelineOptions()
    src = Path(src_path)
    info = probe(
        src,
        min_duration_s=options.min_duration_s,
        max_duration_s=options.max_duration_s,
        min_loudness_lufs=options.min_loudness_lufs,
    )
    channels = output_channels(info.channels, options)
    stereo = channels == 2
    target = options.target_lufs_stereo if stereo else options.target_lufs_mono
    timeout = options.timeout_base_s + options.timeout_per_audio_s * info.duration_s
    levels = _measure_source(src, info, channels, options, timeout)
    intro, intro_s = _jingle(options.intro_path, channels, target, timeout)
    outro, outro_s = _jingle(options.outro_path, channels, target, timeout)
    spec = TranscodeSpec(
        gain_db=target - levels.integrated_lufs,
        channels=channels,
        sample_rate=options.sample_rate,
        bitrate_kbps=options.bitrate_stereo_kbps if stereo else options.bitrate_mono_kbps,
        limiter=_initial_limiter(levels, target, options, jingles=(intro, outro)),
        pitch_semitones=options.disguise_semitones if options.disguise_voice else 0.0,
        intro=intro,
        outro=outro,
        waveform_points=options.waveform_points,
        expected_duration_s=intro_s + info.duration_s + outro_s,
        timeout_s=timeout,
    )
    final = Path(workdir) / options.output_name
    with atomic_path(final) as tmp:
        verified = _encode_until_on_target(src, tmp, spec, target, options)
        if options.tags is not None:
            write_tags(tmp, shift_chapters(options.tags, intro_s))
    return dataclasses.replace(
        _result(final, info, channels, verified), chapter_offset_s=round(intro_s, 3)
    )


def _measure_source(
    src: Path, info: AudioInfo, channels: int, options: PipelineOptions, timeout: float
) -> InputLevels:
    """Measure the whole recording as it will enter the gain stage, and validate it."""
    pre_filters = source_pre_filters(channels, options)
    known = options.measured_levels
    if (
        known is not None
        and known.chain == measurement_chain(pre_filters)
        and abs(known.levels.decoded_s - info.duration_s) <= max(1.0, 0.02 * info.duration_s)
    ):
        levels = known.levels  # measured while the upload arrived
    else:
        levels = measure_levels(src, pre_filters=pre_filters, timeout_s=timeout)
    if levels.decode_errors > MAX_DECODE_ERRORS:
        raise InvalidAudio(_messages.DAMAGED)
    if levels.decoded_s < info.duration_s - max(1.0, 0.02 * info.duration_s):
        raise InvalidAudio(_messages.TRUNCATED)
    if levels.integrated_lufs <= options.min_loudness_lufs:
        raise InvalidAudio(_messages.SILENT)
    return levels


def source_pre_filters(channels: int, options: PipelineOptions) -> list[str]:
    """The filters before the source's loudness measurement (layout, disguise)."""
    if not options.disguise_voice:
        return [format_filter(channels)]
    # The cheap resampling shift has the same spectrum balance as rubberband,
    # so it predicts the loudness after the disguise at a fraction of the cost.
    return [
        format_filter(channels, options.sample_rate),
        *pitch_filters(options.disguise_semitones, options.sample_rate, prefer_rubberband=False),
    ]


def output_channels(source_channels: int | None, options: PipelineOptions) -> int:
    """Mono stays mono, everything else becomes stereo (unless forced)."""
    return options.channels or (1 if source_channels == 1 else 2)


def _jingle(
    path: Path | None, channels: int, target: float, timeout: float
) -> tuple[Jingle | None, float]:
    """Return the jingle with the gain that brings it to `target` in this layout, and its length.

    Clips are normalised once, in stereo; a mono episode downmixes them, which
    changes their loudness, so each is re-measured here (cheap: clips are short).
    """
    if path is None:
        return None, 0.0
    info = probe(path, min_duration_s=0.1, max_duration_s=600.0, min_loudness_lufs=-70.0)
    levels = measure_levels(path, pre_filters=[format_filter(channels)], timeout_s=timeout)
    gain = 0.0 if levels.integrated_lufs <= -70.0 else target - levels.integrated_lufs
    return Jingle(Path(path), round(gain, 2)), info.duration_s


def _initial_limiter(
    levels: InputLevels,
    target: float,
    options: PipelineOptions,
    jingles: tuple[Jingle | None, ...] = (),
) -> Limiter | None:
    """Use the limiter only when the gained-up peaks could come near the ceiling.

    Clips arrive limited by `normalise_clip`; raising one by more than a
    fraction of a decibel (mono episodes) needs the limiter too.
    """
    predicted_peak = levels.sample_peak_dbfs + (target - levels.integrated_lufs)
    raised_jingle = any(jingle and jingle.gain_db > _JINGLE_GAIN_SLACK_DB for jingle in jingles)
    if predicted_peak <= options.true_peak_dbtp - _UNLIMITED_MARGIN_DB and not raised_jingle:
        return None
    return Limiter(
        limit_dbfs=options.true_peak_dbtp - options.limiter_headroom_db,
        oversample=options.limiter_oversample,
    )


def _encode_until_on_target(
    src: Path, dst: Path, spec: TranscodeSpec, target: float, options: PipelineOptions
) -> TranscodeResult:
    """Encode and verify; if the MP3 misses a target, correct once and encode again
    (its progress is then reported from the start again)."""
    result = transcode(src, dst, spec, on_progress=options.on_progress)
    if _on_target(result, target, options):
        return result
    result = transcode(
        src, dst, _corrected(spec, result, target, options), on_progress=options.on_progress
    )
    if _on_target(result, target, options):
        return result
    loudness = result.loudness
    if (
        loudness.true_peak_dbtp <= options.true_peak_dbtp
        and loudness.integrated_lufs < target - options.loudness_tolerance_lu
    ):
        # Very peaky sound (beeps, claps, a shout in a whispered talk) cannot
        # reach the target without limiting its peaks into audible damage:
        # keep it as loud as the ceiling allows rather than refuse it.
        log.warning(
            "%s stays below target: %.1f LUFS (target %.1f) at %.1f dBTP",
            src.name,
            loudness.integrated_lufs,
            target,
            loudness.true_peak_dbtp,
        )
        return result
    raise AudioProcessingError(
        f"the encoded audio missed its target twice: {result.loudness.integrated_lufs:.1f} LUFS "
        f"(target {target:.1f}), true peak {result.loudness.true_peak_dbtp:.1f} dBTP "
        f"(ceiling {options.true_peak_dbtp:.1f})"
    )


def _on_target(result: TranscodeResult, target: float, options: PipelineOptions) -> bool:
    loudness = result.loudness
    return (
        abs(loudness.integrated_lufs - target) <= options.loudness_tolerance_lu
        and loudness.true_peak_dbtp <= options.true_peak_dbtp
    )


def _corrected(
    spec: TranscodeSpec, result: TranscodeResult, target: float, options: PipelineOptions
) -> TranscodeSpec:
    """Second attempt: fix the gain by the measured error; limit harder on an over."""
    loudness = result.loudness
    correction = max(
        -_MAX_CORRECTION_DB, min(_MAX_CORRECTION_DB, target - loudness.integrated_lufs)
    )
    limit = options.true_peak_dbtp - options.limiter_headroom_db
    if spec.limiter is not None:
        limit = spec.limiter.limit_dbfs
    # Never above the ceiling on a second attempt, whatever the headroom said.
    limit = min(limit, options.true_peak_dbtp - _RETRY_MARGIN_DB)
    over = loudness.true_peak_dbtp - options.true_peak_dbtp
    if over > 0:
        limit -= over + _RETRY_MARGIN_DB
    return dataclasses.replace(
        spec,
        gain_db=spec.gain_db + correction,
        # 4x oversampling sees inter-sample peaks as BS.1770 defines them.
        limiter=Limiter(limit_dbfs=limit, oversample=max(4, options.limiter_oversample)),
    )


def _result(
    path: Path, source: AudioInfo, channels: int, verified: TranscodeResult
) -> PipelineResult:
    info = mp3_info(path)
    loudness = verified.loudness
    return PipelineResult(
        output_path=path,
        duration_s=round(info.length, 3),
        size_bytes=path.stat().st_size,
        # mutagen derives it from the Xing header (63999); report the nominal CBR rate.
        bitrate=round(info.bitrate, -3),
        channels=channels,
        loudness_lufs=loudness.integrated_lufs,
        true_peak_dbtp=loudness.true_peak_dbtp,
        lra=loudness.lra,
        peaks=verified.peaks,
        sha256=sha256_of(path),
        source=source,
    )
