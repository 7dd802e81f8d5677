"""Deliveries to other servers, in the background."""

from __future__ import annotations

from huey import crontab
from huey.exceptions import RetryTask

from mediahub.core.queue import app_periodic_task, app_task
from mediahub.fediverse.federation import RetryLater, reconcile, send


@app_task()
def deliver(delivery_id: int) -> None:
    """POST one activity to one inbox. When the inbox does not take it, the
    task runs again later with growing delays (30 s, 1 min, … 1 h); the
    delivery's row counts the attempts and gives up after
    ``FEDIVERSE_DELIVERY_ATTEMPTS``."""
    try:
        send(delivery_id)
    except RetryLater as later:
        raise RetryTask(str(later), delay=later.delay_s) from None


@app_periodic_task(crontab(minute="*/5"))
def reconcile_deliveries() -> None:
    """Queue again the deliveries whose task was lost."""
    reconcile()
