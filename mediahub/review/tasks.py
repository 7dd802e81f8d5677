"""Scheduled publishing, done by the queue's scheduler (never by page views)."""

from __future__ import annotations

import logging
from typing import Any

from huey import crontab
from sqlalchemy import select

from mediahub.core.extensions import db
from mediahub.core.queue import app_periodic_task, app_task, enqueue_after_commit
from mediahub.core.types import utcnow
from mediahub.review.kinds import Reviewable, kinds
from mediahub.review.services import publish_scheduled
from mediahub.review.workflow import ItemState

log = logging.getLogger(__name__)


def schedule_publication(item: Reviewable) -> None:
    """Ask the queue to publish ``item`` at its time, once this transaction commits."""
    enqueue_after_commit(db.session, _publish_at_eta, item.item_type, item.id, eta=item.publish_at)


def _publish_at_eta(item_type: str, item_id: int, *, eta: Any) -> None:
    publish_item.schedule(args=(item_type, item_id), eta=eta)


@app_task(retries=3, retry_delay=10)
def publish_item(item_type: str, item_id: int) -> None:
    publish_due(only=(item_type, item_id))


@app_periodic_task(crontab(minute="*"))
def publish_due_items() -> None:
    """Safety net: publish whatever is due (a lost or early queue message)."""
    publish_due()


def publish_due(*, now: Any = None, only: tuple[str, int] | None = None) -> int:
    """Publish every scheduled item whose time has come; returns how many."""
    now = now or utcnow()
    count = 0
    for kind in kinds():
        if only and only[0] != kind.name:
            continue
        model = kind.model
        stmt = select(model).where(model.status == ItemState.SCHEDULED, model.publish_at <= now)
        if only:
            stmt = stmt.where(model.id == only[1])
        for item in db.session.scalars(stmt.with_for_update(skip_locked=True)):
            if publish_scheduled(item, now=now):
                count += 1
    db.session.commit()
    if count:
        log.info("published %d scheduled item(s)", count)
    return count
