"""Deliveries to other servers, in the background."""

from __future__ import annotations

from huey import crontab

from mediahub.core.queue import app_periodic_task, app_task
from mediahub.fediverse.federation import reconcile, send


@app_task(retries=7, retry_delay=30, retry_backoff=2)
def deliver(delivery_id: int) -> None:
    """POST one activity to one inbox; retried with growing delays (30 s … 1 h)."""
    send(delivery_id)


@app_periodic_task(crontab(minute="*/5"))
def reconcile_deliveries() -> None:
    """Queue again the deliveries whose task was lost."""
    reconcile()
