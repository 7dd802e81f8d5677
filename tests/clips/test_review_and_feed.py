"""A clip goes through review like every other item (the HTML pages of the
review feature, nothing clip-specific), and only approved clips reach the
public: the feed's ``podcast:soundbite``, the episode page, the clip page.
Rendering is switched off here (test_rendering_jobs renders)."""

from __future__ import annotations

import io

import feedparser
import podcastparser
import pytest
from lxml import etree

from mediahub.clips.models import Clip
from mediahub.clips.services import create_clip
from mediahub.core.extensions import db
from mediahub.review import services as review
from mediahub.review.workflow import ItemState

SOUNDBITE = "{https://podcastindex.org/namespace/1.0}soundbite"
FEED = "/feeds/trauer/podcast.xml"


@pytest.fixture(autouse=True)
def _no_rendering(monkeypatch):
    rendered: list[int] = []
    monkeypatch.setattr("mediahub.clips.tasks.render", rendered.append)
    return rendered


def _fetch(client, url: str) -> bytes:
    with client.get(url) as resp:
        assert resp.status_code == 200, url
        return resp.get_data()


def _published(anna, eda, episode, title, start_s=7.5, duration_s=6.0) -> Clip:
    clip = create_clip(
        episode, anna, {"title": title, "start_s": start_s, "duration_s": duration_s}
    )
    review.submit(clip, anna)
    review.decide(clip, eda, "approve", comment="")
    db.session.commit()
    return clip


def test_a_clip_goes_through_the_editors_queue_like_an_episode(team, browser, _no_rendering):
    anna, eda, _group, episode = team
    author, editor = browser(anna), browser(eda)
    form = {"title": "Der Kern", "start": "0:07.5", "length": "6", "content_note": ""}
    assert author.post_form(f"/episodes/{episode.id}/clips/new", form).status_code == 302
    clip = db.session.scalars(db.select(Clip)).one()
    assert author.post_form(f"/clips/{clip.id}/submit").status_code == 302
    db.session.refresh(clip)
    assert clip.status == ItemState.IN_REVIEW

    queue = editor.get("/review").get_data(as_text=True)
    assert "Der Kern" in queue and "Clip" in queue
    page = editor.get(f"/review/clips/{clip.id}").get_data(as_text=True)
    assert "0:07.5" in page and "0:13.5" in page  # the passage, to listen to before deciding
    asked = editor.post_form(
        f"/review/clips/{clip.id}",
        {"decision": "request_changes", "changes-comment": "Bitte ohne den Namen am Ende."},
    )
    assert asked.status_code == 302
    db.session.refresh(clip)
    assert clip.status == ItemState.CHANGES_REQUESTED and _no_rendering == []

    edited = {"title": "Der Kern", "start": "0:07.5", "length": "5", "content_note": ""}
    edited["version"] = str(clip.version)
    assert author.post_form(f"/clips/{clip.id}/edit", edited).status_code == 302
    assert author.post_form(f"/clips/{clip.id}/submit").status_code == 302

    page = editor.get(f"/review/clips/{clip.id}").get_data(as_text=True)
    changes = page[page.index('id="changes-since-h"') :]
    assert "<h3>Ausschnitt</h3>" in changes  # what changed since the last decision: the passage
    assert "<h3>Titel</h3>" not in changes
    assert editor.post_form(f"/review/clips/{clip.id}", {"decision": "approve"}).status_code == 302
    db.session.refresh(clip)
    assert (clip.status, clip.duration_s) == (ItemState.PUBLISHED, 5.0)
    assert _no_rendering == [clip.id]  # approved: handed to the queue to be rendered


def test_nobody_approves_their_own_clip(team, browser):
    _anna, eda, _group, episode = team
    clip = create_clip(episode, eda, {"title": "Eigen", "start_s": 1.0, "duration_s": 5.0})
    review.submit(clip, eda)
    db.session.commit()
    resp = browser(eda).post_form(f"/review/clips/{clip.id}", {"decision": "approve"})
    assert resp.status_code == 403
    db.session.refresh(clip)
    assert clip.status == ItemState.IN_REVIEW


def test_approved_clips_are_soundbites_in_the_feed_in_passage_order(team, client):
    anna, eda, _group, episode = team
    _published(anna, eda, episode, "Später <Teil> & Schluss", start_s=12.25, duration_s=7.0)
    _published(anna, eda, episode, "Der Kern", start_s=7.5, duration_s=6.0)
    declined = create_clip(episode, anna, {"title": "Abgelehnt", "start_s": 2, "duration_s": 5})
    review.submit(declined, anna)
    review.decide(declined, eda, "reject", comment="")
    create_clip(episode, anna, {"title": "Entwurf", "start_s": 3, "duration_s": 5})
    db.session.commit()

    feed = _fetch(client, FEED)
    item = etree.fromstring(feed).find("channel/item")
    bites = [(b.get("startTime"), b.get("duration"), b.text) for b in item.iter(SOUNDBITE)]
    assert bites == [("7.50", "6.00", "Der Kern"), ("12.25", "7.00", "Später <Teil> & Schluss")]

    parsed = podcastparser.parse("https://hub.test" + FEED, io.BytesIO(feed))
    assert [e["title"] for e in parsed["episodes"]] == ["Abschied nehmen"]
    assert parsed["episodes"][0]["enclosures"]
    loose = feedparser.parse(feed)
    assert not loose.bozo, loose.get("bozo_exception")
    assert loose.entries[0]["podcast_soundbite"] == {"starttime": "12.25", "duration": "7.00"}


def test_the_episode_page_plays_each_approved_clips_passage(team, client, anonymous):
    anna, eda, _group, episode = team
    clip = _published(anna, eda, episode, "Der Kern")
    create_clip(episode, anna, {"title": "Noch geheim", "start_s": 3, "duration_s": 5})
    db.session.commit()
    page = anonymous.get(f"/groups/trauer/episodes/{episode.id}").get_data(as_text=True)
    assert 'class="player-passage-link"' in page
    assert 'data-seek="7.5" data-end="13.5"' in page and "#t=7.5,13.5" in page
    assert "Der Kern" in page and "Noch geheim" not in page
    public = anonymous.get(f"/groups/trauer/clips/{clip.id}")
    assert public.status_code == 200 and "Der Kern" in public.get_data(as_text=True)


def test_an_unpublished_clip_leaves_the_feed_the_page_and_the_api(team, client, anonymous):
    anna, eda, _group, episode = team
    clip = _published(anna, eda, episode, "Der Kern")
    assert b"soundbite" in _fetch(client, FEED)
    review.unpublish(clip, eda, comment="")
    db.session.commit()
    assert b"soundbite" not in _fetch(client, FEED)
    page = anonymous.get(f"/groups/trauer/episodes/{episode.id}").get_data(as_text=True)
    assert "Der Kern" not in page
    assert anonymous.get(f"/groups/trauer/clips/{clip.id}").status_code == 404
    assert anonymous.get(f"/api/v1/clips/{clip.id}").status_code == 404
    assert anonymous.get(f"/api/v1/episodes/{episode.id}/clips").get_json() == []


def test_a_clip_of_an_episode_taken_offline_is_not_shown(team, anonymous):
    anna, eda, _group, episode = team
    clip = _published(anna, eda, episode, "Der Kern")
    review.unpublish(episode, eda, comment="")
    db.session.commit()
    assert anonymous.get(f"/groups/trauer/clips/{clip.id}").status_code == 404
    assert anonymous.get(f"/clips/{clip.id}/square.mp4").status_code == 404
