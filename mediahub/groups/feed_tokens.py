"""Secret feed URLs for the listeners of private groups. Callers commit."""

from __future__ import annotations

import secrets
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mediahub.accounts.models import User, hash_token
from mediahub.core.errors import InvalidInput, NotFound, require
from mediahub.core.extensions import db
from mediahub.core.types import utcnow
from mediahub.core.urls import absolute_url
from mediahub.groups.models import FeedToken, Group, Visibility
from mediahub.groups.policy import can_manage_group

LABEL_MAX = 80


def private_feed_url(group: Group, secret: str) -> str:
    """The listener's podcast feed URL; it embeds the secret."""
    return absolute_url("feeds.private_podcast_feed", slug=group.slug, token=secret)


def list_tokens(group: Group, actor: User | None) -> list[FeedToken]:
    require(can_manage_group(actor, group))
    stmt = select(FeedToken).where(FeedToken.group_id == group.id).order_by(FeedToken.id)
    return list(db.session.scalars(stmt))


def create_token(group: Group, actor: User | None, *, label: str) -> tuple[FeedToken, str]:
    """Create a listener token; returns the row and the secret feed URL.

    The URL is the only place the secret ever appears; it cannot be shown
    again later.
    """
    require(can_manage_group(actor, group))
    if group.visibility != Visibility.PRIVATE:
        raise InvalidInput(
            _l("Only private groups have secret feed addresses; this group's feed is public.")
        )
    label = (label or "").strip()
    if not label:
        raise InvalidInput(
            _l("Please name who this address is for, e.g. “Anna's phone”."), field="label"
        )
    if len(label) > LABEL_MAX:
        raise InvalidInput(
            _l("The label is too long (at most %(n)d characters).", n=LABEL_MAX), field="label"
        )
    secret = secrets.token_urlsafe(24)
    row = FeedToken(group=group, label=label, token_hash=hash_token(secret), created_by=actor)
    db.session.add(row)
    db.session.flush()
    return row, private_feed_url(group, secret)


def load_token(group: Group, token_id: int, actor: User | None) -> FeedToken:
    require(can_manage_group(actor, group))
    row = db.session.get(FeedToken, token_id)
    if row is None or row.group_id != group.id:
        raise NotFound(_l("This feed address does not exist (any more)."))
    return row


def revoke_token(row: FeedToken) -> None:
    """Delete the token: its URLs answer 404 from the next request on."""
    db.session.delete(row)
    db.session.flush()


def token_for_secret(slug: str, secret: str) -> FeedToken | None:
    """The token row a secret stands for, if it opens the private group ``slug``.

    None for an unknown or revoked secret, another group's, or a group that
    is no longer private. Notes the day of use (callers commit).
    """
    if not secret or len(secret) > 200:
        return None
    row = db.session.scalar(
        select(FeedToken)
        .join(Group)
        .where(FeedToken.token_hash == hash_token(secret), Group.slug == slug)
    )
    if row is None or row.group.visibility != Visibility.PRIVATE:
        return None
    today = utcnow().date()
    if row.last_used_on != today:
        row.last_used_on = today
    return row


def group_for_secret(slug: str, secret: str) -> Any:
    """The private group a secret opens, or None (unknown, revoked, other group)."""
    row = token_for_secret(slug, secret)
    return row.group if row is not None else None
