"""Kept drafts may hold health details: none outlives its hour."""

from __future__ import annotations

from huey import crontab

from mediahub.core.extensions import db
from mediahub.core.queue import app_periodic_task
from mediahub.drafts import services


@app_periodic_task(crontab(minute="*/10"))
def purge_kept_drafts() -> None:
    services.purge_expired()
    db.session.commit()
