"""The review page shows editors what will be published, and what changed since their last look."""

from __future__ import annotations

import re

import pytest

from mediahub.core.extensions import db
from mediahub.review import services as review
from mediahub.review.workflow import ItemState

VTT = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Anna>Hallo zusammen.\n\n"
    "00:00:04.000 --> 00:00:06.000\n<v Ben>Schön, dass ihr da seid.\n"
)


def text(resp) -> str:
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def section(page: str, heading_id: str) -> str:
    """The HTML of the section labelled by ``heading_id`` ("" when absent)."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', page, re.S)
    return match.group(0) if match else ""


@pytest.fixture
def team(make_user, make_group):
    anna, edith = make_user("Anna"), make_user("Edith")
    group = make_group("trauer", name="Trauer Hamburg", members={anna: "member", edith: "editor"})
    return group, anna, edith


@pytest.fixture
def episode(team, make_episode):
    from mediahub.episodes import services as episodes

    group, anna, _edith = team
    item = make_episode(
        group,
        anna,
        title="Wie wir über Trauer sprechen",
        description="Ein Abend über **Abschied**.",
        content_note="Es geht um den Tod eines Kindes.",
    )
    item.audio.status = "ready"
    item.chapters = [{"start_s": 0.0, "title": "Ankommen"}, {"start_s": 5.0, "title": "Runde"}]
    episodes.set_transcript(item, anna, VTT.encode())
    review.submit(item, anna)
    db.session.commit()
    return item


def test_an_episode_is_shown_as_listeners_will_get_it(team, episode, browser):
    _group, _anna, edith = team
    page = text(browser(edith).get(f"/review/episodes/{episode.id}"))
    content = page[page.index('id="content-h"') : page.index('id="decide-h"')]
    # Artwork: no picture of its own, so the group's (generated) cover, sized.
    assert re.search(r'<img class="cover" src="/media/groups/trauer/cover[^"]*"', content)
    assert 'width="160" height="160"' in content
    assert "Es geht um den Tod eines Kindes." in content
    assert "<strong>Abschied</strong>" in content  # show notes rendered as on the page
    assert "<audio controls" in content
    chapters = section(content, "chapters-h")
    assert "Ankommen" in chapters and "0:05" in chapters and "Runde" in chapters
    transcript = section(content, "transcript-h")
    assert "<strong>Anna:</strong>" in transcript and "Schön, dass ihr da seid." in transcript
    # A first review compares with nothing.
    assert 'id="changes-since-h"' not in page


def test_an_episodes_own_picture_is_shown(team, episode, browser, audio_asset):
    _group, _anna, edith = team
    image = audio_asset("ready")
    episode.image = image
    db.session.commit()
    page = text(browser(edith).get(f"/review/episodes/{episode.id}"))
    src = f"/media/episodes/{episode.guid}/image-{image.id}.jpg"
    assert f'<img class="cover" src="{src}"' in page


def _send_back(item, editor, author):
    review.request_changes(item, editor, comment="Bitte den Titel klarer.")
    db.session.commit()
    assert item.review_snapshot["fields"]["title"] == item.title


def test_a_resubmitted_episode_shows_what_changed_word_by_word(team, episode, browser):
    from mediahub.episodes import services as episodes

    _group, anna, edith = team
    _send_back(episode, edith, anna)
    episode.title = "Wie wir über Abschied sprechen"
    episode.chapters = [{"start_s": 0.0, "title": "Ankommen"}, {"start_s": 6.0, "title": "Runde"}]
    episodes.set_transcript(episode, anna, VTT.replace("Hallo zusammen", "Guten Abend").encode())
    review.submit(episode, anna)
    db.session.commit()

    page = text(browser(edith).get(f"/review/episodes/{episode.id}"))
    changes = section(page, "changes-since-h")
    assert changes, "a resubmitted item shows the comparison"
    headings = re.findall(r"<h3>([^<]*)</h3>", changes)
    assert headings == ["Titel", "Kapitel", "Transkript"]  # unchanged fields are left out
    assert re.search(r"<del>.*?Trauer</del><ins>.*?Abschied</ins>", changes)
    assert re.search(r"00:<del>.*?05</del><ins>.*?06</ins> Runde", changes)
    transcript = changes[changes.index("<h3>Transkript</h3>") :]
    assert re.search(r"<del>[^<]*<span[^>]*>[^<]*</span>Hallo", transcript)
    assert re.search(r"<ins>[^<]*<span[^>]*>[^<]*</span>Guten", transcript)
    # Changes are told in words for screen readers, not by colour alone.
    assert "entfernt:" in changes and "hinzugefügt:" in changes


def test_a_resubmission_without_text_changes_says_so(team, episode, browser):
    _group, anna, edith = team
    _send_back(episode, edith, anna)
    review.submit(episode, anna)
    db.session.commit()
    changes = section(text(browser(edith).get(f"/review/episodes/{episode.id}")), "changes-since-h")
    assert changes and "<del>" not in changes and "<ins>" not in changes


def test_a_post_compares_its_text(team, make_post, browser):
    group, anna, edith = team
    post = make_post(group, anna, title="Mein Weg", body="Erster Absatz.\n\nZweiter Absatz.")
    review.submit(post, anna)
    review.reject(post, edith, comment="Noch nicht.")
    db.session.commit()
    assert review.changes_since_review(post).fields == []
    post.status = ItemState.DRAFT  # as a new attempt would start
    post.body = "Erster Absatz.\n\nZweiter, neuer Absatz."
    review.submit(post, anna)
    db.session.commit()
    changes = section(text(browser(edith).get(f"/review/posts/{post.id}")), "changes-since-h")
    assert re.findall(r"<h3>([^<]*)</h3>", changes) == ["Text"]
    assert "<ins>" in changes and "neuer" in changes


def test_first_decision_starts_the_comparison(team, episode):
    _group, _anna, edith = team
    assert review.changes_since_review(episode) is None
    review.approve(episode, edith)
    db.session.commit()
    snapshot = episode.review_snapshot
    assert snapshot["fields"]["chapters"] == "00:00 Ankommen\n00:05 Runde"
    assert snapshot["fields"]["transcript"].splitlines() == [
        "00:01 Anna: Hallo zusammen.",
        "00:04 Ben: Schön, dass ihr da seid.",
    ]
    assert review.changes_since_review(episode).fields == []


@pytest.mark.parametrize(
    "snapshot",
    [
        {"fields": "nope"},
        {"at": "not a date", "fields": {"title": 7, "description": None}},
        ["a", "list"],
    ],
)
def test_a_damaged_snapshot_never_breaks_the_page(team, episode, browser, snapshot):
    _group, _anna, edith = team
    episode.review_snapshot = snapshot
    db.session.commit()
    assert text(browser(edith).get(f"/review/episodes/{episode.id}"))


def test_a_stored_transcript_that_no_longer_parses_shows_none(team, episode, browser):
    _group, _anna, edith = team
    episode.transcript_vtt = "WEBVTT\n\nbroken --> cue\nx\n"
    db.session.commit()
    page = text(browser(edith).get(f"/review/episodes/{episode.id}"))
    assert "<strong>Anna:</strong>" not in page
