"""The automatic transcript in the JSON API: what the editor on the episode
page does, for apps. Only the author and the group's editors know it exists;
hostile input gets a 4xx JSON answer; nothing is public before an editor
approved it through the API."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from mediahub.core.extensions import db
from mediahub.transcripts import services
from mediahub.transcripts.captions import Cue, read_vtt, write_vtt
from mediahub.transcripts.models import Transcript, TranscriptState

VTT = write_vtt(
    [
        Cue(0.5, 3.0, "Sprecherin 1", "Guten Abend und willkommen."),
        Cue(3.0, 6.0, "", "Heute geht es um Schlafstörungen."),
    ]
)
SECRET_WORD = "Schlafstörungen"


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {**app_config, "TRANSCRIBE": True}


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Jobs asked for (the model does not run in these tests)."""
    calls: list[tuple] = []
    monkeypatch.setattr(services, "enqueue_after_commit", lambda *a: calls.append(a))
    return calls


@pytest.fixture
def team(make_user, make_group, make_episode, api_token) -> SimpleNamespace:
    author, editor, member, outsider = (make_user(n) for n in ("Ana", "Edi", "Mia", "Otto"))
    group = make_group(
        "schlaf", members={author: "member", editor: "editor", member: "member"}, language="de"
    )
    episode = make_episode(group, author, title="Folge eins")
    people = {"author": author, "editor": editor, "member": member, "outsider": outsider}
    headers = {name: api_token(user) for name, user in people.items()}
    return SimpleNamespace(
        **people, group=group, episode=episode, headers={**headers, "anonymous": {}}
    )


def machine(episode, vtt: str | None = VTT, **fields: Any) -> Transcript:
    """An automatic transcript as the job leaves it (done, unless told), without the model."""
    values = {"state": TranscriptState.DONE, "version": 2, "progress": 1.0, **fields}
    transcript = Transcript(episode=episode, vtt=vtt, **values)
    db.session.add(transcript)
    db.session.commit()
    return transcript


def publish(team: SimpleNamespace) -> None:
    from mediahub.review import services as review

    review.submit(team.episode, team.author)
    review.approve(team.episode, team.editor)
    db.session.commit()


def url(team: SimpleNamespace, tail: str = "") -> str:
    return f"/api/v1/episodes/{team.episode.id}/transcript/machine{tail}"


def as_received(cues: list[dict], **changes: Any) -> list[dict]:
    return [{**cue, **changes} for cue in cues]


def edit(team: SimpleNamespace, who: str = "author", **body: Any) -> Any:
    if "cues" not in body:
        got = client_get(team, who)
        body = {"version": got["version"], "cues": got["cues"], **body}
    return team.client.put(url(team), headers=team.headers[who], json=body)


def client_get(team: SimpleNamespace, who: str = "author") -> dict:
    resp = team.client.get(url(team), headers=team.headers[who])
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def stored(team: SimpleNamespace) -> list[Cue]:
    db.session.expire_all()
    transcript = services.transcript_of(team.episode)
    assert transcript is not None
    return read_vtt(transcript.vtt)


@pytest.fixture
def ready(client, team) -> SimpleNamespace:
    """A finished transcript of the published episode, not approved."""
    publish(team)
    machine(team.episode)
    team.client = client
    return team


# --- who may do what ----------------------------------------------------------

ENDPOINTS = {
    "get": ("get", ""),
    "edit": ("put", ""),
    "approve": ("post", "/approve"),
    "delete": ("delete", ""),
    "retry": ("post", "/retry"),
}
#: The answer each caller gets; a published episode, so outsiders and other
#: members may read the episode itself: they still learn nothing of this.
EXPECTED = {
    "anonymous": dict.fromkeys(ENDPOINTS, 401),
    "outsider": dict.fromkeys(ENDPOINTS, 404),
    "member": dict.fromkeys(ENDPOINTS, 404),
    "author": {"get": 200, "edit": 200, "approve": 403, "delete": 204, "retry": 202},
    "editor": {"get": 200, "edit": 200, "approve": 200, "delete": 204, "retry": 202},
}


@pytest.mark.parametrize("who", EXPECTED)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_endpoint_answers_each_audience(ready, queued, who: str, endpoint: str) -> None:
    method, tail = ENDPOINTS[endpoint]
    body = None
    if endpoint == "edit":
        body = {"version": 2, "cues": _cues()}
    elif endpoint == "approve":
        body = {"version": 2}
    resp = getattr(ready.client, method)(url(ready, tail), headers=ready.headers[who], json=body)
    assert resp.status_code == EXPECTED[who][endpoint], resp.get_json()
    if resp.status_code >= 400:
        assert set(resp.get_json()["error"]) >= {"code", "message"}
        assert SECRET_WORD not in resp.get_data(as_text=True)
        assert services.transcript_of(ready.episode) is not None  # nothing happened


def test_a_draft_episode_is_not_found_for_other_members(client, team) -> None:
    machine(team.episode)
    for who in ("member", "outsider"):
        resp = client.get(url(team), headers=team.headers[who])
        assert resp.status_code == 404 and "error" in resp.get_json()
    assert client.get(url(team), headers=team.headers["author"]).status_code == 200


# --- reading ----------------------------------------------------------------


def test_the_author_reads_the_state_and_the_lines(ready) -> None:
    ready.author.is_credited = True
    db.session.commit()
    got = client_get(ready)
    assert got["state"] == "done" and got["percent"] == 100 and got["is_final"]
    assert got["version"] == 2 and got["language"] == "de"
    assert not got["approved"] and not got["is_public"] and not got["uploaded"]
    assert not got["can_approve"]
    assert got["cues"] == [
        {
            "start": 0.5,
            "end": 3.0,
            "speaker": "Sprecherin 1",
            "text": "Guten Abend und willkommen.",
        },
        {"start": 3.0, "end": 6.0, "speaker": "", "text": "Heute geht es um Schlafstörungen."},
    ]
    # The names offered: those in it, numbered speakers, names members chose.
    assert got["speaker_suggestions"][0] == "Sprecherin 1"
    assert "Sprecher 2" in got["speaker_suggestions"] and "Ana" in got["speaker_suggestions"]
    assert "Mia" not in got["speaker_suggestions"]  # she did not agree to be named
    assert client_get(ready, "editor")["can_approve"]


@pytest.mark.parametrize(
    ("state", "fields", "expected"),
    [
        ("queued", {"progress": 0.0}, (0, "bald geschrieben")),
        ("running", {"progress": 0.42}, (42, "wird geschrieben")),
        (
            "failed",
            {"error": "The recording could not be read to make a transcript."},
            (0, "gelesen"),
        ),
    ],
)
def test_the_job_state_is_readable_while_it_runs(
    client, team, state: str, fields: dict, expected: tuple
) -> None:
    machine(team.episode, None, state=TranscriptState(state), **{"progress": 0.0, **fields})
    team.client = client
    got = client_get(team)
    assert (got["state"], got["percent"], got["cues"]) == (state, expected[0], [])
    assert expected[1] in got["message"]
    assert got["is_final"] is (state == "failed")


def test_an_episode_without_a_transcript_says_none(client, team) -> None:
    team.client = client
    got = client_get(team)
    assert (got["state"], got["version"], got["cues"]) == ("none", None, [])
    resp = client.post(url(team, "/approve"), headers=team.headers["editor"], json={})
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "no_transcript"


# --- editing ----------------------------------------------------------------


def test_words_speakers_and_a_split_are_saved(ready) -> None:
    ready.author.is_credited = True  # Ana agreed to be named: her name may name a speaker
    db.session.commit()
    got = client_get(ready)
    cues = got["cues"]
    cues[0] |= {"text": "Guten Abend, willkommen!", "speaker": "Ana"}
    cues[1] |= {"text": "Heute geht es || um Schlaf.", "speaker": "Speaker 2"}
    resp = edit(ready, version=got["version"], cues=cues, split=1)
    assert resp.status_code == 200, resp.get_json()
    answer = resp.get_json()
    assert answer["version"] == 3
    assert [(c["speaker"], c["text"]) for c in answer["cues"]] == [
        ("Ana", "Guten Abend, willkommen!"),
        ("Speaker 2", "Heute geht es"),
        ("Speaker 2", "um Schlaf."),
    ]
    # The split shares the line's time in proportion to the text.
    assert answer["cues"][1]["start"] == 3.0 and answer["cues"][2]["end"] == 6.0
    assert 3.0 < answer["cues"][1]["end"] == answer["cues"][2]["start"] < 6.0
    assert [c.text for c in stored(ready)] == [c["text"] for c in answer["cues"]]


def test_lines_are_joined_and_split_at_a_character(ready) -> None:
    resp = edit(ready, merge=0)
    assert resp.status_code == 200, resp.get_json()
    [joined] = resp.get_json()["cues"]
    assert joined == {
        "start": 0.5,
        "end": 6.0,
        "speaker": "Sprecherin 1",
        "text": "Guten Abend und willkommen. Heute geht es um Schlafstörungen.",
    }
    resp = edit(ready, "editor", split=0, split_at=len("Guten Abend"))
    assert [c["text"] for c in resp.get_json()["cues"]] == [
        "Guten Abend",
        "und willkommen. Heute geht es um Schlafstörungen.",
    ]


def test_an_empty_text_removes_the_line(ready) -> None:
    got = client_get(ready)
    got["cues"][1]["text"] = ""
    resp = edit(ready, version=got["version"], cues=got["cues"])
    assert [c["text"] for c in resp.get_json()["cues"]] == ["Guten Abend und willkommen."]


def test_a_stale_version_is_refused_and_changes_nothing(ready) -> None:
    got = client_get(ready)
    assert edit(ready, version=got["version"], cues=got["cues"], merge=0).status_code == 200
    resp = edit(ready, "editor", version=got["version"], cues=as_received(got["cues"], text="x"))
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "stale"
    assert "x" not in [c.text for c in stored(ready)]


def test_an_unfinished_transcript_cannot_be_edited(client, team) -> None:
    machine(team.episode, None, state=TranscriptState.RUNNING)
    team.client = client
    resp = edit(team, version=2, cues=[])
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "not_ready"


def _cues(**changes: Any) -> list[dict]:
    base = [
        {"start": 0.5, "end": 3.0, "speaker": "", "text": "Guten Abend."},
        {"start": 3.0, "end": 6.0, "speaker": "", "text": "Heute geht es."},
    ]
    return [{**c, **changes} for c in base]


#: Hostile or wrong edits: each gets a 4xx JSON answer and changes nothing.
BAD_EDITS: dict[str, Any] = {
    "NaN time": '{"version": 2, "cues": [{"start": NaN, "end": 3.0, "text": "a"}]}',
    "Infinity time": '{"version": 2, "cues": [{"start": 0.5, "end": Infinity, "text": "a"}]}',
    "time 10**30": {"version": 2, "cues": _cues(end=10**30)},
    "time 1e308": '{"version": 2, "cues": [{"start": 0.5, "end": 1e999, "text": "a"}]}',
    "time as text": {"version": 2, "cues": _cues(start="0.5")},
    "changed time": {"version": 2, "cues": [_cues()[0] | {"end": 2.0}, _cues()[1]]},
    "overlapping cues": {"version": 2, "cues": [_cues()[0] | {"end": 4.0}, _cues()[1]]},
    "unsorted cues": {"version": 2, "cues": list(reversed(_cues()))},
    "a cue too many": {"version": 2, "cues": [*_cues(), _cues()[1]]},
    "100k cues": {"version": 2, "cues": [{"start": 0.5, "end": 3.0, "text": "a"}] * 100_000},
    "16k cues (under the size limit)": {"version": 2, "cues": [{"start": 0, "end": 0}] * 16_000},
    "unknown speaker name": {"version": 2, "cues": _cues(speaker="Ulrike Schmidt")},
    "speaker name too long": {"version": 2, "cues": _cues(speaker="x" * 101)},
    "text too long": {"version": 2, "cues": _cues(text="x" * 1001)},
    "no version": {"cues": _cues()},
    "version 10**30": {"version": 10**30, "cues": _cues()},
    "version true": {"version": True, "cues": _cues()},
    "cues not a list": {"version": 2, "cues": "WEBVTT"},
    "cue not an object": {"version": 2, "cues": [1, 2]},
    "merge the last line": {"version": 2, "cues": _cues(), "merge": 1},
    "merge -1": {"version": 2, "cues": _cues(), "merge": -1},
    "split 10**30": {"version": 2, "cues": _cues(), "split": 10**30},
    "merge and split": {"version": 2, "cues": _cues(), "merge": 0, "split": 1},
    "split one word": {"version": 2, "cues": _cues(text="Hallo"), "split": 0},
    "unknown field": {"version": 2, "cues": _cues(), "times": []},
    "deeply nested": "[" * 100_000 + "]" * 100_000,
    "not JSON": "WEBVTT\n\n00:00.000 --> 00:01.000\nhi",
}


@pytest.mark.parametrize("case", BAD_EDITS)
def test_a_bad_edit_gets_a_4xx_json_answer_and_changes_nothing(ready, case: str) -> None:
    body = BAD_EDITS[case]
    headers = {**ready.headers["author"], "Content-Type": "application/json"}
    data = body if isinstance(body, str) else json.dumps(body)
    resp = ready.client.put(url(ready), headers=headers, data=data)
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.get_data(as_text=True)[:300])
    assert set(resp.get_json()["error"]) >= {"code", "message"}
    assert [c.text for c in stored(ready)] == [
        "Guten Abend und willkommen.",
        "Heute geht es um Schlafstörungen.",
    ]


def test_a_wrong_speaker_name_says_which_names_are_allowed(ready) -> None:
    got = client_get(ready)
    cues = as_received(got["cues"], speaker="Ulrike Schmidt")
    resp = edit(ready, version=got["version"], cues=cues)
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert "Ulrike Schmidt" in error["message"] and "Sprecher" in error["message"]
    assert error["fields"] == {"speaker": error["message"]}


def test_lone_surrogates_and_nul_are_cleaned_never_stored(ready) -> None:
    got = client_get(ready)
    cues = got["cues"]
    cues[0]["text"] = "Guten\x00 Abend \ud800!"
    data = json.dumps({"version": got["version"], "cues": cues})  # keeps \ud800 escaped
    headers = {**ready.headers["author"], "Content-Type": "application/json"}
    resp = ready.client.put(url(ready), headers=headers, data=data)
    assert resp.status_code == 200, resp.get_json()
    assert stored(ready)[0].text == "Guten Abend !"


# --- approving, deleting, making again ------------------------------------------


def _text(client, path: str) -> str:
    resp = client.get(path)
    assert resp.status_code < 500, path
    text = resp.get_data(as_text=True) if resp.status_code == 200 else ""
    resp.close()
    return text


def _public(ready: SimpleNamespace, anonymous) -> str:
    """Everything a listener can get of the episode's transcript."""
    guid, slug, item_id = ready.episode.guid, ready.group.slug, ready.episode.id
    paths = [
        f"/api/v1/episodes/{item_id}",
        f"/groups/{slug}/episodes/{item_id}",
        f"/feeds/{slug}/podcast.xml",
        "/?q=schlafst%C3%B6rungen",
        *(f"/media/episodes/{guid}.{ext}" for ext in ("vtt", "srt", "json")),
    ]
    return "\n".join(_text(anonymous, path) for path in paths)


def test_a_machine_transcript_is_public_only_after_approval_through_the_api(
    ready, anonymous
) -> None:
    assert SECRET_WORD not in _public(ready, anonymous)
    # The author may correct it but not approve it; that publishes nothing.
    assert edit(ready, merge=0).status_code == 200
    resp = ready.client.post(url(ready, "/approve"), headers=ready.headers["author"], json={})
    assert resp.status_code == 403
    assert SECRET_WORD not in _public(ready, anonymous)
    # An editor approves what they read.
    version = client_get(ready, "editor")["version"]
    resp = ready.client.post(
        url(ready, "/approve"), headers=ready.headers["editor"], json={"version": version}
    )
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["approved"] and resp.get_json()["is_public"]
    public = _public(ready, anonymous)
    assert SECRET_WORD in public and "Guten Abend und willkommen. Heute geht es" in public
    transcript = services.transcript_of(ready.episode)
    assert transcript is not None and transcript.approved_by_id == ready.editor.id
    assert transcript.approved_at is not None
    # A later correction stays private until approved again.
    got = client_get(ready)
    resp = edit(ready, version=got["version"], cues=as_received(got["cues"], text="Neu gesagt."))
    assert resp.status_code == 200 and not resp.get_json()["approved"]
    assert "Neu gesagt" not in _public(ready, anonymous)


def test_approving_an_older_version_is_refused(ready) -> None:
    assert edit(ready, merge=0).status_code == 200
    resp = ready.client.post(
        url(ready, "/approve"), headers=ready.headers["editor"], json={"version": 2}
    )
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "stale"
    assert ready.episode.transcript_vtt is None


@pytest.mark.parametrize("body", [{"version": "2"}, {"version": 10**30}, {"version": None, "x": 1}])
def test_a_bad_approval_is_refused(ready, body: dict) -> None:
    resp = ready.client.post(url(ready, "/approve"), headers=ready.headers["editor"], json=body)
    assert resp.status_code == 422 and "error" in resp.get_json()
    assert ready.episode.transcript_vtt is None


def test_an_unfinished_transcript_cannot_be_approved(client, team) -> None:
    machine(team.episode, None, state=TranscriptState.QUEUED)
    resp = client.post(url(team, "/approve"), headers=team.headers["editor"], json={})
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "not_ready"


def test_the_author_deletes_the_transcript_and_its_public_copy(ready, anonymous) -> None:
    resp = ready.client.post(url(ready, "/approve"), headers=ready.headers["editor"])
    assert resp.status_code == 200 and SECRET_WORD in _public(ready, anonymous)
    resp = ready.client.delete(url(ready), headers=ready.headers["author"])
    assert resp.status_code == 204
    assert services.transcript_of(ready.episode) is None
    assert SECRET_WORD not in _public(ready, anonymous)
    assert client_get(ready)["state"] == "none"


def test_a_new_transcript_is_asked_for_and_the_approved_one_withdrawn(
    ready, anonymous, queued
) -> None:
    ready.client.post(url(ready, "/approve"), headers=ready.headers["editor"], json={})
    resp = ready.client.post(url(ready, "/retry"), headers=ready.headers["author"])
    assert resp.status_code == 202, resp.get_json()
    answer = resp.get_json()
    assert (answer["state"], answer["cues"], answer["is_public"]) == ("queued", [], False)
    assert len(queued) == 1
    assert SECRET_WORD not in _public(ready, anonymous)


def test_no_new_transcript_when_the_group_switched_them_off(ready, queued) -> None:
    ready.group.auto_transcripts = False
    db.session.commit()
    resp = ready.client.post(url(ready, "/retry"), headers=ready.headers["editor"])
    assert resp.status_code == 409
    assert resp.get_json()["error"]["code"] == "not_possible"
    assert "ausgeschaltet" in resp.get_json()["error"]["message"]
    assert not queued and client_get(ready)["state"] == "done"


def test_an_uploaded_transcript_wins_over_retry_and_approval(ready, queued) -> None:
    from mediahub.episodes.services import set_transcript

    set_transcript(ready.episode, ready.author, b"WEBVTT\n\n00:00.000 --> 00:02.000\nVon Hand\n")
    db.session.commit()
    resp = ready.client.post(url(ready, "/retry"), headers=ready.headers["author"])
    assert resp.status_code == 409 and "hochgeladenes" in resp.get_json()["error"]["message"]
    resp = ready.client.post(url(ready, "/approve"), headers=ready.headers["editor"], json={})
    assert resp.status_code == 200 and resp.get_json()["uploaded"]
    assert not resp.get_json()["is_public"] and "Von Hand" in ready.episode.transcript_vtt


def test_the_page_says_why_no_new_transcript_is_made(client, login, team) -> None:
    """The editor's "make again" button uses the same service: no false success."""
    machine(team.episode)
    team.group.auto_transcripts = False
    db.session.commit()
    login(team.author)
    resp = client.post_form(f"/episodes/{team.episode.id}/transcript", {"again": "1"})
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Die Gruppe hat automatische Transkripte ausgeschaltet." in page
    assert "Ein neues Transkript wird geschrieben." not in page
