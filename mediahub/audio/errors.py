"""Exceptions raised by the audio adapters.

`InvalidAudio` carries a message meant for the person who uploaded the file:
plain English, no jargon, saying what to do next. It is wrapped for
translation by the caller. `FFmpegError` is for operators: it carries the
command's exit status and the tail of ffmpeg's stderr.
"""

from __future__ import annotations

from collections.abc import Sequence


class AudioError(Exception):
    """Base class of every error raised by `mediahub.audio`."""


class InvalidAudio(AudioError):
    """The uploaded file is not usable audio; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FFmpegError(AudioError):
    """ffmpeg failed, timed out or could not be started.

    Attributes:
        command: The argument list that was run.
        returncode: Exit status, or None when the process was killed by our timeout.
        stderr_tail: The last lines ffmpeg wrote to stderr.
    """

    def __init__(
        self,
        message: str,
        *,
        command: Sequence[str] = (),
        returncode: int | None = None,
        stderr_tail: str = "",
    ) -> None:
        detail = f"{message} (exit status {returncode})" if returncode is not None else message
        if stderr_tail:
            detail = f"{detail}\n--- ffmpeg stderr (tail) ---\n{stderr_tail}"
        super().__init__(detail)
        self.command = list(command)
        self.returncode = returncode
        self.stderr_tail = stderr_tail


class AudioProcessingError(AudioError):
    """The encoded result did not meet its loudness or true-peak target."""
