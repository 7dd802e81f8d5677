"""Groups and memberships. Callers own the transaction."""

from __future__ import annotations

import re
from typing import Any, BinaryIO

from babel import Locale, UnknownLocaleError
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from mediahub.accounts.models import User
from mediahub.accounts.services import user_by_email
from mediahub.core import signals
from mediahub.core.db import apply_changes
from mediahub.core.errors import Conflict, InvalidInput, NotFound
from mediahub.core.extensions import db
from mediahub.core.links import clean_url
from mediahub.core.search import all_words_in
from mediahub.groups.categories import CATEGORIES
from mediahub.groups.listing import listed_for
from mediahub.groups.models import Group, GroupRole, Membership, Visibility
from mediahub.groups.policy import can_view_group
from mediahub.media import images
from mediahub.media import services as media

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 60
NAME_MAX = 120
LANGUAGE_MAX = 8  # a BCP 47 tag such as "de" or "pt-BR"
DESCRIPTION_MAX = 4000  # Apple cuts channel descriptions at 4000 characters
EDITABLE = (
    "slug",
    "name",
    "description",
    "language",
    "category",
    "visibility",
    "is_explicit",
    "funding_url",
    "auto_transcripts",
)


def group_by_slug(slug: str) -> Group | None:
    return db.session.scalar(select(Group).where(Group.slug == slug))


def load_group(slug: str, user: User | None) -> Group:
    """The group if this person may see it.

    Raises:
        NotFound: no such group, or a private one ``user`` may not see (no leaks).
    """
    group = group_by_slug(slug)
    if group is None or not can_view_group(user, group):
        raise NotFound(_l("There is no group with this name (or it is not visible to you)."))
    return group


def _clean(fields: dict[str, Any], group: Group | None) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InvalidInput(_l("Unknown field: %(f)s", f=", ".join(sorted(unknown))))
    out: dict[str, Any] = {}
    if "slug" in fields:
        slug = (fields["slug"] or "").strip().lower()
        if not (2 <= len(slug) <= SLUG_MAX and SLUG_RE.match(slug)):
            raise InvalidInput(
                _l(
                    "The short name may contain only lower-case letters, digits and "
                    "dashes (2 to 60 characters)."
                ),
                field="slug",
            )
        other = group_by_slug(slug)
        if other is not None and other is not group:
            raise Conflict(_l("This short name is taken."), field="slug", code="duplicate")
        out["slug"] = slug
    if "name" in fields:
        name = (fields["name"] or "").strip()
        if not name or len(name) > NAME_MAX:
            raise InvalidInput(
                _l("Please enter a name of at most %(n)d characters.", n=NAME_MAX), field="name"
            )
        out["name"] = name
    if "description" in fields:
        desc = (fields["description"] or "").strip()
        if len(desc) > DESCRIPTION_MAX:
            raise InvalidInput(
                _l("The description is too long (at most %(n)d characters).", n=DESCRIPTION_MAX),
                field="description",
            )
        out["description"] = desc
    if "language" in fields:
        out["language"] = clean_language(fields["language"])
    if "category" in fields:
        if fields["category"] not in CATEGORIES:
            raise InvalidInput(_l("Please choose a topic from the list."), field="category")
        out["category"] = fields["category"]
    if "visibility" in fields:
        try:
            out["visibility"] = Visibility(fields["visibility"])
        except ValueError:
            raise InvalidInput(
                _l("Visibility must be public, unlisted or private."), field="visibility"
            ) from None
    if "is_explicit" in fields:
        out["is_explicit"] = bool(fields["is_explicit"])
    if "funding_url" in fields:
        out["funding_url"] = _clean_url(fields["funding_url"], "funding_url")
    if "auto_transcripts" in fields:
        out["auto_transcripts"] = bool(fields["auto_transcripts"])
    return out


def clean_language(code: str | None) -> str:
    """A BCP 47 language tag Babel knows (``de``, ``pt-BR``).

    Raises:
        InvalidInput: anything else (``field`` is ``language``).
    """
    code = (code or "").strip().replace("_", "-")
    try:
        if len(code) > LANGUAGE_MAX:
            raise ValueError(code)
        Locale.parse(code, sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        raise InvalidInput(
            _l("Please choose a language, e.g. de or en."), field="language"
        ) from None
    return code


def _clean_url(url: str | None, field: str) -> str | None:
    url = (url or "").strip()
    return clean_url(url, field) if url else None


def create_group(fields: dict[str, Any]) -> Group:
    """Create a group.

    Raises:
        InvalidInput: a field is missing or malformed.
        Conflict: the slug is taken.
    """
    values = _clean({"slug": fields.get("slug"), "name": fields.get("name"), **fields}, None)
    group = Group(**values)
    db.session.add(group)
    db.session.flush()
    signals.group_changed.send(group, actor=None)
    return group


def update_group(group: Group, fields: dict[str, Any], actor: User | None = None) -> bool:
    return apply_changes(group, _clean(fields, group), signal=signals.group_changed, actor=actor)


def set_cover(group: Group, upload: BinaryIO, *, actor: User) -> None:
    """Store new cover art (validated, cropped square, cleaned of metadata).

    Raises:
        InvalidInput: not a readable JPEG, PNG or WebP image, or too large.
    """

    previous = group.cover
    group.cover = images.store_cover(upload, uploader=actor)
    db.session.flush()
    media.discard(previous)  # its files go once the new cover is committed
    signals.group_changed.send(group, actor=actor, fields=["cover"])


JINGLE_MAX_BYTES = 50 * 1024 * 1024


def set_jingle(group: Group, which: str, upload: BinaryIO | None, *, actor: User) -> None:
    """Set (or with ``upload=None`` remove) the group's intro or outro clip.

    The clip is normalised once in the background and joined to every episode
    processed after that; published episodes keep the sound they went out with.

    Raises:
        InvalidInput: not a short recording.
    """

    if which not in {"intro", "outro"}:
        raise InvalidInput(_l("Use intro or outro."))
    asset = None
    if upload is not None:
        asset = media.store_upload(
            upload, kind=media.AssetKind.JINGLE, uploader=actor, max_size=JINGLE_MAX_BYTES
        )
        media.check_is_audio(asset)
        media.queue_processing(asset)
    setattr(group, which, asset)
    db.session.flush()
    signals.group_changed.send(group, actor=actor, fields=[which])


def membership(group: Group, user: User) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.group_id == group.id, Membership.user_id == user.id)
    )


def set_member(group: Group, email: str, role: str) -> Membership:
    """Add a person to a group with ``role``, or change their role.

    Raises:
        NotFound: no account has this email.
        InvalidInput: unknown role.
    """
    try:
        role_enum = GroupRole(role)
    except ValueError:
        raise InvalidInput(
            _l("The role must be member, editor or manager."), field="role"
        ) from None
    user = user_by_email(email or "")
    if user is None:
        raise NotFound(
            _l("There is no account with this email address. Create the account first."),
            field="email",
        )
    row = membership(group, user)
    if row is None:
        row = Membership(group=group, user=user, role=role_enum)
        db.session.add(row)
    else:
        row.role = role_enum
    db.session.flush()
    return row


def remove_member(group: Group, user: User) -> None:
    row = membership(group, user)
    if row is None:
        raise NotFound(_l("This person is not a member of the group."))
    db.session.delete(row)
    db.session.flush()


def listed_groups(user: User | None, text: str = "") -> Select[Group]:
    """The groups this person may find in a list, by name: public ones for
    everybody, plus their own unlisted and private ones (all for hub editors
    and admins), with every word of ``text`` in the name or description.
    Unlisted groups are reached by their address only."""
    stmt = select(Group).where(
        listed_for(user), all_words_in((Group.name, Group.description), text)
    )
    return stmt.order_by(Group.name, Group.id)
