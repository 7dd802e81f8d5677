"""Forms of the fediverse pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class PresenceForm(FlaskForm):
    is_enabled = BooleanField(
        _l("People on Mastodon and other fediverse servers can follow this group"),
        description=_l(
            "Followers get a short post for every new episode and blog post, with a link "
            "here. Only for public groups."
        ),
    )
    has_replies = BooleanField(
        _l("Take replies in"),
        description=_l(
            "Replies wait here until an editor approves them; only approved replies are "
            "shown under the episode or post."
        ),
    )
