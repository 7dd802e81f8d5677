"""While a recording is processed, its page shows how far the encode got.

The demo hub's worker encodes a short recording in well under a second, too
fast for the page's poll (every 3 s) to meet it; so the test puts one of the
member's demo episodes back into ``processing`` in the hub's database, as the
worker does, and moves its progress on there.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser

MEMBER = "sonnenblume@demo.example.org"


def _asset_of_an_episode_of(db: sqlite3.Connection, email: str) -> tuple[int, int]:
    row = db.execute(
        "SELECT e.id, a.id FROM episodes e JOIN media_assets a ON a.id = e.audio_asset_id"
        " JOIN users u ON u.id = e.author_id"
        " WHERE u.email = ? AND a.status = 'ready' ORDER BY e.id LIMIT 1",
        (email,),
    ).fetchone()
    assert row is not None, "the demo member has no episode with audio"
    return row


def test_the_page_follows_the_encode_until_the_player_appears(new_page, live_hub_root: Path):
    db = sqlite3.connect(live_hub_root / "instance" / "mediahub.db", timeout=30)
    episode_id, asset_id = _asset_of_an_episode_of(db, MEMBER)

    def worker_says(status: str, progress: float | None) -> None:
        # A fresh heartbeat: the reconciler leaves a row being worked on alone.
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        with db:
            db.execute(
                "UPDATE media_assets SET status = ?, progress = ?, heartbeat_at = ? WHERE id = ?",
                (status, progress, now if status == "processing" else None, asset_id),
            )

    worker_says("processing", 0.3)
    try:
        member = new_page()
        log_in(member, MEMBER)
        member.goto(f"/episodes/{episode_id}")
        bar = member.get_by_role("progressbar", name="Fortschritt der Bearbeitung")
        assert bar.is_visible()
        assert member.locator("#processing-percent").inner_text() == "30\xa0%"
        assert member.locator("#audio-player").is_hidden()
        assert_accessible(member)

        sentence = member.locator("#processing-status").inner_text()
        worker_says("processing", 0.65)
        member.wait_for_function(
            "() => document.getElementById('processing-progress').value === 0.65",
            timeout=10_000,
        )
        assert member.locator("#processing-percent").inner_text() == "65\xa0%"
        # Each step is not read out: the live region keeps its sentence.
        assert member.locator("#processing-status").inner_text() == sentence

        worker_says("ready", None)
        member.locator("#audio-player").wait_for(state="visible", timeout=10_000)
        assert bar.is_hidden()
    finally:
        worker_says("ready", None)
        db.close()
