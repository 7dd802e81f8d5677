"""A volunteer's way with no dead ends, on a desktop and on a phone.

A refused file: the person picks another one, that one is sent, the
episode is saved once (no orphan draft) — with the resumable upload and
with the plain form. Cancelling an upload leads to the saved draft. Every
control on the episode form can be clicked without a script error, and the
controls that do not apply are not shown. An item sent to the editors is
taken back, changed and sent again.
"""

from __future__ import annotations

import re

import pytest

from ..conftest import make_speechlike
from .conftest import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.browser

GROUP = "trauer-hamburg"
MEMBER = "sonnenblume@demo.example.org"
EDITOR = "mira@demo.example.org"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
REFUSED = "Diese Datei ist keine Aufnahme, die wir lesen können."


@pytest.fixture
def not_a_recording(tmp_path):
    """A document that calls itself an MP3."""
    path = tmp_path / "einladung.mp3"
    path.write_bytes(b"%PDF-1.4\n" + b"Einladung zum Treffen am Dienstag.\n" * 600)
    return path


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    return make_speechlike(tmp_path_factory.mktemp("rec") / "gespraech.wav", 4)


def _page(new_page, size: str):
    page = new_page()
    page.set_viewport_size(SIZES[size])
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: _script_error(errors, msg))
    page.script_errors = errors
    return page


def _script_error(errors: list[str], msg) -> None:
    # Chromium logs every 4xx answer as "Failed to load resource"; a refused
    # file is such an answer by design (the API's 422 with its message). What
    # counts is what the page's own script reports or throws.
    if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
        errors.append(msg.text)


def _my_items_titled(page, title: str) -> int:
    page.goto("/my")
    return page.get_by_role("link", name=title, exact=True).count()


@pytest.mark.parametrize("size", SIZES)
def test_a_refused_file_is_followed_by_another_and_saved_once(
    new_page, size, not_a_recording, recording
):
    title = f"Folge über den Winter ({size})"
    member = _page(new_page, size)
    log_in(member, MEMBER)
    member.goto(f"/groups/{GROUP}/episodes/new")
    member.locator("#title").fill(title)
    member.locator("#audio_file").set_input_files(str(not_a_recording))
    save = member.locator("#episode-form").get_by_role("button", name="Speichern")
    save.click()

    # Refused: said next to the file field; the form works again.
    member.get_by_text(REFUSED).first.wait_for()
    assert save.is_enabled()
    assert not member.locator("#upload-retry").is_visible()  # trying again cannot help
    assert member.locator("#title").input_value() == title
    assert_accessible(member)
    screenshot(member, f"upload-refused-{size}")

    member.locator("#audio_file").set_input_files(str(recording))
    save.click()
    member.wait_for_url(re.compile(r"/episodes/\d+$"), timeout=60_000)
    member.locator("#audio-player").wait_for(state="visible", timeout=180_000)
    assert member.get_by_role("heading", name=title).is_visible()

    assert _my_items_titled(member, title) == 1  # no orphan draft of the refused try
    assert not member.script_errors


def test_the_plain_form_takes_another_file_after_a_refused_one(
    browser, live_hub, not_a_recording, recording
):
    context = browser.new_context(
        base_url=live_hub, locale="de-DE", java_script_enabled=False, viewport=SIZES["phone"]
    )
    try:
        member = context.new_page()
        log_in(member, MEMBER)
        title = "Folge ohne Skript"
        member.goto(f"/groups/{GROUP}/episodes/new")
        member.locator("#title").fill(title)
        member.locator("#audio_file").set_input_files(str(not_a_recording))
        member.locator("#episode-form").get_by_role("button", name="Speichern").click()
        member.wait_for_load_state()
        assert member.get_by_text(REFUSED).first.is_visible()
        assert _my_items_titled(member, title) == 0  # nothing saved from the refused try

        member.go_back()
        member.wait_for_load_state()
        member.goto(f"/groups/{GROUP}/episodes/new")
        member.locator("#title").fill(title)
        member.locator("#audio_file").set_input_files(str(recording))
        member.locator("#episode-form").get_by_role("button", name="Speichern").click()
        member.wait_for_url(re.compile(r"/episodes/\d+$"))
        assert _my_items_titled(member, title) == 1
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
def test_cancelling_an_upload_leads_to_the_saved_draft(new_page, size, recording):
    title = f"Abgebrochene Folge ({size})"
    member = _page(new_page, size)
    log_in(member, MEMBER)
    # The connection drops for every piece: the page waits and tries again.
    member.route("**/api/v1/uploads/*", lambda route: route.abort())
    member.goto(f"/groups/{GROUP}/episodes/new")
    member.locator("#title").fill(title)
    member.locator("#audio_file").set_input_files(str(recording))
    member.locator("#episode-form").get_by_role("button", name="Speichern").click()
    cancel = member.get_by_role("button", name="Hochladen abbrechen")
    cancel.wait_for()
    assert not member.locator("#upload-retry").is_visible()  # it is still trying by itself
    cancel.click()
    member.wait_for_url(re.compile(r"/episodes/\d+$"))
    assert member.get_by_role("heading", name=title).is_visible()
    assert member.get_by_text("Entwurf").first.is_visible()
    assert _my_items_titled(member, title) == 1
    assert not member.script_errors


def _visible_controls(page) -> list:
    buttons = page.locator("#episode-form button[type=button]")
    return [buttons.nth(i) for i in range(buttons.count()) if buttons.nth(i).is_visible()]


@pytest.mark.parametrize("size", SIZES)
def test_every_visible_control_of_the_episode_form_works(new_page, size):
    member = _page(new_page, size)
    log_in(member, MEMBER)
    member.goto(f"/groups/{GROUP}/episodes/new")
    member.locator("#recorder").wait_for(state="visible", timeout=30_000)
    # Before recording only "start" applies; the upload panel is not there yet.
    names = [b.inner_text() for b in _visible_controls(member)]
    assert names == ["Aufnahme starten"], names
    for hidden in ("#record-pause", "#record-resume", "#record-stop", "#record-discard"):
        assert not member.locator(hidden).is_visible()
    assert not member.locator("#upload-retry").is_visible()

    # Each step: press the one control named, then exactly the controls that
    # apply are shown (start → pause → continue → stop → discard → start).
    steps = [
        ("Aufnahme starten", ["Pause", "Beenden"]),
        ("Pause", ["Weiter aufnehmen", "Beenden"]),
        ("Weiter aufnehmen", ["Pause", "Beenden"]),
        ("Beenden", ["Aufnahme starten", "Aufnahme verwerfen"]),  # or record anew
        ("Aufnahme verwerfen", ["Aufnahme starten"]),
        ("Aufnahme starten", ["Pause", "Beenden"]),
    ]
    for name, shown_after in steps:
        member.locator("#recorder").get_by_role("button", name=name, exact=True).click()
        expect_names = sorted(shown_after)
        for _wait in range(200):  # up to 20 s: the fake microphone starts slowly under load
            names = sorted(b.inner_text() for b in _visible_controls(member))
            if names == expect_names:
                break
            member.wait_for_timeout(100)
        assert names == expect_names, (name, names)
    assert not member.script_errors, member.script_errors


@pytest.mark.parametrize("size", SIZES)
def test_an_author_takes_a_submitted_post_back_and_changes_it(new_page, size):
    title = f"Was mir Mut macht ({size})"
    member = _page(new_page, size)
    log_in(member, MEMBER)
    member.goto(f"/groups/{GROUP}/posts/new")
    member.get_by_label("Titel").fill(title)
    member.locator("#body").fill("Ein erster Entwurf.")
    member.locator("form").get_by_role("button", name="Speichern").click()
    member.wait_for_url(re.compile(r"/posts/\d+$"))
    member.get_by_role("button", name="An die Redaktion schicken").click()
    member.wait_for_load_state()
    assert member.get_by_text("In Prüfung").first.is_visible()
    assert member.get_by_role("link", name="Bearbeiten").count() == 0

    member.get_by_role("button", name="Zurückholen").click()
    member.wait_for_load_state()
    assert member.get_by_text("Entwurf").first.is_visible()
    assert_accessible(member)
    screenshot(member, f"withdrawn-{size}")

    editor = _page(new_page, size)
    log_in(editor, EDITOR)
    editor.goto("/review")
    assert editor.get_by_role("link", name=title).count() == 0  # out of the queue

    member.get_by_role("link", name="Bearbeiten").click()
    member.locator("#body").fill("Ein besserer Text.")
    member.locator("form").get_by_role("button", name="Speichern").click()
    member.wait_for_url(re.compile(r"/posts/\d+$"))
    member.get_by_role("button", name="An die Redaktion schicken").click()
    member.wait_for_load_state()
    history = member.get_by_role("region", name="Verlauf")
    assert history.get_by_text("Zurückgeholt").first.is_visible()
    editor.goto("/review")
    assert editor.get_by_role("link", name=title).count() == 1
    assert not member.script_errors and not editor.script_errors
