"""API schemas of groups, their members and invitations."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, validate

from mediahub.accounts.services import EMAIL_MAX
from mediahub.api import fields
from mediahub.api.schemas import AudienceSchema, everybody, shown_to, viewer
from mediahub.core.audience import Audience
from mediahub.core.urls import absolute_url
from mediahub.groups.categories import CATEGORIES
from mediahub.groups.models import Group, GroupRole, Visibility
from mediahub.groups.policy import group_audience, role_in
from mediahub.groups.services import DESCRIPTION_MAX, LANGUAGE_MAX, NAME_MAX, SLUG_MAX
from mediahub.media.artwork import cover_url, has_uploaded_cover
from mediahub.media.messages import translated

_NO_PRIVATE_FEED = "null for private groups: their listeners get secret addresses from the managers"


class GroupFieldsSchema(Schema):
    slug = fields.Str(max_length=SLUG_MAX, metadata={"description": "short name used in addresses"})
    name = fields.Str(max_length=NAME_MAX)
    description = fields.Str(max_length=DESCRIPTION_MAX, metadata={"description": "Markdown"})
    language = fields.Str(max_length=LANGUAGE_MAX, metadata={"description": "e.g. de, en, tr"})
    category = fields.Str(max_length=40, validate=validate.OneOf(list(CATEGORIES)))
    visibility = fields.Str(max_length=16, validate=validate.OneOf([v.value for v in Visibility]))
    explicit = fields.Bool(attribute="is_explicit")
    funding_url = fields.Url(
        allow_none=True, metadata={"description": "http(s) address of a donation page"}
    )
    auto_transcripts = fields.Bool(
        metadata={"description": "false: no automatic transcripts of the group's episodes"}
    )


class GroupCreateSchema(GroupFieldsSchema):
    slug = fields.Str(required=True, max_length=SLUG_MAX)
    name = fields.Str(required=True, max_length=NAME_MAX)


def _public_feed(endpoint: str) -> Any:
    def url(group: Group) -> str | None:
        if group.visibility == Visibility.PRIVATE:
            return None
        return absolute_url(endpoint, slug=group.slug)

    return url


class GroupSchema(AudienceSchema):
    """A group as the caller may see it: the intro and outro (with their
    processing errors) are for the group's managers."""

    id = fields.Int(metadata=everybody())
    slug = fields.Str(metadata=everybody("short name used in addresses"))
    name = fields.Str(metadata=everybody())
    description = fields.Str(metadata=everybody("Markdown"))
    language = fields.Str(metadata=everybody("e.g. de, en, tr"))
    category = fields.Str(metadata=everybody())
    visibility = fields.Str(metadata=everybody("public, unlisted or private"))
    explicit = fields.Bool(attribute="is_explicit", metadata=everybody())
    funding_url = fields.Str(allow_none=True, metadata=everybody())
    auto_transcripts = fields.Bool(
        metadata=shown_to(Audience.MEMBER, "automatic transcripts of the group's episodes")
    )
    page_url = fields.Function(
        lambda g: absolute_url("site.group_page", slug=g.slug), metadata=everybody()
    )
    feed_url = fields.Function(
        _public_feed("feeds.podcast_feed"), allow_none=True, metadata=everybody(_NO_PRIVATE_FEED)
    )
    blog_feed_url = fields.Function(
        _public_feed("feeds.blog_feed"), allow_none=True, metadata=everybody(_NO_PRIVATE_FEED)
    )
    cover_url = fields.Method(
        "_cover_url", allow_none=True, metadata=everybody("the uploaded cover; null if none")
    )
    artwork_url = fields.Method(
        "_artwork_url",
        metadata=everybody(
            "the artwork to show: the uploaded cover when ready, "
            "else one generated with the group's name (as in the feed)"
        ),
    )
    intro = fields.Method(
        "_intro", allow_none=True, metadata=shown_to(Audience.MANAGER, "the intro clip's state")
    )
    outro = fields.Method(
        "_outro", allow_none=True, metadata=shown_to(Audience.MANAGER, "the outro clip's state")
    )
    role = fields.Method(
        "_role", allow_none=True, metadata=everybody("the caller's role in the group")
    )

    def audience_of(self, group: Group) -> Audience:
        return group_audience(viewer(), group)

    def _intro(self, group: Group) -> Any:
        return _jingle_state(group.intro)

    def _outro(self, group: Group) -> Any:
        return _jingle_state(group.outro)

    def _cover_url(self, group: Group) -> str | None:

        return cover_url(group, absolute_url) if has_uploaded_cover(group) else None

    def _artwork_url(self, group: Group) -> str:

        return cover_url(group, absolute_url)

    def _role(self, group: Group) -> str | None:
        role = role_in(viewer(), group)
        return role.value if role else None


def _jingle_state(asset: Any) -> dict[str, Any] | None:
    if asset is None:
        return None

    return {
        "status": asset.status.value,
        "duration_s": asset.duration_s,
        "error": translated(asset.error) if asset.error else None,
    }


class MemberSchema(Schema):
    user_id = fields.Int()
    email = fields.Function(lambda m: m.user.email)
    display_name = fields.Function(lambda m: m.user.display_name)
    role = fields.Str()


class MemberAddSchema(Schema):
    email = fields.Str(required=True, max_length=EMAIL_MAX)
    role = fields.Str(
        max_length=16,
        load_default=GroupRole.MEMBER.value,
        validate=validate.OneOf([r.value for r in GroupRole]),
    )


class CoverFileSchema(Schema):
    file = fields.File(required=True)


class InvitationSchema(Schema):
    id = fields.Int()
    email = fields.Str()
    role = fields.Str()
    created_at = fields.AwareDateTime()
    sent_at = fields.AwareDateTime(
        allow_none=True, metadata={"description": "null while the mail is still on its way"}
    )
    expires_at = fields.AwareDateTime()


class InvitationCreateSchema(Schema):
    email = fields.Str(required=True, max_length=EMAIL_MAX)
    role = fields.Str(
        max_length=16,
        load_default=GroupRole.MEMBER.value,
        validate=validate.OneOf([r.value for r in GroupRole]),
    )
