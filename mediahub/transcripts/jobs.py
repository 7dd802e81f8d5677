"""Making one automatic transcript: the database row is the source of truth.

As with audio processing (``media/processing.py``): :func:`run` claims the
row with one atomic UPDATE (two workers never make the same transcript),
a thread keeps a heartbeat and the progress while the model runs, and the
result is stored in one commit. A killed worker leaves the row ``running``
with a stale heartbeat; :func:`reconcile` (every minute, and when a worker
starts) hands it to the queue again. A failure that another try cannot
mend (no audio, unreadable audio, no model) fails at once with a message;
anything else is retried, up to ``TRANSCRIBE_MAX_ATTEMPTS``.

The model hears the episode's MP3 rendition, so a disguised voice is
transcribed disguised; nothing but the text is kept.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any, cast

from flask import current_app
from flask.globals import app_ctx
from sqlalchemy import CursorResult, update

from mediahub.core import jobs
from mediahub.core.extensions import db
from mediahub.core.jobs import JobRow
from mediahub.core.types import utcnow
from mediahub.storage import current_storage
from mediahub.transcripts import engine
from mediahub.transcripts.captions import RecognitionFailed, captions, write_vtt
from mediahub.transcripts.model_files import ModelUnavailable
from mediahub.transcripts.models import Transcript, TranscriptState

log = logging.getLogger(__name__)

# Stored in English (like the audio's errors) and translated when shown
# (services.KNOWN_ERRORS repeats them for the catalog).
FAILED_PLAINLY = "The transcript could not be made. It will not be tried again by itself."
FAILED_UNREADABLE = "The recording could not be read to make a transcript."
FAILED_NO_AUDIO = "The episode has no processed recording to transcribe."
FAILED_OFF = "Automatic transcripts are not available on this hub."
FAILED_GROUP_OFF = "The group has switched automatic transcripts off."


class RetryLater(Exception):
    """A passing problem (storage or database down): the queue retries."""


JOB = JobRow(
    model=Transcript,
    state=Transcript.state,
    waiting=TranscriptState.QUEUED,
    running=TranscriptState.RUNNING,
    heartbeat_at=Transcript.heartbeat_at,
    attempts=Transcript.attempts,
    error=Transcript.error,
    updated_at=Transcript.updated_at,
)


def _stale(now: dt.datetime) -> dt.datetime:
    return jobs.stale_before(current_app.config["TRANSCRIBE_STALE_AFTER_SECONDS"], now)


def claim(transcript_id: int, *, now: dt.datetime | None = None) -> bool:
    """Mark the transcript ``running`` if it waits, or its worker is gone."""
    now = now or utcnow()
    return jobs.claim(JOB, transcript_id, stale=_stale(now), now=now)


def run(transcript_id: int) -> None:
    """Make the transcript if it waits for it; safe to call more than once.

    Raises:
        RetryLater: a passing failure; the transcript goes back to ``queued``.
    """
    if not claim(transcript_id):
        log.info("transcript %s is not waiting; nothing to do", transcript_id)
        return
    transcript = db.session.get(Transcript, transcript_id)
    if transcript is None:  # deleted (with its episode) since it was claimed
        return
    if transcript.attempts > current_app.config["TRANSCRIBE_MAX_ATTEMPTS"]:
        _fail(transcript_id, FAILED_PLAINLY)
        return
    beat = _Heartbeat(app_ctx.app, transcript_id)
    beat.start()
    try:
        _transcribe(transcript, beat)
    except _Permanent as err:
        log.warning("transcript %s failed for good: %s", transcript_id, err.message)
        _fail(transcript_id, err.message)
    except Exception as err:
        db.session.rollback()
        log.exception("transcript %s failed (attempt %s)", transcript_id, transcript.attempts)
        _release(transcript_id)
        raise RetryLater(str(err)) from err
    finally:
        beat.stop()


class _Permanent(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _transcribe(transcript: Transcript, beat: _Heartbeat) -> None:
    config = current_app.config
    if engine.unavailable(config["TRANSCRIBE_MODEL"]) is not None:
        raise _Permanent(FAILED_OFF)
    if not transcript.episode.group.auto_transcripts:  # switched off while it waited
        raise _Permanent(FAILED_GROUP_OFF)
    audio = transcript.episode.audio
    if audio is None or not audio.is_ready or not audio.rendition_key:
        raise _Permanent(FAILED_NO_AUDIO)
    duration = audio.duration_s or 0.0
    source = transcript.source_sha256
    try:
        recogniser = engine.load(
            config["TRANSCRIBE_MODEL"],
            Path(config["TRANSCRIBE_CACHE"]),
            device=config["TRANSCRIBE_DEVICE"],
            threads=config["TRANSCRIBE_THREADS"],
        )
    except ModelUnavailable as err:
        log.error("transcripts: %s", err)
        raise _Permanent(FAILED_OFF) from err
    with current_storage().local_path(audio.rendition_key) as path:
        try:
            segments = recogniser.transcribe(
                path,
                language=transcript.language,
                progress=lambda done: beat.report(done / duration if duration else 0.0),
            )
            vtt = write_vtt(captions(segments))
        except RecognitionFailed as err:
            raise _Permanent(FAILED_UNREADABLE) from err
    _store(transcript.id, source, vtt)


def _store(transcript_id: int, source: str | None, vtt: str) -> None:
    """Keep the result, unless the transcript was asked for again (new audio,
    voice disguised) or deleted while the model ran: then it is dropped."""
    db.session.rollback()  # nothing of this session's reads may be written back
    stored = db.session.execute(
        update(Transcript)
        .where(
            Transcript.id == transcript_id,
            Transcript.state == TranscriptState.RUNNING,
            Transcript.source_sha256.is_(None)
            if source is None
            else Transcript.source_sha256 == source,
        )
        .values(
            vtt=vtt,
            version=Transcript.version + 1,
            state=TranscriptState.DONE,
            progress=1.0,
            error=None,
            heartbeat_at=None,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if cast("CursorResult[Any]", stored).rowcount != 1:
        log.info("transcript %s changed while it was made: this result is dropped", transcript_id)


def _fail(transcript_id: int, message: str) -> None:
    db.session.rollback()
    transcript = db.session.get(Transcript, transcript_id)
    if transcript is None:
        return
    transcript.state = TranscriptState.FAILED
    transcript.error = message
    transcript.heartbeat_at = None
    db.session.commit()


def _release(transcript_id: int) -> None:
    """Hand the transcript back for a later attempt (or fail it for good)."""
    transcript = db.session.get(Transcript, transcript_id)
    if transcript is None:
        return
    if transcript.attempts >= current_app.config["TRANSCRIBE_MAX_ATTEMPTS"]:
        _fail(transcript_id, FAILED_PLAINLY)
        return
    transcript.state = TranscriptState.QUEUED
    transcript.heartbeat_at = None
    db.session.commit()


def _task() -> Any:
    from mediahub.transcripts.tasks import make_transcript  # cycle: that task runs this module

    return make_transcript


def reconcile(*, now: dt.datetime | None = None) -> list[int]:
    """Enqueue transcripts whose job was lost (killed worker, lost message)."""
    ids = jobs.lost(JOB, stale=_stale(now or utcnow()))
    db.session.commit()
    task = _task()
    for transcript_id in ids:
        log.warning("re-enqueueing abandoned transcript %s", transcript_id)
        task(transcript_id)
    return ids


class _Heartbeat(jobs.Heartbeat):
    """The heartbeat, with the progress the model reports stored on each beat."""

    def __init__(self, app: Any, transcript_id: int) -> None:
        self.progress = 0.0
        super().__init__(
            app,
            f"transcript-{transcript_id}",
            lambda: (
                update(Transcript)
                .where(Transcript.id == transcript_id, Transcript.state == TranscriptState.RUNNING)
                .values(heartbeat_at=utcnow(), progress=self.progress)
            ),
        )

    def report(self, fraction: float) -> None:
        self.progress = min(max(fraction, 0.0), 0.99)
