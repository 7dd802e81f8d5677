"""The media commands: ``mediahub media reprocess``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from mediahub.core.extensions import db
from mediahub.media import processing
from mediahub.media.models import MediaAsset
from mediahub.web.paths import MAX_ID


@click.group("media")
def media_group() -> None:
    """Media assets."""


@media_group.command("reprocess")
@click.argument("asset_id", type=click.IntRange(1, MAX_ID))
@click.option("--now", "inline", is_flag=True, help="Process here instead of in the worker.")
@with_appcontext
def media_reprocess(asset_id: int, inline: bool) -> None:
    """Process an asset again (e.g. after changing the audio settings)."""
    asset = db.session.get(MediaAsset, asset_id)
    if asset is None:
        raise click.ClickException(f"There is no media asset {asset_id}.")
    processing.request_reprocessing(asset)
    db.session.commit()
    if inline:
        processing.process(asset_id)
    # Processing inline may have deleted it (its episode went meanwhile).
    now = db.session.get(MediaAsset, asset_id)
    click.echo(f"Asset {asset_id}: {now.status.value if now else 'deleted'}")
