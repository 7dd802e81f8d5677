"""Making automatic transcripts in the background."""

from __future__ import annotations

from huey import crontab

from mediahub.core.extensions import db
from mediahub.core.queue import app_periodic_task, app_task, bound_app, huey
from mediahub.episodes.models import Episode
from mediahub.transcripts import jobs


@app_task(retries=3, retry_delay=60, retry_backoff=2)
def make_transcript(transcript_id: int) -> None:
    """Make one transcript; passing failures are retried with growing delays."""
    jobs.run(transcript_id)


@app_periodic_task(crontab(minute="*"))
def reconcile_transcripts() -> None:
    """Hand abandoned transcripts (killed worker, lost message) to the queue again."""
    jobs.reconcile()


@huey.on_startup()
def _reconcile_at_start() -> None:
    # A restarted worker picks up what a killed one left (claiming makes the
    # run once per worker thread safe).
    with bound_app().app_context():
        jobs.reconcile()


@app_task(retries=3, retry_delay=30, retry_backoff=2)
def start_transcript(episode_id: int) -> None:
    """Ask for a transcript of an episode whose audio is ready (from the signal)."""
    from mediahub.transcripts import services  # cycle: services enqueue make_transcript

    episode = db.session.get(Episode, episode_id)
    if episode is not None:
        services.request_transcript(episode)
        db.session.commit()
