"""Pages for a group's fediverse presence: managers switch it on and off,
editors decide on replies and block accounts or servers."""

from __future__ import annotations

from typing import Any

from flask import abort, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from mediahub.core.errors import require
from mediahub.core.extensions import db
from mediahub.fediverse import policy, publishing, services
from mediahub.fediverse.blueprint import bp
from mediahub.fediverse.forms import PresenceForm
from mediahub.fediverse.models import Block, BlockKind, RemoteReply
from mediahub.groups.models import Group
from mediahub.groups.services import load_group
from mediahub.web.actions import button_action, form_action
from mediahub.web.forms import ActionForm
from mediahub.web.pages import render_page


@bp.route("/groups/<slug>/fediverse", methods=["GET", "POST"])
@login_required
def manage(slug: str) -> Any:
    """The presence's settings (managers) and the replies waiting (editors)."""
    group = load_group(slug, current_user)
    require(policy.can_moderate(current_user, group))
    actor = services.actor_of(group)
    form = PresenceForm(
        data={
            "is_enabled": bool(actor and actor.is_enabled),
            "has_replies": bool(actor and actor.has_replies),
        }
    )
    if policy.can_set_presence(current_user, group):
        outcome = form_action(
            form,
            lambda: publishing.switch(
                group, enabled=form.is_enabled.data, replies=form.has_replies.data
            ),
            done=_l("The settings are saved."),
            to=lambda _: url_for("fediverse.manage", slug=slug),
            fields={"enabled": "is_enabled"},
        )
        if outcome.response is not None:
            return outcome.response
    return _manage_page(group, form)


def _manage_page(group: Group, form: PresenceForm) -> Any:
    actor = services.presence(group)
    return render_page(
        "fediverse/manage.html",
        group=group,
        actor=actor,
        form=form,
        can_set=policy.can_set_presence(current_user, group),
        can_federate=services.can_federate(group),
        address=services.address(group),
        followers=services.follower_count(actor) if actor else 0,
        replies=services.pending_replies(group),
        blocks=services.blocks(group),
        action_form=ActionForm(formdata=None),
    )


def _reply(reply_id: int) -> tuple[RemoteReply, Any]:
    reply = db.session.get(RemoteReply, reply_id)
    if reply is None:
        abort(404)
    group = services.reply_group(reply)
    require(policy.can_moderate(current_user, group))
    return reply, group


@bp.route(
    "/fediverse/replies/<int:reply_id>/<any(approve, reject, block_account, block_server):what>",
    methods=["POST"],
)
@login_required
def decide_reply(reply_id: int, what: str) -> Any:
    """Show a reply, drop it, or block its account or its whole server."""
    reply, group = _reply(reply_id)
    actions = {
        "approve": (lambda: services.approve_reply(reply), _l("The reply is shown now.")),
        "reject": (lambda: services.reject_reply(reply), _l("The reply is gone.")),
        "block_account": (
            lambda: services.block(group, BlockKind.ACCOUNT, reply.remote.actor_url),
            _l("The account is blocked; its replies are gone."),
        ),
        "block_server": (
            lambda: services.block(group, BlockKind.SERVER, reply.remote.domain),
            _l("The server is blocked; its replies are gone."),
        ),
    }
    action, done = actions[what]
    return button_action(
        ActionForm(), action, done=done, to=url_for("fediverse.manage", slug=group.slug)
    )


@bp.route("/fediverse/blocks/<int:block_id>/lift", methods=["POST"])
@login_required
def lift_block(block_id: int) -> Any:
    """Hear from a blocked account or server again."""
    block = db.session.get(Block, block_id)
    if block is None:
        abort(404)
    group = db.session.get(Group, block.group_id)
    require(group is not None and policy.can_moderate(current_user, group))
    return button_action(
        ActionForm(),
        lambda: services.lift_block(block),
        done=_l("The block is lifted."),
        to=url_for("fediverse.manage", slug=group.slug),  # type: ignore[union-attr]
    )
