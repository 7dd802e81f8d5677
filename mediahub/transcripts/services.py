"""Automatic transcripts: asking for one, correcting it, approving it, removing it.

Nothing of a machine transcript is public until an editor approved it:
approval copies it into the episode's ``transcript_vtt`` (what pages, feeds
and the search show) with the origin "machine". An uploaded transcript
(origin "upload") always wins: the machine's is then neither made nor
copied over it. Callers own the transaction; these functions flush.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mediahub.accounts.credit import public_name
from mediahub.accounts.models import User
from mediahub.core.errors import Conflict, InvalidInput
from mediahub.core.extensions import db
from mediahub.core.labels import label
from mediahub.core.queue import enqueue_after_commit
from mediahub.core.types import utcnow
from mediahub.episodes.models import Episode
from mediahub.groups.models import Group, Membership
from mediahub.media.messages import translated
from mediahub.review.editing import apply_changes
from mediahub.transcripts import editing
from mediahub.transcripts.captions import Cue, read_vtt, write_vtt
from mediahub.transcripts.models import Transcript, TranscriptState
from mediahub.transcripts.tasks import make_transcript

UPLOAD, MACHINE = "upload", "machine"

_REFUSED = {
    "stale": _l(
        "Someone changed the transcript in the meantime. Please reload the page and make "
        "your changes again."
    ),
    "text_too_long": _l("A line of the transcript is too long (at most 1000 characters)."),
    "speaker_too_long": _l("A speaker's name is too long (at most 100 characters)."),
    "no_next": _l("The last line has no line after it to join."),
    "no_cue": _l("This line does not exist (any more)."),
    "one_word": _l("A line of one word cannot be split."),
    "times_changed": _l(
        "The times of the lines cannot be changed: send the lines with the times you "
        "received, in the same order (only words and speakers change; join or split lines)."
    ),
}
MESSAGES = {
    TranscriptState.QUEUED: _l("The transcript will be written soon."),
    TranscriptState.RUNNING: _l("The transcript is being written. This takes a few minutes."),
    TranscriptState.DONE: _l("Please check the transcript."),
    TranscriptState.FAILED: _l("The transcript could not be made."),
}
#: The job's failures (stored in English, jobs.FAILED_*), repeated for the catalog.
KNOWN_ERRORS = (
    _l("The transcript could not be made. It will not be tried again by itself."),
    _l("The recording could not be read to make a transcript."),
    _l("The episode has no processed recording to transcribe."),
    _l("Automatic transcripts are not available on this hub."),
    _l("The group has switched automatic transcripts off."),
)
#: Suggestions for naming speakers: never a name a person did not choose.
SPEAKER_LABELS = (_l("Speaker 1"), _l("Speaker 2"), _l("Speaker 3"))

#: A numbered speaker ("Sprecherin 1", "Speaker 2"): a name nobody has.
_NUMBERED = re.compile(r"^(sprecherin|sprecher|speaker|person|stimme)\s[1-9][0-9]?$", re.IGNORECASE)


def chosen_names(group: Group) -> list[str]:
    """The names members of ``group`` chose to be known by in public (their
    display name, often a pseudonym, when they opted in to be named)."""
    members = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.group_id == group.id)
    )
    return sorted({name for user in members if (name := public_name(user))}, key=str.lower)


def _check_speakers(episode: Episode, names: Sequence[str]) -> None:
    """Speakers are named only with a number or a name the person chose:
    never a name somebody else typed for them (the recording is health data)."""
    allowed: set[str] | None = None
    for name in names:
        name = editing.one_line(name)
        if not name or _NUMBERED.match(name):
            continue
        if allowed is None:
            allowed = set(chosen_names(episode.group))
        if name not in allowed:
            raise InvalidInput(
                _l(
                    "“%(name)s” is not a name a member of the group chose to be known by. "
                    "Please use “Speaker 1”, “Speaker 2” … or the public name of a member "
                    "who agreed to be named.",
                    name=name[:100],
                ),
                field="speaker",
            )


def speaker_suggestions(episode: Episode, cues: Sequence[Cue]) -> list[str]:
    """Names to offer for the speakers: those in the transcript, numbered
    speakers and the names members chose (the only names :func:`save_edit` takes)."""
    return list(
        dict.fromkeys(
            [
                *editing.speakers(cues),
                *(str(s) for s in SPEAKER_LABELS),
                *chosen_names(episode.group),
            ]
        )
    )


def status_of(transcript: Transcript | None) -> dict[str, Any]:
    """The job's state with a sentence a person can read (page and API)."""
    if transcript is None:
        return {"state": "none", "label": "", "message": "", "percent": 0, "is_final": True}
    message = MESSAGES[transcript.state]
    if transcript.state == TranscriptState.FAILED and transcript.error:
        message = translated(transcript.error)
    return {
        "state": transcript.state.value,
        "label": str(label(transcript.state)),
        "message": str(message),
        "percent": round(transcript.progress * 100),
        "is_final": transcript.is_final,
    }


def transcript_of(episode: Episode) -> Transcript | None:
    """The episode's automatic transcript, if one was asked for."""
    return db.session.scalar(select(Transcript).where(Transcript.episode_id == episode.id))


def source_of(episode: Episode) -> str | None:
    """What a transcript is made from: the recording and whether the voice is
    disguised (a transcript made before the voice was disguised is made again)."""
    audio = episode.audio
    if audio is None or not audio.is_ready:
        return None
    mark = f"{audio.original_sha256}:{'disguised' if episode.disguise_voice else 'plain'}"
    return hashlib.sha256(mark.encode()).hexdigest()


def request_transcript(episode: Episode, *, again: bool = False) -> Transcript | None:
    """Have the worker make a transcript of the episode's processed audio.

    Nothing happens when the group switched automatic transcripts off, when
    an uploaded transcript exists, or when one of the same recording exists
    (unless ``again``). A transcript of another recording (or of the voice
    before it was disguised) is replaced, and its approved copy withdrawn.
    """
    source = source_of(episode)
    if source is None or not episode.group.auto_transcripts:
        return None
    if not current_app.config["TRANSCRIBE"]:
        return None
    if episode.transcript_origin == UPLOAD:
        return None
    transcript = transcript_of(episode)
    if transcript is not None and transcript.source_sha256 == source and not again:
        return transcript
    if transcript is None:
        transcript = Transcript(episode=episode)
        db.session.add(transcript)
    elif episode.transcript_origin == MACHINE:
        apply_changes(episode, {"transcript_vtt": None, "transcript_origin": None}, None)
    transcript.state = TranscriptState.QUEUED
    transcript.progress, transcript.attempts, transcript.error = 0.0, 0, None
    transcript.heartbeat_at = None
    transcript.language = episode.language or episode.group.language or "de"
    transcript.source_sha256 = source
    transcript.vtt = None
    transcript.version = (transcript.version or 1) + 1
    transcript.approved_version = None
    db.session.flush()
    enqueue_after_commit(db.session, make_transcript, transcript.id)
    return transcript


def request_again(episode: Episode) -> Transcript:
    """A person asks for a new transcript (the old one is replaced).

    Raises:
        Conflict: none can be made (code ``not_possible``; the message says why).
    """
    transcript = request_transcript(episode, again=True)
    if transcript is not None:
        return transcript
    if episode.transcript_origin == UPLOAD:
        reason = _l("The episode has an uploaded transcript; it is used instead.")
    elif not episode.group.auto_transcripts:
        reason = _l("The group has switched automatic transcripts off.")
    elif not current_app.config["TRANSCRIBE"]:
        reason = _l("Automatic transcripts are not available on this hub.")
    else:
        reason = _l("The episode has no processed recording to transcribe.")
    raise Conflict(reason, code="not_possible")


def _check_version(transcript: Transcript, version: int | None) -> None:
    if version is not None and version != transcript.version:
        raise Conflict(_REFUSED["stale"], code="stale")


def _refused(err: editing.EditRefused) -> InvalidInput:
    return InvalidInput(_REFUSED.get(err.code, _REFUSED["stale"]), field="cues")


def save_edit(
    transcript: Transcript,
    *,
    version: int | None,
    texts: Sequence[str],
    speakers: Sequence[str],
    merge: int | None = None,
    split: int | None = None,
    split_at: int | None = None,
    times: Sequence[tuple[float, float]] | None = None,
) -> None:
    """Store a person's corrections (and a merge or split of one line).

    ``times`` (the API sends the cues it received) must be the stored cues'
    times: nobody changes a time, and a list of other cues is refused.

    Raises:
        Conflict: the page showed an older version (code ``stale``).
        InvalidInput: the lines do not fit (too long, nothing to split).
    """
    if transcript.state != TranscriptState.DONE:
        raise Conflict(_l("The transcript is not ready yet."), code="not_ready")
    _check_version(transcript, version)
    _check_speakers(transcript.episode, speakers)
    try:
        cues = read_vtt(transcript.vtt)
        if times is not None:
            editing.check_times(cues, times)
        cues = editing.with_words(cues, texts, speakers)
        if merge is not None:
            cues = editing.merge(cues, merge)
        if split is not None:
            cues = editing.split(cues, split, split_at)
    except editing.EditRefused as err:
        raise _refused(err) from None
    vtt = write_vtt(editing.without_empty(cues))
    if vtt != transcript.vtt:
        transcript.vtt = vtt
        transcript.version += 1
    db.session.flush()


def approve(transcript: Transcript, actor: User | None, *, version: int | None = None) -> bool:
    """Publish what the transcript says now as the episode's transcript.

    Returns whether it became the episode's transcript (an uploaded one wins).

    Raises:
        Conflict: it is not ready or has no text, or ``version`` (what the
            editor read) is not the current one (code ``stale``).
    """
    episode = transcript.episode
    if transcript.state != TranscriptState.DONE or not read_vtt(transcript.vtt):
        raise Conflict(_l("There is no finished transcript to approve."), code="not_ready")
    _check_version(transcript, version)
    if episode.transcript_origin == UPLOAD:
        return False
    transcript.approved_version = transcript.version
    transcript.approved_by_id = actor.id if actor is not None else None
    transcript.approved_at = utcnow()
    apply_changes(episode, {"transcript_vtt": transcript.vtt, "transcript_origin": MACHINE}, actor)
    return True


def approve_with_episode(episode: Episode, actor: User | None) -> None:
    """The episode was approved with its transcript on the review page."""
    transcript = transcript_of(episode)
    if (
        transcript is not None
        and transcript.state == TranscriptState.DONE
        and not transcript.is_approved
        and read_vtt(transcript.vtt)
    ):
        approve(transcript, actor)


def delete_transcript(episode: Episode, actor: User | None) -> bool:
    """Remove the episode's transcript: the machine's and the published one
    (an upload too). Returns whether there was anything. A new recording
    brings a new automatic transcript (unless the group switched them off)."""
    transcript = transcript_of(episode)
    had = transcript is not None or episode.transcript_vtt is not None
    if transcript is not None:
        db.session.delete(transcript)
    apply_changes(episode, {"transcript_vtt": None, "transcript_origin": None}, actor)
    db.session.flush()
    return had


def uploaded(episode: Episode) -> None:
    """An uploaded transcript replaced whatever the episode had: it wins."""
    episode.transcript_origin = UPLOAD if episode.transcript_vtt else None
