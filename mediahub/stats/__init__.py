"""Listener statistics: downloads counted by the IAB Tech Lab rules, without
personal data (issue 12).

A request for an episode's audio or a feed is recorded off the request's
path (:mod:`.recorder`, fed by :mod:`.subscribers`) as a raw event that
holds no address and no user agent: a keyed hash with a secret of the day
(:mod:`.listeners`), the class of the app and device (:mod:`.agents`) and
optionally a country code (:mod:`.geo`). The worker rolls raw events up
into daily figures (:mod:`.rollup`, :mod:`.tasks`), which the pages and the
API read (:mod:`.queries`), with small numbers withheld (:mod:`.protection`).
"""

from __future__ import annotations

from flask import Flask

from mediahub.core.extensions import api as rest_api
from mediahub.stats import api, cli, recording, subscribers, tasks, views
from mediahub.stats.policy import can_view_group_stats

#: Modules imported for what they declare (Huey tasks).
_DECLARING = (tasks,)


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, commands and receivers, and start recording."""
    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
    app.cli.add_command(cli.stats_group)
    app.add_template_global(can_view_group_stats, "can_view_group_stats")
    recording.init_recording(app)
    subscribers.init_app(app)
