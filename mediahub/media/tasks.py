"""Background processing of uploaded media."""

from __future__ import annotations

import logging

from huey import crontab

from mediahub.core.queue import app_periodic_task, app_task, bound_app, huey
from mediahub.media.processing import process, reconcile
from mediahub.media.renditions import add_missing_widths
from mediahub.media.retagging import retag
from mediahub.storage import current_storage

log = logging.getLogger(__name__)


@app_task(retries=4, retry_delay=30, retry_backoff=2)
def process_asset(asset_id: int) -> None:
    """Process one asset; passing failures are retried with growing delays."""

    process(asset_id)


@app_task(retries=4, retry_delay=10, retry_backoff=2)
def retag_asset(asset_id: int) -> None:
    """Write an edit's tags into the asset's MP3 (a new version, no re-encode)."""

    retag(asset_id)


@app_periodic_task(crontab(minute="*"))
def reconcile_assets() -> None:
    """Hand abandoned processing and tag rewrites (killed worker, lost message) to
    the queue again."""

    reconcile()


@app_periodic_task(crontab(minute="*/10"))
def make_missing_widths() -> None:
    """Smaller copies of pictures uploaded before pages offered them."""

    done = add_missing_widths()
    if done:
        log.info("made the smaller copies of %d picture(s)", done)


@app_task(retries=5, retry_delay=60, retry_backoff=2)
def delete_stored_files(keys: list[str]) -> None:
    """Remove stored files whose rows are gone (after the commit that removed them)."""

    st = current_storage()
    for key in keys:
        st.delete(key)  # deleting a missing object is not an error
    log.info("deleted %d stored file(s)", len(keys))


@huey.on_startup()
def _reconcile_at_start() -> None:
    # A restarted worker picks up what a killed one left, without waiting for
    # the next minute (runs once per worker thread; claiming makes that safe).

    with bound_app().app_context():
        reconcile()
