"""Statistics pages in a real browser: charts drawn from our own server,
accessible, nothing asked of a third party (the fixture checks every request).

Four podcast apps download a demo episode first (four listeners: same
address, different apps); the running worker counts them within a minute or
two, and the test waits for the figure to appear.
"""

from __future__ import annotations

import re
import time

import pytest

from .conftest import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.browser

GROUP = "trauer-hamburg"
MANAGER = "mira@demo.example.org"
ADMIN = "admin@demo.example.org"
APPS = (
    "AntennaPod/3.4.0",
    "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)",
    "Podcasts/1650.20 CFNetwork/1408.0.4 Darwin/22.5.0",
    "PocketCasts/1.0 (Pocket Casts - Android; +https://pocketcasts.com/)",
)
WAIT_S = 180


def _until(what: str, check, timeout: float = WAIT_S):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(3)
    raise AssertionError(f"waited {timeout} s for {what}")


def _download_an_episode(page) -> None:
    def enclosure():
        resp = page.request.get(f"/feeds/{GROUP}/podcast.xml")
        found = re.search(r'<enclosure url="([^"]+)"', resp.text()) if resp.ok else None
        return found.group(1) if found else None

    url = _until("a demo episode with audio in the feed", enclosure)
    for agent in APPS:
        resp = page.request.get(url, headers={"User-Agent": agent})
        assert resp.status == 200, resp.status


def _charts_are_drawn(page, at_least: int) -> None:
    charts = page.locator("svg[role=img]")
    assert charts.count() >= at_least
    for i in range(charts.count()):
        assert charts.nth(i).locator(":scope > title").count() == 1  # its accessible name
    assert page.locator(".stats-table table").count() >= at_least  # each chart's data beside it


def test_statistics_pages_draw_their_charts_accessibly(new_page):
    page = new_page()
    log_in(page, MANAGER)
    _download_an_episode(page)

    def counted():
        page.goto(f"/groups/{GROUP}/stats")
        return page.locator(".stats-totals dd").first.inner_text().strip() == "4"

    _until("the worker to count the downloads", counted)
    assert page.locator("html").get_attribute("lang") == "de"
    _charts_are_drawn(page, 2)  # downloads per day, the first days of an episode
    assert page.get_by_text("weniger als 3").count() >= 1  # one app, one listener each
    assert_accessible(page)
    screenshot(page, "stats-group")

    admin = new_page()
    log_in(admin, ADMIN)
    admin.goto("/admin/stats")
    _charts_are_drawn(admin, 1)  # downloads per day
    ranked = admin.locator("tr", has_text="Trauercafé Hamburg")
    assert ranked.locator("td").last.inner_text().strip() == "4"  # the groups ranked
    assert_accessible(admin)
    screenshot(admin, "stats-hub")
