"""The site's search of what episodes say: title, show notes and the words
of their public transcript.

A "contains" (LIKE) over every transcript would read the text of every
episode for every search: an hour of speech is ~60 kB, 10,000 episodes are
600 MB. A full-text index answers from its word lists instead, at the cost
of about the text's size again on disk. One row per episode in
``episode_texts`` holds the text; the databases index it in their own way
(migration 0009): PostgreSQL a ``tsvector`` column (configuration
``simple``: lower case, no stemming) with a GIN index, SQLite an FTS5 table
(``unicode61``: lower case for every letter, diacritics folded) that
triggers keep in step. Words match from their start ("schwest" finds
"Schwester"), every word must occur.

The row follows the episode by itself: whenever a flush changes an
episode's title, show notes or transcript, :func:`_follow` writes its text,
whatever code made the change.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, Select, event, inspect, literal_column, select, text
from sqlalchemy.orm import Session

from mediahub.episodes.models import Episode
from mediahub.transcripts.captions import read_vtt
from mediahub.transcripts.models import EpisodeText

#: At most this many words of a search are used.
MAX_WORDS = 8
_WORD = re.compile(r"\w+")
_FIELDS = ("title", "description", "transcript_vtt")


def body_of(episode: Episode) -> str:
    """What is searched of an episode: title, show notes, transcript words."""
    words = " ".join(cue.text for cue in read_vtt(episode.transcript_vtt))
    return "\n".join(part for part in (episode.title, episode.description or "", words) if part)


def words_of(query: str) -> list[str]:
    """The words of a search box, lower case, letters and digits only (so
    nothing typed is ever search syntax)."""
    return [w.lower() for w in _WORD.findall(query)][:MAX_WORDS]


def matching(dialect: str, words: list[str]) -> ColumnElement[bool]:
    """SQL for "the episode's text contains every word (as a word's start)"."""
    if dialect == "postgresql":
        query = " & ".join(f"{w}:*" for w in words)
        found: Select[Any] = select(EpisodeText.episode_id).where(
            text("episode_texts.document @@ to_tsquery('simple', :words)").bindparams(words=query)
        )
    else:
        query = " ".join(f'"{w}"*' for w in words)
        found = (
            select(literal_column("rowid"))
            .select_from(text("episode_texts_fts"))
            .where(text("episode_texts_fts MATCH :words").bindparams(words=query))
        )
    return Episode.id.in_(found)


def _changed(episode: Episode) -> bool:
    state = inspect(episode)
    return any(state.attrs[name].history.has_changes() for name in _FIELDS)


def _follow(session: Session, _context: Any, _instances: Any) -> None:
    with session.no_autoflush:
        for obj in list(session.new) + list(session.dirty):
            if not isinstance(obj, Episode) or not (obj in session.new or _changed(obj)):
                continue
            row = session.get(EpisodeText, obj.id) if obj.id is not None else None
            if row is None:
                row = EpisodeText(episode=obj)
                session.add(row)
            row.body = body_of(obj)


def init_app() -> None:
    """Keep ``episode_texts`` in step with every session's episodes."""
    if not event.contains(Session, "before_flush", _follow):
        event.listen(Session, "before_flush", _follow)
