"""JSON API for groups and memberships."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, validate

from mediahub.accounts.models import User
from mediahub.accounts.services import EMAIL_MAX
from mediahub.api import fields
from mediahub.api.blueprint import api_blueprint, current_api_user, require_user
from mediahub.api.schemas import AudienceSchema, everybody, shown_to, viewer
from mediahub.core.audience import Audience
from mediahub.core.errors import NotFound, PermissionDenied
from mediahub.core.extensions import db
from mediahub.core.urls import absolute_url
from mediahub.groups import invitations, services
from mediahub.groups.categories import CATEGORIES
from mediahub.groups.models import Group, GroupRole, Visibility
from mediahub.groups.policy import can_create_group, can_manage_group, group_audience, role_in
from mediahub.groups.services import DESCRIPTION_MAX, LANGUAGE_MAX, NAME_MAX, SLUG_MAX

blp = api_blueprint("groups_api", __name__, "Groups and their members")


load_group = services.load_group  # shared with the episodes and posts APIs


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


class GroupCreateSchema(GroupFieldsSchema):
    slug = fields.Str(required=True, max_length=SLUG_MAX)
    name = fields.Str(required=True, max_length=NAME_MAX)


def _public_feed(endpoint: str) -> Any:
    def url(group: Group) -> str | None:
        if group.visibility == Visibility.PRIVATE:
            return None
        return absolute_url(endpoint, slug=group.slug)

    return url


_NO_PRIVATE_FEED = "null for private groups: their listeners get secret addresses from the managers"


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
        from mediahub.feeds.artwork import cover_url, has_uploaded_cover

        return cover_url(group, absolute_url) if has_uploaded_cover(group) else None

    def _artwork_url(self, group: Group) -> str:
        from mediahub.feeds.artwork import cover_url

        return cover_url(group, absolute_url)

    def _role(self, group: Group) -> str | None:
        role = role_in(viewer(), group)
        return role.value if role else None


def _jingle_state(asset: Any) -> dict[str, Any] | None:
    if asset is None:
        return None
    from mediahub.media.messages import translated

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


@blp.route("/groups")
@blp.response(200, GroupSchema(many=True))
def list_groups() -> Any:
    """Groups the caller may find: public ones, and the caller's own unlisted and
    private ones (all of them for hub editors and admins). An unlisted group is
    not listed to others; they reach it by its slug (``GET /groups/{slug}``)."""
    return services.listed_groups(current_api_user())


@blp.route("/groups", methods=["POST"])
@blp.arguments(GroupCreateSchema)
@blp.response(201, GroupSchema)
def create_group(args: dict[str, Any]) -> Any:
    """Create a group (hub admins)."""
    user = require_user()
    if not can_create_group(user):
        raise PermissionDenied(_l("Only hub administrators can create groups."))
    group = services.create_group(args)
    db.session.commit()
    return group


@blp.route("/groups/<slug>")
@blp.response(200, GroupSchema)
def get_group(slug: str) -> Any:
    return load_group(slug, current_api_user())


@blp.route("/groups/<slug>", methods=["PATCH"])
@blp.arguments(GroupFieldsSchema)
@blp.response(200, GroupSchema)
def update_group(args: dict[str, Any], slug: str) -> Any:
    """Change a group's settings (its managers and hub admins)."""
    user = require_user()
    group = load_group(slug, user)
    if not can_manage_group(user, group):
        raise PermissionDenied(_l("Only the group's managers can change its settings."))
    services.update_group(group, args, user)
    db.session.commit()
    return group


@blp.route("/groups/<slug>/cover", methods=["PUT"])
@blp.arguments(CoverFileSchema, location="multipart")
@blp.response(200, GroupSchema)
def put_cover(files: dict[str, Any], slug: str) -> Any:
    """Upload cover art (JPEG, PNG or WebP); it is cropped square and cleaned of metadata."""
    user = require_user()
    group = load_group(slug, user)
    if not can_manage_group(user, group):
        raise PermissionDenied(_l("Only the group's managers can change its settings."))
    services.set_cover(group, files["file"].stream, actor=user)
    db.session.commit()
    return group


@blp.route("/groups/<slug>/<any(intro, outro):which>", methods=["PUT"])
@blp.arguments(CoverFileSchema, location="multipart")
@blp.response(200, GroupSchema)
def put_jingle(files: dict[str, Any], slug: str, which: str) -> Any:
    """Upload the intro or outro joined to every newly processed episode (short clip)."""
    user = require_user()
    group = load_group(slug, user)
    if not can_manage_group(user, group):
        raise PermissionDenied(_l("Only the group's managers can change its settings."))
    services.set_jingle(group, which, files["file"].stream, actor=user)
    db.session.commit()
    return group


@blp.route("/groups/<slug>/<any(intro, outro):which>", methods=["DELETE"])
@blp.response(200, GroupSchema)
def delete_jingle(slug: str, which: str) -> Any:
    """Stop joining the intro or outro to new episodes."""
    user = require_user()
    group = load_group(slug, user)
    if not can_manage_group(user, group):
        raise PermissionDenied(_l("Only the group's managers can change its settings."))
    services.set_jingle(group, which, None, actor=user)
    db.session.commit()
    return group


@blp.route("/groups/<slug>/members")
@blp.response(200, MemberSchema(many=True))
def list_members(slug: str) -> Any:
    user = require_user()
    group = load_group(slug, user)
    if not can_manage_group(user, group):
        raise PermissionDenied(_l("Only the group's managers can see its member list."))
    return sorted(group.memberships, key=lambda m: m.user.display_name.lower())


@blp.route("/groups/<slug>/members", methods=["POST"])
@blp.arguments(MemberAddSchema)
@blp.response(201, MemberSchema)
def add_member(args: dict[str, Any], slug: str) -> Any:
    """Add a person (by the email of their account) as member, editor or manager;
    an existing member gets the new role."""
    user = require_user()
    group = load_group(slug, user)
    if not can_manage_group(user, group):
        raise PermissionDenied(_l("Only the group's managers can add members."))
    row = services.set_member(group, args["email"], args["role"])
    db.session.commit()
    return row


@blp.route("/groups/<slug>/members/<int:user_id>", methods=["DELETE"])
@blp.response(204)
def remove_member(slug: str, user_id: int) -> None:
    user = require_user()
    group = load_group(slug, user)
    if not can_manage_group(user, group):
        raise PermissionDenied(_l("Only the group's managers can remove members."))
    member = db.session.get(User, user_id)
    if member is None:
        raise NotFound(_l("This person is not a member of the group."))
    services.remove_member(group, member)
    db.session.commit()


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


def _managed(slug: str) -> tuple[User, Group]:
    user = require_user()
    group = load_group(slug, user)
    if not can_manage_group(user, group):
        raise PermissionDenied(_l("Only the group's managers can invite people."))
    return user, group


@blp.route("/groups/<slug>/invitations")
@blp.response(200, InvitationSchema(many=True))
def list_invitations(slug: str) -> Any:
    """Invitations not yet accepted (managers and hub admins)."""
    _user, group = _managed(slug)
    return invitations.pending_invitations(group)


@blp.route("/groups/<slug>/invitations", methods=["POST"])
@blp.arguments(InvitationCreateSchema)
@blp.response(201, InvitationSchema)
def create_invitation(args: dict[str, Any], slug: str) -> Any:
    """Invite a person by email: they get a one-time link (valid for 7 days) to
    set their name and password, or to log in, and join with ``role``.
    Inviting the same address again renews the open invitation."""
    user, group = _managed(slug)
    row = invitations.invite(group, args["email"], args["role"], actor=user)
    db.session.commit()
    return row


@blp.route("/groups/<slug>/invitations/<int:invitation_id>", methods=["DELETE"])
@blp.response(204)
def delete_invitation(slug: str, invitation_id: int) -> None:
    """Withdraw an invitation: its link stops working."""
    _user, group = _managed(slug)
    invitations.withdraw(invitations.load_invitation(group, invitation_id))
    db.session.commit()
