"""Feed rebuilds in the background, after the change that needs them commits."""

from __future__ import annotations

import logging

from ..queue import app_task

log = logging.getLogger(__name__)


@app_task(retries=3, retry_delay=10)
def rebuild_group_feeds(group_id: int | None) -> None:
    """Rebuild one group's feeds (removing them if it is gone) and the hub's."""
    from .services import rebuild_for
    from .websub import announce_files

    report = rebuild_for(group_id)
    announce_files(report.written)
    if report.written or report.removed:
        log.info(
            "feeds of group %s: %d written, %d removed",
            group_id,
            len(report.written),
            len(report.removed),
        )
