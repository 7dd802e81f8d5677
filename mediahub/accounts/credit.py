"""What the public may know about a person: one rule for every output.

Pages, feeds (``podcast:person``, Atom authors), link previews and JSON-LD,
the embed player, the API and mails all ask :func:`public_name` before they
name anybody to somebody who is not entitled to know more (the person
themself, or the editors of a group they write for; see
``review.policy.author_name``). Members of self-help groups may use
pseudonyms and may not want to be named at all, so the default is nothing.
"""

from __future__ import annotations

from typing import Any


def public_name(person: Any) -> str | None:
    """The name the public may know ``person`` by, or None.

    The display name (which may be a pseudonym) of an active account whose
    owner chose to be named (``is_credited``); nothing for everybody else: an
    uncredited member, a deactivated or deleted account (``person`` None).
    """
    if person is None or not person.is_credited or not person.is_active:
        return None
    return (person.display_name or "").strip() or None
