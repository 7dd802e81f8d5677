"""Media assets: stored originals, their processing into renditions, and
serving them (audio, transcripts, chapters, waveforms, artwork)."""

from __future__ import annotations

from flask import Flask

from mediahub.media import cli, tasks, views
from mediahub.media.blueprint import bp
from mediahub.media.messages import translated
from mediahub.storage import StorageError
from mediahub.web.errors import register_outage

#: Modules imported for what they declare (routes on the blueprint, Huey tasks).
_DECLARING = (tasks, views)


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, commands, receivers and template helpers."""
    app.register_blueprint(bp)
    app.cli.add_command(cli.media_group)
    # Storage unreachable (S3 down): a clear 503 wherever it is met.
    register_outage(app, StorageError)
    app.jinja_env.filters["audio_message"] = translated
