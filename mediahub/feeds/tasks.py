"""Feed rebuilds in the background, after the change that needs them commits."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from flask import current_app

from mediahub.core.queue import app_task, huey
from mediahub.feeds.paths import PUBLIC
from mediahub.feeds.services import rebuild_for, rebuild_if_settings_changed
from mediahub.feeds.websub import publish, websub_hubs

log = logging.getLogger(__name__)


@app_task(retries=3, retry_delay=10)
def rebuild_group_feeds(group_id: int | None) -> None:
    """Rebuild one group's feeds (removing them if it is gone) and the hub's."""

    report = rebuild_for(group_id)
    announce_files(report.written)
    if report.written or report.removed:
        log.info(
            "feeds of group %s: %d written, %d removed",
            group_id,
            len(report.written),
            len(report.removed),
        )


def rebuild_group_feeds_now(group_id: int | None) -> None:
    """The same rebuild, run in this process (after a request's commit)."""
    rebuild_group_feeds.call_local(group_id)


@app_task(retries=3, retry_delay=10)
def rebuild_feeds_if_settings_changed() -> None:
    """Every feed, when what they all show (address, hub name…) changed."""

    report = rebuild_if_settings_changed()
    if report is not None:
        announce_files(report.written)


_settings_checked = threading.Event()


@huey.on_startup()
def _check_settings_at_start() -> None:
    # Settings change with a restart. Every worker thread runs this hook;
    # the first one queues the check.
    if _settings_checked.is_set():
        return
    _settings_checked.set()
    rebuild_feeds_if_settings_changed()  # the task runs in the bound app's context


@app_task(retries=5, retry_delay=60, retry_backoff=2)
def notify_hub(hub: str, feed_url: str) -> None:
    """Tell one hub about one changed feed; retried with growing delays."""
    publish(hub, feed_url)


def announce_files(names: Iterable[str]) -> None:
    """Notify every hub about the public feed files just rewritten.

    Called by the rebuild once the files are in place, so a hub that fetches
    at once gets the new version; unchanged feeds are not announced.
    Private files are never announced.
    """
    hubs = websub_hubs(current_app)
    if not hubs:
        return
    base = current_app.config["BASE_URL"].rstrip("/")
    for name in names:
        if not name.startswith(f"{PUBLIC}/") or name.endswith(".gz"):
            continue
        url = f"{base}/feeds/{name.removeprefix(f'{PUBLIC}/')}"
        for hub in hubs:
            notify_hub(hub, url)
