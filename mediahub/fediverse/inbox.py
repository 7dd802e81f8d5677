"""What an incoming activity means for us: the few kinds we act on.

A group's presence only publishes; from the fediverse it takes follows and
replies, nothing else. :func:`classify` turns a verified activity into one
of a handful of small records (or :class:`Ignored`), checking that the
activity speaks only for its own actor (the signer): a ``Create`` whose note
is attributed to somebody else, or an ``Undo`` of somebody else's follow,
is ignored. Likes, boosts, quotes, mentions and direct messages are ignored
too: nothing is stored that a group did not ask for.

Reply text is kept as plain text (:func:`plain_text`): remote HTML never
reaches a page, a feed or a mail, and a reply is shown only after an editor
approved it.
"""

from __future__ import annotations

import datetime as dt
import html as html_module
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import nh3

#: Longer replies are cut (Mastodon allows 500 characters, others more).
MAX_REPLY_CHARS = 5000
MAX_ID_CHARS = 2000
_BREAK_RE = re.compile(r"(?i)<\s*(br|/p|/li|/blockquote)\b[^>]*>")
_SPACE_RE = re.compile(r"[ \t\r\f\v]+")


@dataclass(frozen=True, slots=True)
class Follow:
    actor: str
    activity: dict


@dataclass(frozen=True, slots=True)
class Unfollow:
    actor: str


@dataclass(frozen=True, slots=True)
class Reply:
    actor: str
    object_id: str
    in_reply_to: str
    text: str
    published_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Deleted:
    """The actor deleted one of their objects (or, when ``object_id`` is the
    actor, their whole account)."""

    actor: str
    object_id: str


@dataclass(frozen=True, slots=True)
class Ignored:
    reason: str


Incoming = Follow | Unfollow | Reply | Deleted | Ignored


def object_id(value: Any) -> str | None:
    """The id of an object or link given inline or by reference."""
    if isinstance(value, dict):
        value = value.get("id")
    is_url = isinstance(value, str) and value.startswith(("https://", "http://"))
    return value if is_url and len(value) <= MAX_ID_CHARS else None


def plain_text(html: str) -> str:
    """Remote HTML as plain text: line breaks kept, every tag and entity gone."""
    marked = _BREAK_RE.sub("\n", html[: MAX_REPLY_CHARS * 4])
    text = html_module.unescape(nh3.clean(marked, tags=set()))
    lines = [_SPACE_RE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)[:MAX_REPLY_CHARS].strip()


def _published(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.astimezone(dt.UTC) if when.tzinfo else None


def classify(
    activity: dict, *, signer: str, our_actor: str, is_ours: Callable[[str], bool]
) -> Incoming:
    """What ``activity`` (signed by ``signer``, delivered to ``our_actor``) asks of us.

    Args:
        is_ours: Whether a URL is one of the objects this group published.
    """
    kind = activity.get("type")
    if object_id(activity.get("actor")) != signer:
        return Ignored("the activity speaks for another actor than its signer")
    obj = activity.get("object")
    if kind == "Follow":
        if object_id(obj) != our_actor:
            return Ignored("a follow of somebody else")
        return Follow(signer, activity)
    if kind == "Undo":
        if (
            isinstance(obj, dict)
            and obj.get("type") == "Follow"
            and object_id(obj.get("actor")) == signer
        ):
            return Unfollow(signer)
        return Ignored("an undo of something we do not keep")
    if kind == "Delete":
        target = object_id(obj)
        return Deleted(signer, target) if target else Ignored("a delete without an object")
    if kind in ("Create", "Update") and isinstance(obj, dict):
        return _reply(obj, signer, is_ours)
    return Ignored(f"{str(kind)[:40]} activities are not kept")


def _reply(obj: dict, signer: str, is_ours: Callable[[str], bool]) -> Incoming:
    note_id, parent = object_id(obj), object_id(obj.get("inReplyTo"))
    if obj.get("type") != "Note" or note_id is None or parent is None:
        return Ignored("not a reply")
    if object_id(obj.get("attributedTo")) != signer:
        return Ignored("a note attributed to somebody else")
    if not is_ours(parent):
        return Ignored("a reply to something that is not ours")
    content = obj.get("content")
    text = plain_text(content) if isinstance(content, str) else ""
    if not text:
        return Ignored("an empty reply")
    return Reply(signer, note_id, parent, text, _published(obj.get("published")))
