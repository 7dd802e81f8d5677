"""Who decides about automatic transcripts: the group's switch, the episode's
language, the rule for naming speakers, and the job's messages in German."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from mediahub.core.extensions import db
from mediahub.media.messages import translated
from mediahub.transcripts import jobs, services
from mediahub.transcripts.captions import Cue, read_vtt, write_vtt
from mediahub.transcripts.models import Transcript, TranscriptState

from .conftest import need_recogniser


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {**app_config, "TRANSCRIBE": True}


@pytest.fixture
def team(make_user, make_group, make_episode) -> SimpleNamespace:
    author, manager, guest = make_user("Ana"), make_user("Mira"), make_user("Lou")
    group = make_group("mut", members={author: "member", manager: "manager", guest: "member"})
    episode = make_episode(group, author, title="Folge eins")
    return SimpleNamespace(
        author=author, manager=manager, guest=guest, group=group, episode=episode
    )


def test_a_manager_switches_automatic_transcripts_off(client, api_token, login, team) -> None:
    login(team.manager)
    assert 'name="auto_transcripts"' in client.get("/groups/mut/manage").get_data(as_text=True)
    headers = api_token(team.manager)
    resp = client.patch("/api/v1/groups/mut", headers=headers, json={"auto_transcripts": False})
    assert resp.status_code == 200 and resp.json["auto_transcripts"] is False
    db.session.expire_all()
    assert services.request_transcript(team.episode) is None
    assert services.transcript_of(team.episode) is None
    # Outsiders do not learn the group's settings.
    assert "auto_transcripts" not in client.get("/api/v1/groups/mut").json


def test_a_transcript_waiting_when_the_group_switched_off_is_not_made(app, team) -> None:
    need_recogniser()
    transcript = Transcript(episode=team.episode, state=TranscriptState.QUEUED)
    db.session.add(transcript)
    team.group.auto_transcripts = False
    db.session.commit()
    jobs.run(transcript.id)
    db.session.expire_all()
    failed = db.session.get(Transcript, transcript.id)
    assert failed.state == TranscriptState.FAILED
    assert failed.error == jobs.FAILED_GROUP_OFF and failed.vtt is None


def test_the_author_sets_the_language_spoken(client, api_token, team) -> None:
    headers = api_token(team.author)
    url = f"/api/v1/episodes/{team.episode.id}"
    resp = client.patch(url, headers=headers, json={"language": "tr"})
    assert resp.status_code == 200 and resp.json["language"] == "tr"
    assert client.patch(url, headers=headers, json={"language": "xx-nope"}).status_code == 422
    db.session.expire_all()
    transcript = services.request_transcript(team.episode)
    assert transcript is not None and transcript.language == "tr"
    db.session.rollback()  # the job would run the model on the test's stand-in audio
    client.patch(url, headers=headers, json={"language": None})
    db.session.expire_all()
    transcript = services.request_transcript(team.episode)
    assert transcript is not None and transcript.language == team.group.language
    db.session.rollback()


def _finished(episode) -> Transcript:
    vtt = write_vtt([Cue(0.0, 2.0, "", "Hallo zusammen."), Cue(2.0, 4.0, "", "Danke.")])
    transcript = Transcript(episode=episode, state=TranscriptState.DONE, vtt=vtt, version=2)
    db.session.add(transcript)
    db.session.commit()
    return transcript


def _name(client, team, transcript, names: list[str]) -> str:
    """The page shown after the editor's form was sent (the buttons redirect)."""
    resp = client.post_form(
        f"/episodes/{team.episode.id}/transcript",
        {
            "version": str(transcript.version),
            "text": ["Hallo zusammen.", "Danke."],
            "speaker": names,
        },
        follow_redirects=True,
    )
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_speakers_get_a_number_or_a_name_they_chose(client, login, team) -> None:
    transcript = _finished(team.episode)
    team.manager.is_credited = True  # Mira agreed to be named in public
    db.session.commit()
    login(team.author)
    page = client.get(f"/episodes/{team.episode.id}").get_data(as_text=True)
    assert '<option value="Mira">' in page and '<option value="Lou">' not in page
    _name(client, team, transcript, ["Sprecherin 1", "Mira"])
    db.session.expire_all()
    stored = db.session.get(Transcript, transcript.id)
    assert [c.speaker for c in read_vtt(stored.vtt)] == ["Sprecherin 1", "Mira"]
    # A name somebody typed for another person, or of a member who did not
    # agree to be named, is refused; the transcript stays as it was.
    for names in (["Frau Schmidt", ""], ["Lou", "Speaker 2"]):
        assert "ist kein Name, den sich ein Mitglied" in _name(client, team, stored, names)
        db.session.expire_all()
        assert [c.speaker for c in read_vtt(stored.vtt)] == ["Sprecherin 1", "Mira"]


def test_the_jobs_messages_are_german(app) -> None:
    messages = [
        jobs.FAILED_PLAINLY,
        jobs.FAILED_UNREADABLE,
        jobs.FAILED_NO_AUDIO,
        jobs.FAILED_OFF,
        jobs.FAILED_GROUP_OFF,
    ]
    with app.test_request_context(), force_locale("de"):
        assert all(translated(m) != m for m in messages)


def test_a_result_for_audio_replaced_meanwhile_is_dropped(app, team, monkeypatch) -> None:
    """The voice is disguised (new audio) while the model hears the old one:
    the old words are not kept, the new transcript waits for its own run."""
    need_recogniser()
    from mediahub.transcripts import engine
    from mediahub.transcripts.captions import Segment

    class Meanwhile:
        def transcribe(self, path, *, language, progress=None):
            team.episode.disguise_voice = True
            assert services.request_transcript(team.episode) is not None
            db.session.commit()  # the web request's commit
            yield Segment(0.0, 1.0, "Ungetarnte Stimme.")

    monkeypatch.setattr(engine, "load", lambda *a, **kw: Meanwhile())
    monkeypatch.setattr(services, "enqueue_after_commit", lambda *a: None)
    transcript = Transcript(
        episode=team.episode,
        state=TranscriptState.QUEUED,
        source_sha256=services.source_of(team.episode),
    )
    db.session.add(transcript)
    db.session.commit()
    jobs.run(transcript.id)
    db.session.expire_all()
    again = db.session.get(Transcript, transcript.id)
    assert again.state == TranscriptState.QUEUED and again.vtt is None
    assert again.source_sha256 == services.source_of(team.episode)


def test_removing_the_transcript_through_the_api_removes_the_machines(
    client, api_token, team
) -> None:
    _finished(team.episode)
    resp = client.delete(
        f"/api/v1/episodes/{team.episode.id}/transcript", headers=api_token(team.author)
    )
    assert resp.status_code == 200
    db.session.expire_all()
    assert services.transcript_of(team.episode) is None
