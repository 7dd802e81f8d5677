"""The documents a group publishes, and what incoming activities mean."""

from __future__ import annotations

import datetime as dt

import pytest

from mediahub.fediverse import documents, inbox
from mediahub.fediverse.documents import ActorUrls, Item, Profile

BASE = "https://hub.example/fediverse/groups/trauer"
URLS = ActorUrls(
    BASE,
    f"{BASE}/inbox",
    f"{BASE}/outbox",
    f"{BASE}/followers",
    f"{BASE}/following",
    "https://hub.example/fediverse/inbox",
)
REMOTE = "https://social.example/users/alice"


def test_the_actor_shows_the_group_with_key_links_and_artwork():
    profile = Profile(
        "trauer",
        "Trauercafé",
        "<p>Wir treffen uns</p>",
        "https://hub.example/c.jpg",
        "https://hub.example/gruppen/trauer",
        "https://hub.example/feeds/trauer/podcast.xml",
        "-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----\n",
    )
    doc = documents.actor_document(URLS, profile, labels=("Seite", "Podcast"))
    assert doc["id"] == BASE and doc["type"] == "Organization"
    assert doc["preferredUsername"] == "trauer" and doc["name"] == "Trauercafé"
    assert doc["inbox"] == URLS.inbox and doc["endpoints"]["sharedInbox"] == URLS.shared_inbox
    assert doc["publicKey"] == {
        "id": f"{BASE}#main-key",
        "owner": BASE,
        "publicKeyPem": profile.public_key_pem,
    }
    assert doc["icon"]["url"] == "https://hub.example/c.jpg"
    assert [f["name"] for f in doc["attachment"]] == ["Seite", "Podcast"]
    assert "https://www.w3.org/ns/activitystreams" in doc["@context"]


def test_webfinger_and_nodeinfo_name_no_person():
    jrd = documents.webfinger("trauer", "hub.example", BASE, "https://hub.example/gruppen/trauer")
    assert jrd["subject"] == "acct:trauer@hub.example"
    assert {"rel": "self", "type": "application/activity+json", "href": BASE} in jrd["links"]
    info = documents.nodeinfo(version="0.1.0", name="Hub", actors=3, posts=12)
    assert info["usage"] == {"users": {"total": 3}, "localPosts": 12}
    assert info["openRegistrations"] is False


def _item(**changes) -> Item:
    values = dict(
        object_id=f"{BASE}/items/episode-1",
        page_url="https://hub.example/e/1",
        title="Folge <1> & mehr",
        text="Wir reden.",
        language="de",
        published_at=dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC),
    )
    values.update(changes)
    return Item(**values)


def test_an_episode_note_has_title_text_link_audio_and_escapes_everything():
    note = documents.note(URLS, _item(audio_url="https://hub.example/a.mp3", content_note="Tod"))
    assert "<strong>Folge &lt;1&gt; &amp; mehr</strong>" in note["content"]
    assert 'href="https://hub.example/e/1"' in note["content"]
    assert note["attachment"] == [
        {
            "type": "Audio",
            "mediaType": "audio/mpeg",
            "url": "https://hub.example/a.mp3",
            "name": "Folge <1> & mehr",
        }
    ]
    assert note["summary"] == "Tod" and note["sensitive"] is True
    assert documents.PUBLIC in note["to"] and URLS.followers in note["cc"]
    create = documents.create(URLS, note)
    assert create["type"] == "Create" and create["actor"] == BASE and create["object"] is note


def test_a_post_note_has_no_attachment_and_no_warning():
    note = documents.note(URLS, _item())
    assert "attachment" not in note and "sensitive" not in note and "summary" not in note


def test_delete_is_a_tombstone_of_the_object():
    activity = documents.delete(URLS, f"{BASE}/items/episode-1", 2)
    assert activity["type"] == "Delete" and activity["actor"] == BASE
    assert activity["object"]["id"] == f"{BASE}/items/episode-1"
    assert activity["id"].endswith("#delete-2")


def _classify(activity):
    return inbox.classify(
        activity, signer=REMOTE, our_actor=BASE, is_ours=lambda u: u.startswith(BASE)
    )


def test_a_follow_of_the_group_is_a_follow():
    assert isinstance(_classify({"type": "Follow", "actor": REMOTE, "object": BASE}), inbox.Follow)


def test_activities_for_somebody_else_or_by_somebody_else_are_ignored():
    assert isinstance(
        _classify({"type": "Follow", "actor": REMOTE, "object": "https://x.example/u"}),
        inbox.Ignored,
    )
    forged = {"type": "Follow", "actor": "https://other.example/u/bob", "object": BASE}
    assert isinstance(_classify(forged), inbox.Ignored)
    undo = {
        "type": "Undo",
        "actor": REMOTE,
        "object": {"type": "Follow", "actor": "https://other.example/u/bob"},
    }
    assert isinstance(_classify(undo), inbox.Ignored)


def _reply(**note):
    obj = {
        "type": "Note",
        "id": "https://social.example/n/1",
        "attributedTo": REMOTE,
        "inReplyTo": f"{BASE}/items/episode-1",
        "content": "<p>Danke <b>euch</b></p>",
        "published": "2026-05-01T12:00:00Z",
    }
    obj.update(note)
    return _classify({"type": "Create", "actor": REMOTE, "object": obj})


def test_a_reply_to_our_item_is_kept_as_plain_text():
    got = _reply()
    assert got == inbox.Reply(
        REMOTE,
        "https://social.example/n/1",
        f"{BASE}/items/episode-1",
        "Danke euch",
        dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC),
    )


@pytest.mark.parametrize(
    "change",
    [
        {"inReplyTo": "https://social.example/n/0"},
        {"attributedTo": "https://other.example/u/bob"},
        {"type": "Question"},
        {"content": "<p> </p>"},
        {"id": "javascript:alert(1)"},
        {"inReplyTo": None},
    ],
)
def test_anything_but_a_reply_to_our_items_is_ignored(change):
    assert isinstance(_reply(**change), inbox.Ignored)


@pytest.mark.parametrize("kind", ["Like", "Announce", "Add", "Block", "Flag", 7, None])
def test_other_activity_kinds_are_ignored(kind):
    assert isinstance(_classify({"type": kind, "actor": REMOTE, "object": BASE}), inbox.Ignored)


def test_remote_html_becomes_plain_text_and_is_bounded():
    text = inbox.plain_text(
        "<p>a <script>x()</script><img src=x onerror=y>b &lt;i&gt;</p><p>c</p>" + "d" * 9000
    )
    assert text.startswith("a b <i>\nc")
    assert "script" not in text and "img" not in text
    assert len(text) <= inbox.MAX_REPLY_CHARS


def test_unfollow_and_delete():
    undo = {
        "type": "Undo",
        "actor": REMOTE,
        "object": {"type": "Follow", "actor": REMOTE, "object": BASE},
    }
    assert _classify(undo) == inbox.Unfollow(REMOTE)
    assert _classify({"type": "Delete", "actor": REMOTE, "object": REMOTE}) == inbox.Deleted(
        REMOTE, REMOTE
    )
