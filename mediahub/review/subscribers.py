"""What the review feature does when the workflow's signals fire."""

from __future__ import annotations

from typing import Any

from flask import Flask

from mediahub.core import signals
from mediahub.review.kinds import Reviewable
from mediahub.review.tasks import schedule_publication
from mediahub.review.workflow import ItemState


def _on_reviewed(item: Reviewable, *, event: Any = None, **_: Any) -> None:
    # Approved for later: the queue's scheduler publishes it at its time.
    if event is not None and event.to_state == ItemState.SCHEDULED:
        schedule_publication(item)


def init_app(app: Flask) -> None:
    """Connect the receivers (idempotent: blinker keeps one per function)."""
    signals.item_reviewed.connect(_on_reviewed)
