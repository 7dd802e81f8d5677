"""Kept drafts may hold health details: none outlives its hour."""

from __future__ import annotations

from huey import crontab

from ..extensions import db
from ..queue import app_periodic_task
from . import services


@app_periodic_task(crontab(minute="*/10"))
def purge_kept_drafts() -> None:
    services.purge_expired()
    db.session.commit()
