"""A member's episode from upload to the public page, as people do it.

Member: log in, create an episode, upload a file and watch the progress bar
reach 100 %, see processing finish, record a second episode in the browser
(Chromium's fake microphone), send the first to the editors. Editor: ask for
changes. Member: send it again. Editor: publish. Listener: find it on the
group page and play it, then switch the language.
"""

from __future__ import annotations

import re

import pytest

from ..conftest import make_speechlike
from .conftest import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.browser

GROUP = "trauer-hamburg"
MEMBER = "sonnenblume@demo.example.org"
EDITOR = "mira@demo.example.org"  # manages the group: reviews its items
PROCESSING_TIMEOUT_MS = 180_000

# Records the upload bar's progress in sessionStorage, which outlives the
# navigation to the episode page that follows a finished upload.
WATCH_PROGRESS = """
() => {
  sessionStorage.setItem("progress", "[]");
  const bar = document.getElementById("upload-progress");
  const proto = Object.getOwnPropertyDescriptor(HTMLProgressElement.prototype, "value");
  Object.defineProperty(bar, "value", {
    get() { return proto.get.call(bar); },
    set(v) {
      proto.set.call(bar, v);
      const seen = JSON.parse(sessionStorage.getItem("progress"));
      seen.push(Math.round(proto.get.call(bar) / bar.max * 100));
      sessionStorage.setItem("progress", JSON.stringify(seen));
    },
  });
}
"""


def _wait_until_ready(page) -> None:
    """The page updates itself: no reload until the player appears."""
    page.locator("#audio-player").wait_for(state="visible", timeout=PROCESSING_TIMEOUT_MS)


def test_an_episode_from_upload_to_the_listener(new_page, tmp_path):
    # About 12 MB, so the upload goes in three pieces.
    recording = make_speechlike(tmp_path / "gespraech.wav", 70)

    member = new_page()
    log_in(member, MEMBER)
    member.goto(f"/groups/{GROUP}/episodes/new")
    assert_accessible(member)
    screenshot(member, "episode-form")
    member.locator("#title").fill("Folge 7: Was uns im Winter hilft")
    member.locator("#audio_file").set_input_files(str(recording))
    member.evaluate(WATCH_PROGRESS)
    member.locator("#episode-form").get_by_role("button", name="Speichern").click()
    member.wait_for_url(re.compile(r"/episodes/\d+$"), timeout=60_000)
    seen = member.evaluate("JSON.parse(sessionStorage.getItem('progress'))")
    assert seen[-1] == 100
    assert any(0 < p < 100 for p in seen), seen  # it moved, not just jumped
    episode_url = member.url

    _wait_until_ready(member)
    assert member.locator("#waveform").is_visible()
    assert_accessible(member)
    screenshot(member, "episode-processed")

    # A second episode, recorded right here.
    member.goto(f"/groups/{GROUP}/episodes/new")
    member.locator("#title").fill("Folge 8: Eine kurze Sprachnachricht")
    recorder = member.locator("#recorder")
    recorder.wait_for(state="visible")
    member.locator("#record-start").click()
    level = "() => document.getElementById('record-level').value > 0"
    member.wait_for_function(level, timeout=10_000)
    member.wait_for_timeout(3_000)
    member.locator("#record-stop").click()
    playback = member.locator("#record-playback")
    playback.wait_for(state="visible")
    assert_accessible(member)
    screenshot(member, "recorder")
    member.locator("#episode-form").get_by_role("button", name="Speichern").click()
    member.wait_for_url(re.compile(r"/episodes/\d+$"), timeout=60_000)
    _wait_until_ready(member)  # the recording was uploaded and processed

    # Back to the first: send it to the editors.
    member.goto(episode_url)
    member.get_by_role("button", name="An die Redaktion schicken").click()
    member.wait_for_load_state()

    editor = new_page()
    log_in(editor, EDITOR)
    editor.goto("/review")
    assert_accessible(editor)
    editor.get_by_role("link", name="Folge 7: Was uns im Winter hilft").first.click()
    editor.wait_for_load_state()
    assert_accessible(editor)
    screenshot(editor, "review-decision")
    editor.get_by_label("Was soll geändert werden?").fill(
        "Bitte den Nachnamen in Minute 1 herausnehmen."
    )
    editor.get_by_role("button", name="Mit dieser Notiz zurückschicken").click()
    editor.wait_for_load_state()

    member.goto(episode_url)
    note = member.get_by_role("region", name="Notiz der Redaktion")
    assert note.get_by_text("Bitte den Nachnamen in Minute 1 herausnehmen.").is_visible()
    member.get_by_role("button", name="An die Redaktion schicken").click()
    member.wait_for_load_state()

    editor.goto("/review")
    editor.get_by_role("link", name="Folge 7: Was uns im Winter hilft").first.click()
    editor.get_by_role("button", name="Jetzt veröffentlichen").click()
    editor.wait_for_load_state()

    listener = new_page()
    listener.goto(f"/groups/{GROUP}/")
    listener.get_by_role("link", name="Folge 7: Was uns im Winter hilft").first.click()
    listener.wait_for_load_state()
    assert_accessible(listener)
    screenshot(listener, "public-episode")
    player = listener.locator("audio").first
    assert player.get_attribute("preload") == "none"
    player.evaluate("a => a.play()")
    playing = "() => document.querySelector('audio').currentTime > 0.5"
    listener.wait_for_function(playing, timeout=20_000)

    listener.get_by_role("link", name="English").first.click()
    listener.wait_for_load_state()
    assert listener.locator("html").get_attribute("lang") == "en"
    assert listener.get_by_role("link", name="Log in").first.is_visible()
    assert_accessible(listener)
    screenshot(listener, "public-episode-en")
