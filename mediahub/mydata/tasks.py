"""The queue task of account deletion: the stored files of the deleted items."""

from __future__ import annotations

import logging

from mediahub.core.queue import app_task
from mediahub.storage import current_storage

log = logging.getLogger(__name__)


@app_task(retries=5, retry_delay=60, retry_backoff=2)
def delete_media_files(keys: list[str]) -> None:
    """Remove stored files of deleted items (after the rows are gone)."""

    st = current_storage()
    for key in keys:
        st.delete(key)  # deleting a missing object is not an error
    log.info("deleted %d media file(s) of a removed account", len(keys))
