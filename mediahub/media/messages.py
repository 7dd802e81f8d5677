"""The audio package's messages for uploaders, made translatable.

``mediahub.audio`` knows nothing of Flask; its refusals are fixed English
sentences. They are repeated here inside ``_l()`` so that Babel extracts
them, and a test keeps both in step.
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

KNOWN = (
    _l("The file is empty. Please upload the recording again."),
    _l(
        "This file is not an audio recording we can read. Please upload an MP3, M4A, WAV, "
        "AIFF, FLAC, OGG, Opus or WebM file, or a video with sound."
    ),
    _l("This file has no sound track. Please upload a recording with sound."),
    _l(
        "The audio in this file is damaged and cannot be played back completely. "
        "Please export or record it again and upload the new file."
    ),
    _l(
        "This file is incomplete: it ends before the recording does. The upload or copy "
        "was probably interrupted; please upload the file again."
    ),
    _l(
        "The recording contains no audible sound. Please check that the microphone was on "
        "and upload the recording again."
    ),
    _l(
        "The recording could not be processed. Please try again later, or upload it in "
        "another format (for example MP3 or WAV)."
    ),
    _l(
        "The episode's details could not be written into the recording (for example a "
        "chapter that starts after its end). Please check them and save the episode again."
    ),
)


def translated(message: str) -> str:
    """The message in the current language when the catalog has it."""
    return gettext(message)
