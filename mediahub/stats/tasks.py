"""The worker's part of the statistics: a rollup pass every minute."""

from __future__ import annotations

import logging

from flask import current_app
from huey import crontab

from mediahub.core.extensions import db
from mediahub.core.queue import app_periodic_task
from mediahub.stats import services
from mediahub.stats.recording import hub_zone
from mediahub.stats.sinks import RedisBuffer

log = logging.getLogger(__name__)


def buffer_of_app() -> RedisBuffer | None:
    """The Redis buffer web machines push to, if one is configured."""
    url = current_app.config["STATS_BUFFER_URL"]
    return RedisBuffer.from_url(url, current_app.config["RATELIMIT_KEY_PREFIX"]) if url else None


def pass_now() -> services.PassReport:
    """One rollup pass with the app's settings (worker and command line)."""
    cfg = current_app.config
    return services.run_pass(
        db.engine, hub_zone(current_app), cfg["STATS_RAW_DAYS"], buffer_of_app()
    )


@app_periodic_task(crontab(minute="*"))
def stats_rollup() -> None:
    """Every minute: today's figures at most a minute or two old."""
    if not current_app.config["STATS_ENABLED"]:
        return
    report = pass_now()
    downloads = sum(day.downloads for day in report.days)
    log.info(
        "statistics: %d day(s) counted (%d downloads), %d events moved, %d pruned",
        len(report.days),
        downloads,
        report.moved,
        report.pruned,
    )
