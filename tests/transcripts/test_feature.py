"""Automatic transcripts in the platform: made after the audio, public only
after approval, in the feed in three formats, found by the site's search,
deleted on request, picked up again after a killed worker."""

from __future__ import annotations

import datetime as dt
import io
import json
from types import SimpleNamespace

import feedparser
import podcastparser
import pytest

from mediahub.core.extensions import db
from mediahub.transcripts import jobs, services
from mediahub.transcripts.captions import Cue, read_vtt, write_vtt
from mediahub.transcripts.models import Transcript, TranscriptState
from mediahub.transcripts.policy import can_approve_transcript

from ..feeds.conftest import parse, xp
from .conftest import need_recogniser

VTT = write_vtt(
    [
        Cue(0.5, 3.0, "Sprecherin 1", "Guten Abend und willkommen."),
        Cue(3.0, 6.0, "", "Heute geht es um Schlafstörungen."),
    ]
)


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {**app_config, "TRANSCRIBE": True}


@pytest.fixture
def team(make_user, make_group, make_episode) -> SimpleNamespace:
    author, editor = make_user("Ana"), make_user("Edi")
    group = make_group("schlaf", members={author: "member", editor: "editor"}, language="de")
    episode = make_episode(group, author, title="Folge eins")
    return SimpleNamespace(author=author, editor=editor, group=group, episode=episode)


def machine(episode, vtt: str = VTT) -> Transcript:
    """A finished automatic transcript (as the job leaves it), without the model."""
    transcript = Transcript(
        episode=episode, state=TranscriptState.DONE, vtt=vtt, version=2, progress=1.0
    )
    db.session.add(transcript)
    db.session.commit()
    return transcript


def publish(episode, author, editor) -> None:
    from mediahub.review import services as review

    review.submit(episode, author)
    review.approve(episode, editor)
    db.session.commit()


def feed_xml(client, group) -> bytes:
    resp = client.get(f"/feeds/{group.slug}/podcast.xml")
    xml = resp.get_data()
    resp.close()
    return xml


def feed_items(client, group) -> tuple[list, list]:
    xml = feed_xml(client, group)
    parsed = podcastparser.parse("http://hub.test/feed", io.BytesIO(xml))
    return parsed["episodes"], feedparser.parse(xml).entries


def test_nothing_of_a_machine_transcript_is_public_before_approval(client, team) -> None:
    machine(team.episode)
    guid = team.episode.guid
    assert client.get(f"/media/episodes/{guid}.vtt").status_code in (403, 404)
    publish(team.episode, team.author, team.editor)
    # Approving the episode approved the transcript the review page showed.
    assert team.episode.transcript_origin == "machine"
    assert client.get(f"/media/episodes/{guid}.vtt").status_code == 200


def test_a_transcript_finished_after_publication_waits_for_an_editor(client, team) -> None:
    publish(team.episode, team.author, team.editor)
    transcript = machine(team.episode)
    guid = team.episode.guid
    assert client.get(f"/media/episodes/{guid}.vtt").status_code == 404
    items, entries = feed_items(client, team.group)
    assert not items[0].get("transcript_url") and "podcast_transcript" not in entries[0]
    # Nobody approves the transcript of their own episode.
    assert not can_approve_transcript(team.author, team.episode)
    assert can_approve_transcript(team.editor, team.episode)
    assert services.approve(transcript, team.editor)
    db.session.commit()
    assert "Schlafstörungen" in client.get(f"/media/episodes/{guid}.vtt").get_data(as_text=True)


def test_feed_lists_vtt_captions_json_and_srt(client, team) -> None:
    machine(team.episode)
    publish(team.episode, team.author, team.editor)
    items, entries = feed_items(client, team.group)
    # Both parsers read the item with its three tags (feedparser keeps one)...
    assert items[0]["enclosures"] and entries[0]["podcast_transcript"]
    # ... and the feed has all three formats, WebVTT as captions.
    tags = xp(parse(feed_xml(client, team.group)), "//item/podcast:transcript")
    found = {t.get("type"): t.attrib for t in tags}
    assert set(found) == {"text/vtt", "application/json", "application/x-subrip"}
    assert found["text/vtt"].get("rel") == "captions"
    base = f"http://hub.test/media/episodes/{team.episode.guid}"
    assert found["text/vtt"]["url"] == f"{base}.vtt"
    document = client.get(found["application/json"]["url"].replace("http://hub.test", "")).json
    assert document["version"] == "1.0.0"
    assert document["segments"][0] == {
        "startTime": 0.5,
        "endTime": 3.0,
        "speaker": "Sprecherin 1",
        "body": "Guten Abend und willkommen.",
    }
    srt = client.get(found["application/x-subrip"]["url"].replace("http://hub.test", ""))
    assert srt.get_data(as_text=True).startswith(
        "1\n00:00:00,500 --> 00:00:03,000\nSprecherin 1: Guten Abend und willkommen."
    )


def test_an_uploaded_transcript_wins(client, team) -> None:
    from mediahub.episodes.services import set_transcript

    transcript = machine(team.episode)
    set_transcript(team.episode, team.author, b"WEBVTT\n\n00:00.000 --> 00:02.000\nVon Hand\n")
    publish(team.episode, team.author, team.editor)
    assert team.episode.transcript_origin == "upload"
    assert not services.approve(transcript, team.editor)
    assert "Von Hand" in team.episode.transcript_vtt
    assert services.request_transcript(team.episode, again=True) is None


def test_a_member_deletes_the_transcript(client, login, team) -> None:
    machine(team.episode)
    publish(team.episode, team.author, team.editor)
    guid = team.episode.guid
    login(team.author)
    resp = client.post_form(f"/episodes/{team.episode.id}/transcript", {"delete": "1"})
    assert resp.status_code == 302
    assert db.session.get(Transcript, team.episode.id) is None
    assert client.get(f"/media/episodes/{guid}.vtt").status_code == 404
    items, entries = feed_items(client, team.group)
    assert not items[0].get("transcript_url") and "podcast_transcript" not in entries[0]


def test_the_editor_saves_words_speakers_and_splits(client, login, team) -> None:
    transcript = machine(team.episode)
    team.author.is_credited = True  # Ana agreed to be named: her name may name a speaker
    db.session.commit()
    login(team.author)
    page = client.get(f"/episodes/{team.episode.id}").get_data(as_text=True)
    assert "Heute geht es um Schlafstörungen." in page and 'name="speaker"' in page
    resp = client.post_form(
        f"/episodes/{team.episode.id}/transcript",
        {
            "version": str(transcript.version),
            "text": ["Guten Abend, willkommen!", "Heute geht es || um Schlaf."],
            "speaker": ["Ana", "Ana"],
            "split": "1",
        },
    )
    assert resp.status_code == 302
    db.session.expire_all()
    cues = read_vtt(db.session.get(Transcript, transcript.id).vtt)
    assert [(c.speaker, c.text) for c in cues] == [
        ("Ana", "Guten Abend, willkommen!"),
        ("Ana", "Heute geht es"),
        ("Ana", "um Schlaf."),
    ]
    # A page of the older version cannot overwrite the newer one.
    stale = client.post_form(
        f"/episodes/{team.episode.id}/transcript",
        {"version": str(transcript.version - 1), "text": ["x"] * 3, "speaker": [""] * 3},
    )
    assert stale.status_code == 302
    db.session.expire_all()
    assert read_vtt(db.session.get(Transcript, transcript.id).vtt)[0].text != "x"
    # Numbers that are digits to str.isdigit but not to int(), or no version
    # at all: refused as an edit of an old page, never saved blindly, never a 500.
    for odd in ("²", "١٢", None):
        form = {"text": ["x"] * 3, "speaker": [""] * 3, "split": odd or "1"}
        if odd is not None:
            form["version"] = odd
        forged = client.post_form(f"/episodes/{team.episode.id}/transcript", form)
        assert forged.status_code == 302  # the page again, with a message
        db.session.expire_all()
        assert read_vtt(db.session.get(Transcript, transcript.id).vtt)[0].text != "x"


def test_the_search_finds_a_spoken_word_of_a_public_episode_only(
    client, team, make_episode
) -> None:
    machine(team.episode)
    hidden = make_episode(team.group, team.author, title="Entwurf")
    machine(hidden, write_vtt([Cue(0, 2, "", "Schlafstörungen auch hier")]))
    assert "Folge eins" not in client.get("/?q=schlafst").get_data(as_text=True)
    publish(team.episode, team.author, team.editor)
    page = client.get("/?q=schlafst%C3%B6rungen").get_data(as_text=True)
    assert "Folge eins" in page and "Entwurf" not in page
    assert "Folge eins" not in client.get("/?q=Albtraum").get_data(as_text=True)
    # Search syntax typed into the box is only words.
    assert client.get('/?q="OR*NEAR(a" -x:').status_code == 200


def test_a_killed_workers_transcript_is_picked_up_again(app, team) -> None:
    """The worker died while running: the heartbeat went stale. Reconciling
    hands it to the queue again; a fresh heartbeat is left alone."""
    transcript = Transcript(episode=team.episode, state=TranscriptState.QUEUED)
    db.session.add(transcript)
    db.session.commit()
    assert jobs.claim(transcript.id)
    assert not jobs.claim(transcript.id)  # a second worker does not take it
    ran: list[int] = []
    import mediahub.transcripts.jobs as module

    original = module._task
    module._task = lambda: ran.append  # type: ignore[assignment]
    try:
        assert jobs.reconcile() == []  # its heartbeat is fresh
        later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
        assert jobs.reconcile(now=later) == [transcript.id]
    finally:
        module._task = original
    assert ran == [transcript.id]
    assert jobs.claim(transcript.id, now=later)


def test_a_job_without_audio_fails_with_a_message(app, team, make_episode) -> None:
    bare = make_episode(team.group, team.author, audio=False)
    transcript = Transcript(episode=bare, state=TranscriptState.QUEUED)
    db.session.add(transcript)
    db.session.commit()
    jobs.run(transcript.id)
    db.session.expire_all()
    failed = db.session.get(Transcript, transcript.id)
    assert failed.state == TranscriptState.FAILED and failed.error


def test_the_whole_way_with_the_model(client, login, team, german, make_group) -> None:
    """A German recording is processed, transcribed in the background, checked
    and approved, then found by a spoken word."""
    need_recogniser()
    from mediahub.episodes.services import attach_audio

    with german.path.open("rb") as f:
        attach_audio(team.episode, f, uploader=team.author, content_type="audio/mpeg")
    db.session.commit()  # processing, then the transcript, run after the commit
    db.session.expire_all()
    transcript = services.transcript_of(team.episode)
    assert transcript is not None and transcript.state == TranscriptState.DONE, transcript
    words = " ".join(c.text for c in read_vtt(transcript.vtt)).lower()
    assert "schwester" in words and "wochenende" in words
    assert team.episode.transcript_vtt is None
    status = None
    login(team.author)
    status = client.get(f"/episodes/{team.episode.id}/transcript/status").json
    assert status["state"] == "done" and status["is_final"]
    publish(team.episode, team.author, team.editor)
    assert "Folge eins" in client.get("/?q=Schwester").get_data(as_text=True)
    vtt = client.get(f"/media/episodes/{team.episode.guid}.vtt").get_data(as_text=True)
    assert vtt.startswith("WEBVTT") and "Wochenende" in vtt
    assert json.loads(
        client.get(f"/media/episodes/{team.episode.guid}.transcript.json").get_data()
    )["segments"]
