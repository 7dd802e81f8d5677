"""JSON API of the listener statistics: a group's, an episode's, the hub's."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from mediahub.api.blueprint import api_blueprint, require_user
from mediahub.core.errors import NotFound, PermissionDenied
from mediahub.core.extensions import db
from mediahub.episodes.models import Episode
from mediahub.groups.services import load_group
from mediahub.stats.forms import checked_period
from mediahub.stats.policy import can_view_group_stats, can_view_hub_stats
from mediahub.stats.queries import Period, episode_report, scope_report
from mediahub.stats.recording import hub_today, hub_zone
from mediahub.stats.schemas import PeriodArgsSchema, StatsSchema

blp = api_blueprint("stats_api", __name__, "Listener statistics (no personal data)")

_NOT_YOURS = _l(
    "Statistics are for the group's managers and editors (of a private group: its managers)."
)


def _period(args: dict[str, Any]) -> Period:
    return checked_period(args.get("start"), args.get("end"), hub_today(hub_zone(current_app)))


@blp.route("/groups/<slug>/stats")
@blp.arguments(PeriodArgsSchema, location="query")
@blp.response(200, StatsSchema)
def group_stats(args: dict[str, Any], slug: str) -> Any:
    """A group's downloads per day, episode, app, device and country, and its
    estimated subscribers (the group's managers and editors, hub admins)."""
    user = require_user()
    group = load_group(slug, user)
    if not can_view_group_stats(user, group):
        raise PermissionDenied(_NOT_YOURS)
    return scope_report(group, _period(args), hub_zone(current_app))


@blp.route("/episodes/<int:episode_id>/stats")
@blp.arguments(PeriodArgsSchema, location="query")
@blp.response(200, StatsSchema)
def episode_stats(args: dict[str, Any], episode_id: int) -> Any:
    """One episode's downloads per day, app, device and country."""
    user = require_user()
    episode = db.session.get(Episode, episode_id)
    if episode is None:
        raise NotFound(_l("There is no such episode."))
    group = load_group(episode.group.slug, user)
    if not can_view_group_stats(user, group):
        raise PermissionDenied(_NOT_YOURS)
    return episode_report(episode, _period(args), hub_zone(current_app))


@blp.route("/stats")
@blp.arguments(PeriodArgsSchema, location="query")
@blp.response(200, StatsSchema)
def hub_stats(args: dict[str, Any]) -> Any:
    """The whole hub's figures, with its groups ranked by downloads (hub admins)."""
    user = require_user()
    if not can_view_hub_stats(user):
        raise PermissionDenied(_l("The hub's statistics are for its administrators."))
    return scope_report(None, _period(args), hub_zone(current_app))
