"""Marking a clip's passage in a real browser: dragging across the waveform
fills in the typed fields, and the form saves what was dragged."""

from __future__ import annotations

import re

from .conftest import assert_accessible, log_in, screenshot

ADMIN = "admin@demo.example.org"


def _parse(text: str) -> float:
    minutes, _, seconds = text.partition(":")
    return int(minutes) * 60 + float(seconds)


def test_dragging_across_the_waveform_chooses_the_passage(new_page):
    page = new_page()
    log_in(page, ADMIN)
    page.goto("/groups/trauer-hamburg")
    href = page.locator("a[href*='/groups/trauer-hamburg/episodes/']").first.get_attribute("href")
    episode_id = re.search(r"/episodes/(\d+)", href or "").group(1)
    page.goto(f"/episodes/{episode_id}/clips/new")
    form = page.locator("#clip-form")
    total = float(form.get_attribute("data-duration") or 0)
    assert total > 30

    canvas = page.locator("#clip-waveform")
    # The peaks arrive by fetch; the canvas is drawn at its on-screen size.
    page.wait_for_function(
        "() => document.getElementById('clip-waveform').width > 0"
        " && document.getElementById('clip-waveform').width !== 300"
    )
    box = canvas.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.30, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.40, y, steps=8)
    page.mouse.up()

    start = _parse(page.locator("#clip-start").input_value())
    length = float(page.locator("#clip-length").input_value())
    # The passage is where the drag was, as long as the drag (within 5 to 90 s).
    assert abs(start - 0.30 * total) < 0.02 * total
    assert abs(length - min(90.0, max(5.0, 0.10 * total))) < 0.02 * total + 0.5
    assert "Ausschnitt ab" in page.locator("#clip-live").text_content()
    assert page.locator("#clip-play").is_visible()
    assert_accessible(page)
    screenshot(page, "clip-form")

    page.get_by_label("Titel").fill("Ein Satz, der trägt")
    form.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(r"/clips/\d+$"))
    assert "Ein Satz, der trägt" in page.content()
    assert_accessible(page)


def test_an_approved_clip_on_the_episode_page_plays_its_passage_and_stops(new_page):
    page = new_page()
    log_in(page, ADMIN)
    page.goto("/groups/trauer-hamburg")
    href = page.locator("a[href*='/groups/trauer-hamburg/episodes/']").first.get_attribute("href")
    episode_path = re.search(r"/groups/trauer-hamburg/episodes/\d+", href or "").group(0)
    episode_id = episode_path.rsplit("/", 1)[1]
    page.goto(f"/episodes/{episode_id}/clips/new")
    page.get_by_label("Titel").fill("Zum Teilen")
    page.locator("#clip-start").fill("0:04")
    page.locator("#clip-length").fill("5")
    page.locator("#clip-form").get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(r"/clips/\d+$"))
    clip_id = page.url.rsplit("/", 1)[1]
    page.locator(f"form[action='/clips/{clip_id}/submit'] button").click()
    page.goto(f"/review/clips/{clip_id}")
    # An administrator may approve their own item (it is recorded).
    page.locator("form:has(input[name=decision][value=approve]) button").click()
    page.wait_for_load_state()

    page.goto(episode_path)
    link = page.locator("a.player-passage-link", has_text="Zum Teilen")
    assert link.get_attribute("href").endswith("#t=4.0,9.0")
    link.click()
    audio = "document.querySelector('[data-player] audio')"
    page.wait_for_function(f"() => !{audio}.paused && {audio}.currentTime >= 4")
    page.wait_for_function(f"() => {audio}.paused", timeout=20_000)
    stopped = page.evaluate(f"{audio}.currentTime")
    assert 8.9 <= stopped < 9.6  # at the passage's end, not the episode's
    assert_accessible(page)
