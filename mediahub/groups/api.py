"""JSON API for groups and memberships."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from mediahub.accounts.identity import api_caller
from mediahub.accounts.models import User
from mediahub.api.blueprint import api_blueprint, public, require_user
from mediahub.api.paging import SearchArgsSchema, SelectPage, search_text
from mediahub.core.errors import NotFound, PermissionDenied
from mediahub.core.extensions import db
from mediahub.groups import invitations, services
from mediahub.groups.models import Group
from mediahub.groups.policy import can_create_group, can_manage_group
from mediahub.groups.schemas import (
    CoverFileSchema,
    GroupCreateSchema,
    GroupFieldsSchema,
    GroupSchema,
    InvitationCreateSchema,
    InvitationSchema,
    MemberAddSchema,
    MemberSchema,
)

blp = api_blueprint("groups_api", __name__, "Groups and their members")


load_group = services.load_group  # shared with the episodes and posts APIs


@blp.route("/groups")
@blp.arguments(SearchArgsSchema, location="query")
@blp.response(200, GroupSchema(many=True))
@blp.paginate(SelectPage)
@public
def list_groups(args: dict[str, Any]) -> Any:
    """Groups the caller may find, by name, in pages: public ones, and the
    caller's own unlisted and private ones (all of them for hub editors and
    admins); ``q`` finds them by words in the name or description. An
    unlisted group is not listed to others; they reach it by its slug
    (``GET /groups/{slug}``)."""
    return services.listed_groups(api_caller(), search_text(args))


@blp.route("/groups", methods=["POST"])
@blp.arguments(GroupCreateSchema)
@blp.response(201, GroupSchema)
def create_group(args: dict[str, Any]) -> Any:
    """Create a group (hub admins)."""
    user = require_user()
    if not can_create_group(user):
        raise PermissionDenied(_l("Only hub administrators can create groups."))
    group = services.create_group(args)
    return group


@blp.route("/groups/<slug>")
@blp.response(200, GroupSchema)
@public
def get_group(slug: str) -> Any:
    return load_group(slug, api_caller())


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
    return row


@blp.route("/groups/<slug>/invitations/<int:invitation_id>", methods=["DELETE"])
@blp.response(204)
def delete_invitation(slug: str, invitation_id: int) -> None:
    """Withdraw an invitation: its link stops working."""
    _user, group = _managed(slug)
    invitations.withdraw(invitations.load_invitation(group, invitation_id))
