"""The sentences shown to uploaders when their file is refused.

Plain English that says what is wrong and what to do; the web layer wraps
them for translation, so keep each one a complete, stable sentence.
"""

from __future__ import annotations

EMPTY = "The file is empty. Please upload the recording again."
NOT_AUDIO = (
    "This file is not an audio recording we can read. Please upload an MP3, M4A, WAV, "
    "AIFF, FLAC, OGG, Opus or WebM file, or a video with sound."
)
NO_AUDIO_TRACK = "This file has no sound track. Please upload a recording with sound."
DAMAGED = (
    "The audio in this file is damaged and cannot be played back completely. "
    "Please export or record it again and upload the new file."
)
TRUNCATED = (
    "This file is incomplete: it ends before the recording does. The upload or copy "
    "was probably interrupted; please upload the file again."
)
SILENT = (
    "The recording contains no audible sound. Please check that the microphone was on "
    "and upload the recording again."
)


def too_short(duration_s: float, minimum_s: float) -> str:
    """Message for a recording under the minimum length."""
    return (
        f"The recording is only {format_duration(duration_s)} long. "
        f"It must be at least {format_duration(minimum_s)} long."
    )


def too_long(duration_s: float, maximum_s: float) -> str:
    """Message for a recording over the maximum length."""
    return (
        f"The recording is {format_duration(duration_s)} long, which is more than the "
        f"limit of {format_duration(maximum_s)}. Please split it into shorter episodes."
    )


def format_duration(seconds: float) -> str:
    """Format a duration for people: ``0.4 seconds``, ``1 second``, ``7 h 12 min``."""
    if seconds < 60:
        if seconds < 10 and round(seconds, 1) != round(seconds):
            return f"{seconds:.1f} seconds"
        whole = round(seconds)
        return "1 second" if whole == 1 else f"{whole} seconds"
    minutes = int(seconds // 60)
    if minutes < 60:
        rest = round(seconds - minutes * 60)
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
