"""Rendering clips in the background."""

from __future__ import annotations

from huey import crontab

from mediahub.clips.rendering import reconcile, render
from mediahub.core.queue import app_periodic_task, app_task, bound_app, huey


@app_task(retries=3, retry_delay=60, retry_backoff=2)
def render_clip(clip_id: int) -> None:
    """Render one clip's three shapes; passing failures are retried."""
    render(clip_id)


@app_periodic_task(crontab(minute="*"))
def reconcile_clips() -> None:
    """Hand abandoned clips (killed worker, lost message) to the queue again."""
    reconcile()


@huey.on_startup()
def _reconcile_clips_at_start() -> None:
    with bound_app().app_context():
        reconcile()
