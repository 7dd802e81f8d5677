"""Outgoing mail: notifications about the review workflow and invitations.

Mails are rendered and sent by the worker (never inside a request), in the
recipient's language, as plain text. They name items by their title only:
no audio, no texts, nothing else about a person's health.
"""

from __future__ import annotations

from flask import Flask

from mediahub.mail import subscribers, tasks, views

#: Modules imported for what they declare (routes on the blueprint, Huey tasks).
_DECLARING = (tasks,)


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, commands, receivers and template helpers."""
    app.register_blueprint(views.bp)
    subscribers.init_app(app)
