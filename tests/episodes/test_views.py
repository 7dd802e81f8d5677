"""Creating and editing episodes in the browser, and what their page shows."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from mediahub.core.extensions import db
from mediahub.episodes.models import Episode
from mediahub.review.workflow import ItemState


def text(resp) -> str:
    return resp.get_data(as_text=True)


def version_of(html: str) -> str:
    match = re.search(r'name="version"[^>]*value="(\d+)"', html)
    assert match
    return match.group(1)


@pytest.fixture
def anna(make_user, make_group):
    user = make_user("Anna")
    make_group("trauer", members={user: "member"})
    return user


def test_new_episode_form_uploads_files_and_explains_them(browser, anna):
    resp = browser(anna).get("/groups/trauer/episodes/new")
    assert resp.status_code == 200
    html = text(resp)
    assert "<h1>Neue Folge</h1>" in html
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="audio_file">Audiodatei</label>' in html
    assert 'aria-describedby="audio_file-hint"' in html


def test_a_document_instead_of_a_recording_is_refused_before_storing(browser, anna):
    resp = browser(anna).post_form(
        "/groups/trauer/episodes/new",
        {
            "title": "Unser Treffen",
            "description": "Wir sprechen über den Herbst.",
            "audio_file": (io.BytesIO(b"%PDF-1.4"), "einladung.pdf", "application/pdf"),
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    html = text(resp)
    assert 'id="audio_file-error"' in html
    # Decided by the content, not by the name: the same with a ".mp3" name.
    assert "Diese Datei ist keine Aufnahme, die wir lesen können." in html
    assert "Bitte wählen Sie sie noch einmal aus." in html
    assert 'value="Unser Treffen"' in html
    assert "Wir sprechen über den Herbst." in html
    assert db.session.scalar(select(Episode)) is None


@pytest.mark.parametrize(
    ("season", "message"),
    [
        ("zwei", "Bitte geben Sie eine ganze Zahl ein, zum Beispiel 3."),
        ("0", "Bitte geben Sie eine ganze Zahl von 1 bis 9999 ein."),
    ],
)
def test_season_must_be_a_sensible_whole_number(browser, anna, season, message):
    resp = browser(anna).post_form(
        "/groups/trauer/episodes/new", {"title": "Folge", "season": season}
    )
    assert resp.status_code == 422
    html = text(resp)
    assert 'id="season-error"' in html
    assert message in html
    assert f'value="{season}"' in html


def test_episode_without_audio_is_saved_but_cannot_be_sent_yet(browser, anna):
    author = browser(anna)
    resp = author.post_form(
        "/groups/trauer/episodes/new",
        {"title": "Unser Treffen", "episode_type": "bonus", "number": "4", "is_explicit": "y"},
    )
    assert resp.status_code == 302
    episode = db.session.scalar(select(Episode))
    assert (episode.episode_type.value, episode.number, episode.is_explicit) == ("bonus", 4, True)
    page = text(author.get(f"/episodes/{episode.id}"))
    assert "Es gibt noch keine Aufnahme." in page
    assert "Entwurf" in page

    resp = author.post_form(f"/episodes/{episode.id}/submit", follow_redirects=True)
    assert "Bitte fügen Sie die Aufnahme hinzu" in text(resp)
    db.session.refresh(episode)
    assert episode.status == ItemState.DRAFT


@pytest.mark.parametrize(
    ("status", "error", "shown"),
    [
        ("uploaded", None, "Wartet auf Bearbeitung"),
        ("processing", None, "Das dauert meist ein paar Minuten."),
        ("failed", "Die Datei enthält keinen Ton.", "Die Datei enthält keinen Ton."),
        ("ready", None, "<audio controls"),
    ],
)
def test_page_shows_how_far_the_audio_is(
    browser, anna, make_episode, audio_asset, status, error, shown
):
    group = anna.memberships[0].group
    episode = make_episode(group, anna, audio=False)
    episode.audio = audio_asset(status, error)
    db.session.commit()
    page = text(browser(anna).get(f"/episodes/{episode.id}"))
    assert shown in page


def test_stale_episode_edit_keeps_the_typed_description(
    browser, make_user, make_group, make_episode
):
    anna, edith = make_user("Anna"), make_user("Edith")
    group = make_group("trauer", members={anna: "member", edith: "editor"})
    episode = make_episode(group, anna, audio=False, description="Alt")
    mine, theirs = browser(anna), browser(edith)
    version = version_of(text(mine.get(f"/episodes/{episode.id}/edit")))
    theirs.post_form(f"/episodes/{episode.id}/edit", {"title": "Neu", "description": "Von Edith"})
    resp = mine.post_form(
        f"/episodes/{episode.id}/edit",
        {"title": "Meins", "description": "Mein langer Text", "version": version},
    )
    assert resp.status_code == 409
    html = text(resp)
    assert "Mein langer Text" in html
    assert "Von Edith" in html
    db.session.refresh(episode)
    assert episode.description == "Von Edith"


# --- uploads: these store files and need mediahub.storage ---------------------------


def test_new_episode_with_audio_stores_it_and_shows_processing(browser, anna, speech_wav):
    author = browser(anna)
    data = speech_wav.read_bytes()
    resp = author.post_form(
        "/groups/trauer/episodes/new",
        {"title": "Mit Ton", "audio_file": (io.BytesIO(data), "a.mp3")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    episode = db.session.scalar(select(Episode))
    assert episode.audio is not None
    assert episode.audio.original_size == len(data)
    assert "a.mp3" not in episode.audio.original_key


def test_too_large_audio_is_a_form_error_and_nothing_is_kept(app, browser, anna):
    app.config["MAX_AUDIO_BYTES"] = 100
    resp = browser(anna).post_form(
        "/groups/trauer/episodes/new",
        {"title": "Zu lang", "audio_file": (io.BytesIO(b"\0" * 1000), "lang.mp3")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    html = text(resp)
    assert 'id="audio_file-error"' in html
    assert "Die Datei ist zu groß" in html
    assert 'value="Zu lang"' in html
    assert db.session.scalar(select(Episode)) is None


def test_replacing_the_audio_on_the_edit_page(browser, anna, make_episode, audio_asset, speech_wav):
    group = anna.memberships[0].group
    episode = make_episode(group, anna, audio=False)
    episode.audio = audio_asset()
    db.session.commit()
    old = episode.audio.id
    author = browser(anna)
    version = version_of(text(author.get(f"/episodes/{episode.id}/edit")))
    resp = author.post_form(
        f"/episodes/{episode.id}/edit",
        {
            "title": episode.title,
            "version": version,
            "audio_file": (io.BytesIO(speech_wav.read_bytes()), "neu.wav"),
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    db.session.refresh(episode)
    assert episode.audio.id != old
