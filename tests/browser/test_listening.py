"""A listener's visit in a real browser, on a desktop (1280 px) and a phone
(390 px): the player by keyboard alone, artwork without layout shift, the
subscribe box, every public page accessible, no sideways scrolling and no
request to another host."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Iterator

import pytest

from .conftest import WCAG_21_AA, OriginGuard, screenshot

pytestmark = pytest.mark.browser

WIDTHS = [pytest.param(1280, id="desktop"), pytest.param(390, id="phone")]
GROUP = "/groups/trauer-hamburg/"
EPISODE_TITLE = "Folge 1: Wie wir uns gefunden haben"

# Sums up every layout shift the page makes (Cumulative Layout Shift).
LAYOUT_SHIFT = """
window.__shift = 0;
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { if (!e.hadRecentInput) window.__shift += e.value; });
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.fixture
def visit(browser, live_hub: str) -> Iterator:
    """``visit(width, javascript=True)``: a fresh German-speaking browser of
    that width; every request it makes to another host fails the test."""
    contexts, guards = [], []

    def make(width: int, *, javascript: bool = True):
        context = browser.new_context(
            base_url=live_hub,
            locale="de-DE",
            extra_http_headers={"Accept-Language": "de"},
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
            permissions=["clipboard-read", "clipboard-write"],
        )
        guard = OriginGuard(live_hub)
        context.route("**/*", guard)
        context.add_init_script(LAYOUT_SHIFT)
        contexts.append(context)
        guards.append(guard)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()
    foreign = [url for guard in guards for url in guard.foreign]
    assert not foreign, f"pages asked third-party hosts: {foreign}"


def _episode_url(page) -> str:
    page.goto(GROUP)
    return page.get_by_role("link", name=EPISODE_TITLE).first.get_attribute("href")


def _public_pages(page) -> list[str]:
    episode = _episode_url(page)
    post = page.locator(".post-list a, .items a").first.get_attribute("href")
    page.goto(episode)
    guid = page.locator("[data-player]").get_attribute("data-guid")
    return [
        "/",
        "/?q=Trauer",
        GROUP,
        episode,
        post,
        f"/embed/episodes/{guid}",
        "/impressum",
        "/datenschutz",
    ]


def _time(page) -> float:
    return page.evaluate("document.querySelector('[data-player] audio').currentTime")


# Whether the focus is on the element ``s`` (the ``n``-th of them, counted
# from the end when negative; any of them when ``n`` is null).
_FOCUSED = """([s, n]) => {
  const all = document.querySelectorAll(s);
  if (n === null) return document.activeElement.matches(s);
  return document.activeElement === all[n < 0 ? all.length + n : n];
}"""


def _tab_to(
    page, selector: str, *, nth: int | None = None, backwards: bool = False, limit: int = 80
) -> None:
    """Press Tab (or Shift+Tab) until ``selector`` (its ``nth`` match) has the
    focus: keyboard only."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if page.evaluate(_FOCUSED, [selector, nth]):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} cannot be reached with {key}")


def _focus_is_visible(page) -> bool:
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; }"
    )
    return style[0] != "none" and style[1] != "0px"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_player_works_by_keyboard_alone_and_remembers_the_place(visit, width):
    page = visit(width)
    page.goto(_episode_url(page))
    audio = page.locator("[data-player] audio")
    assert audio.get_attribute("preload") == "none"
    assert page.evaluate("document.querySelector('[data-player] audio').networkState") != 2
    _tab_to(page, ".player-play")
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('[data-player] audio').paused")
    assert page.locator(".player-play").inner_text().strip() == "Pause"

    _tab_to(page, "[data-skip='30']")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('[data-player] audio').currentTime >= 30")
    _tab_to(page, "[data-skip='-15']", backwards=True)
    page.keyboard.press("Enter")
    assert 14 <= _time(page) < 25

    _tab_to(page, ".player-speed")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.querySelector('[data-player] audio').playbackRate") == 1.25

    _tab_to(page, ".player-slider")
    assert _focus_is_visible(page)
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    slider = page.locator(".player-slider")
    assert slider.get_attribute("aria-valuenow") == "5"
    assert re.match(r"5 Sekunden von 1 Minute 15 Sekunden", slider.get_attribute("aria-valuetext"))

    _tab_to(page, ".player-chapter-link", nth=2)
    chapter = page.locator(".player-chapter-link").nth(2)
    start = float(chapter.get_attribute("data-seek"))
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => document.querySelector('[data-player] audio').currentTime >= {start}"
    )
    assert chapter.get_attribute("aria-current") == "true"
    assert "Kapitel" in slider.get_attribute("aria-valuetext")

    cue = page.locator(".player-cue-link").last
    _tab_to(page, ".player-cue-link", nth=-1)
    cue_start = float(cue.get_attribute("data-seek"))
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => document.querySelector('[data-player] audio').currentTime >= {cue_start}"
    )
    page.wait_for_selector(".player-cue-link.is-current[aria-current='true']")
    assert page.locator(".player-cue-link.is-current").get_attribute("data-seek") == (
        cue.get_attribute("data-seek")
    )

    _tab_to(page, ".player-slider", backwards=True)
    page.keyboard.press("Space")  # pause
    page.wait_for_function("() => document.querySelector('[data-player] audio').paused")
    heard = _time(page)
    screenshot(page, f"player-{width}")

    # Remembered in this browser only: no cookie, and the server was never told.
    saved = page.evaluate("Object.entries(localStorage)")
    assert any(k.startswith("mediahub:position:") and abs(float(v) - heard) < 2 for k, v in saved)
    assert "position" not in page.evaluate("document.cookie")
    page.reload()
    assert re.search(r"\d:\d\d", page.locator(".player-status").inner_text())
    assert abs(int(slider.get_attribute("aria-valuenow")) - heard) < 2
    _tab_to(page, ".player-play")
    page.keyboard.press("Enter")
    # It goes on from there once the recording's first bytes have come.
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-player] audio');"
        " return !a.paused && a.readyState >= 1 && a.currentTime > 1; }"
    )
    assert abs(_time(page) - heard) < 3


def test_without_javascript_the_browser_player_and_chapter_links_work(visit):
    page = visit(1280, javascript=False)
    page.goto(_episode_url(page))
    audio = page.locator("[data-player] audio")
    assert audio.get_attribute("controls") is not None
    assert page.locator(".player-controls").is_hidden()
    hrefs = page.locator(".player-chapter-link").evaluate_all("ls => ls.map(l => l.href)")
    assert hrefs and all(re.search(r"\.mp3#t=\d+$", h) for h in hrefs)


def test_the_embed_page_has_the_same_player(visit):
    page = visit(390)
    page.goto(_episode_url(page))
    guid = page.locator("[data-player]").get_attribute("data-guid")
    page.goto(f"/embed/episodes/{guid}")
    _tab_to(page, ".player-play")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('[data-player] audio').paused")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _cache_control(live_hub: str, url: str) -> tuple[str, str]:
    with urllib.request.urlopen(live_hub + url, timeout=10) as resp:  # noqa: S310 - our hub
        return resp.headers["Content-Type"], resp.headers["Cache-Control"]


@pytest.mark.parametrize("width", WIDTHS)
def test_artwork_everywhere_in_sizes_without_layout_shift(visit, live_hub, width):
    page = visit(width)
    for url in ("/", GROUP, _episode_url(page)):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        pictures = page.locator("img.artwork")
        assert pictures.count() >= 1, f"no artwork on {url}"
        for img in pictures.all():
            assert img.get_attribute("width") and img.get_attribute("height")
            srcset = img.get_attribute("srcset")
            assert srcset and re.search(r" 160w", srcset) and img.get_attribute("sizes")
            for candidate in srcset.split(", "):
                content_type, cache = _cache_control(live_hub, candidate.split(" ")[0])
                assert content_type == "image/jpeg"
                assert "max-age=31536000" in cache
        lazy = pictures.evaluate_all("ps => ps.map(p => p.loading)")
        assert "lazy" in lazy or url != "/"
        shift = page.evaluate("window.__shift")
        assert shift < 0.01, f"layout shift {shift} on {url}"
    page.goto(GROUP)
    # The demo's first episode (it has a content note): other browser tests
    # may have published newer ones above it.
    row = page.locator(".episode-row").filter(
        has=page.get_by_role("link", name=EPISODE_TITLE, exact=True)
    )
    assert row.count() == 1
    assert row.locator("img.artwork").count() == 1
    assert row.locator("time").count() == 1
    assert row.locator(".duration").count() == 1
    assert row.locator(".note-marker").inner_text().strip() == "Inhaltshinweis"
    assert row.locator("a.play-link").get_attribute("aria-label").startswith("Anhören")


def test_a_late_player_script_moves_nothing_on_the_page(visit):
    """However late player.js comes (a slow connection), the player's place is
    kept from the first paint: the chapters and the transcript under it stay
    where they are when our controls take the browser's place."""
    page = visit(390)
    url = _episode_url(page)

    def late(route) -> None:
        time.sleep(1.0)
        route.fallback()

    page.route("**/js/player.js*", late)
    page.goto(url)
    page.wait_for_selector(".player.is-enhanced .player-play")
    page.wait_for_load_state("networkidle")
    # Not even the small move of the browser's player giving way to ours.
    shift = page.evaluate("window.__shift")
    assert shift < 0.001, f"layout shift {shift} when the player came late"


@pytest.mark.parametrize("width", WIDTHS)
def test_subscribe_box_copies_the_feed_address(visit, live_hub, width):
    page = visit(width)
    for url in (GROUP, _episode_url(page)):
        page.goto(url)
        feed = page.locator("link[rel=alternate][type='application/rss+xml']")
        atom = page.locator("link[rel=alternate][type='application/atom+xml']")
        assert feed.count() == 1 and atom.count() == 1
        address = feed.get_attribute("href")
        assert address == f"{live_hub}/feeds/trauer-hamburg/podcast.xml"
        box = page.locator(".subscribe")
        assert box.locator("input").input_value() == address
        box.get_by_role("button", name="Adresse kopieren").click()
        page.wait_for_function(
            "() => document.querySelector('.copy-status').textContent.length > 0"
        )
        assert page.evaluate("navigator.clipboard.readText()") == address
        assert box.get_by_role("link", name="Apple Podcasts").count() == 1


@pytest.mark.parametrize("width", WIDTHS)
def test_every_public_page_is_accessible_fits_and_stays_at_home(visit, width):
    from axe_playwright_python.sync_playwright import Axe

    page = visit(width)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    axe = Axe()
    for url in _public_pages(page):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        assert not results.response["violations"], f"{url}: {results.generate_report()}"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{url} scrolls sideways by {overflow} px at {width} px"
    origin = page.evaluate("location.origin")
    foreign = [u for u in requests if not u.startswith((origin, "data:", "blob:"))]
    assert not foreign, json.dumps(foreign)
