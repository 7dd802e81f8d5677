"""Background processing of uploaded media."""

from __future__ import annotations

import logging

from huey import crontab

from mediahub.core.queue import app_periodic_task, app_task, bound_app, huey
from mediahub.media.processing import process, reconcile

log = logging.getLogger(__name__)


@app_task(retries=4, retry_delay=30, retry_backoff=2)
def process_asset(asset_id: int) -> None:
    """Process one asset; passing failures are retried with growing delays."""

    process(asset_id)


@app_periodic_task(crontab(minute="*"))
def reconcile_assets() -> None:
    """Hand abandoned assets (killed worker, lost message) to the queue again."""

    reconcile()


@huey.on_startup()
def _reconcile_at_start() -> None:
    # A restarted worker picks up what a killed one left, without waiting for
    # the next minute (runs once per worker thread; claiming makes that safe).

    with bound_app().app_context():
        reconcile()
