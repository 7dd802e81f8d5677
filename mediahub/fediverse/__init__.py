"""Fediverse: a public group as an ActivityPub actor its listeners can follow.

Opt-in per public group (never for unlisted or private ones). The group is
``@slug@hub-domain`` (WebFinger, NodeInfo, HTTP signatures); followers get a
post for every new episode and blog post, a ``Delete`` when it is taken
offline; replies wait in a moderation queue for the group's editors.

The protocol library is pubby (AGPL-3.0-or-later, like us; one maintainer,
alpha, released often). We use its protocol pieces — RSA keys, draft-cavage
HTTP signatures (signing and checking), the actor and object models, the
JSON-LD context, ``Delete`` building, shared-inbox de-duplication
(``collect_inboxes``) — and not its storage or its inbox processor: its
SQLAlchemy storage keeps its own tables outside our migrations, and its
processor fetches remote actors itself with plain ``requests`` (no size
bound, a host-name check instead of a check of the resolved address), stores
likes, boosts and mentions we do not want, and accepts signatures without a
signed digest or a fresh date. Instead:

- :mod:`.remote` is the only way out (public addresses only, no redirects,
  bounded size and time);
- :mod:`.signatures` demands what makes a signature mean something before
  pubby checks it;
- :mod:`.inbox` keeps follows and replies to our own items, nothing else;
- :mod:`.documents` builds what we publish on pubby's models.
"""

from __future__ import annotations

from flask import Flask

from mediahub.core.extensions import api as rest_api
from mediahub.fediverse import api, protocol, services, subscribers, tasks, views
from mediahub.fediverse.blueprint import bp

#: Modules imported for what they declare (routes on the blueprint, Huey tasks).
_DECLARING = (protocol, views, tasks)


def init_app(app: Flask) -> None:
    """Register the protocol endpoints, the pages, the API and the receivers."""
    app.register_blueprint(bp)
    rest_api.register_blueprint(api.blp)
    subscribers.init_app(app)
    app.jinja_env.globals["approved_replies"] = services.approved_replies
    app.jinja_env.globals["fediverse_waiting"] = services.waiting_counts
