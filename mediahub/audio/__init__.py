"""Audio adapters: validate, measure, transcode, tag and draw uploaded recordings.

Plain functions and small frozen dataclasses; no Flask, no database. ffmpeg
comes from PATH or the imageio-ffmpeg wheel (see `mediahub.audio.ffmpeg`).

The usual entry point is `process_episode_audio`; the steps it chains are
public for the web layer (quick validation at upload time), jingle uploads
(`normalise_clip`) and maintenance tasks.
"""

from mediahub.audio._clips import normalise_clip
from mediahub.audio._loudness import Loudness, measure_loudness
from mediahub.audio._probe import AudioInfo, probe
from mediahub.audio._retag import RetagResult, retag
from mediahub.audio._tags import Chapter, EpisodeTags, shift_chapters, write_tags
from mediahub.audio._transcode import Jingle, Limiter, TranscodeResult, TranscodeSpec, transcode
from mediahub.audio._waveform import waveform_peaks
from mediahub.audio.errors import AudioError, AudioProcessingError, FFmpegError, InvalidAudio
from mediahub.audio.pipeline import PipelineOptions, PipelineResult, process_episode_audio

__all__ = [
    "AudioError",
    "AudioInfo",
    "AudioProcessingError",
    "Chapter",
    "EpisodeTags",
    "FFmpegError",
    "InvalidAudio",
    "Jingle",
    "Limiter",
    "Loudness",
    "PipelineOptions",
    "PipelineResult",
    "RetagResult",
    "TranscodeResult",
    "TranscodeSpec",
    "measure_loudness",
    "normalise_clip",
    "probe",
    "process_episode_audio",
    "retag",
    "shift_chapters",
    "transcode",
    "waveform_peaks",
    "write_tags",
]
