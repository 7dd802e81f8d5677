"""Where the pre-rendered feed files live under FEEDS_ROOT.

::

    FEEDS_ROOT/public/podcast.xml, blog.atom            hub feeds (+ .gz)
    FEEDS_ROOT/public/<slug>/podcast.xml, blog.atom     public and unlisted groups (+ .gz)
    FEEDS_ROOT/private/<slug>/podcast.xml, blog.atom    private groups (token placeholder)
"""

from __future__ import annotations

from pathlib import Path

PODCAST = "podcast.xml"
BLOG = "blog.atom"
NAMES = (PODCAST, BLOG)
#: Stands for the listener's token in every URL of a private feed; the server
#: puts the caller's own token in its place.
TOKEN_PLACEHOLDER = "__FEED_TOKEN__"  # noqa: S105 - a placeholder, not a secret


PUBLIC, PRIVATE = "public", "private"


def store_name(kind: str, slug: str | None, name: str) -> str:
    """A feed file's name in the feed store (mediahub.feeds.store): ``public/…``
    or ``private/…``; the hub's own feeds have no slug."""
    return f"{kind}/{name}" if slug is None else f"{kind}/{slug}/{name}"


def public_path(root: str | Path, slug: str | None, name: str) -> Path:
    """A public file: a group's (``slug``) or the hub's (``slug=None``)."""
    base = Path(root) / "public"
    return base / name if slug is None else base / slug / name


def private_path(root: str | Path, slug: str, name: str) -> Path:
    """A private group's file (served only behind a listener's token)."""
    return Path(root) / "private" / slug / name
