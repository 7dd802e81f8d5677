"""Periodic clean-up of abandoned uploads."""

from __future__ import annotations

import logging

from huey import crontab

from mediahub.core.extensions import db
from mediahub.core.queue import app_periodic_task
from mediahub.uploads.services import remove_expired

log = logging.getLogger(__name__)


@app_periodic_task(crontab(minute="17"))
def remove_expired_uploads() -> None:
    """Once an hour: expired uploads and their temporary files go."""

    count = remove_expired()
    db.session.commit()
    if count:
        log.info("removed %d expired uploads", count)
