"""A downloaded episode shows art in every player: the MP3's ID3 tags carry
the episode's picture, else the group's uploaded cover, else the cover drawn
from the group's name."""

from __future__ import annotations

import io
from typing import Any

import pytest
from mutagen.id3 import ID3, PictureType
from PIL import Image

from mediahub.core.extensions import db
from mediahub.media.artwork import render_cover
from mediahub.storage import current_storage


@pytest.fixture
def member(make_user: Any, api_token: Any) -> tuple[Any, dict[str, str]]:
    user = make_user("Sonnenblume")
    return user, api_token(user)


def _episode_art(client: Any, headers: dict[str, str], slug: str, wav: bytes) -> bytes:
    resp = client.post(
        f"/api/v1/groups/{slug}/episodes",
        headers=headers,
        data={"title": "Wie ich hierher kam", "audio": (io.BytesIO(wav), "aufnahme.wav")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201, resp.get_json()
    media = client.get(f"/api/v1/episodes/{resp.get_json()['id']}", headers=headers).get_json()[
        "media"
    ]
    assert media["status"] == "ready", media
    audio = client.get(media["audio_url"].removeprefix("http://hub.test"), headers=headers)
    data = audio.data
    audio.close()
    (apic,) = ID3(io.BytesIO(data)).getall("APIC")
    assert apic.type == PictureType.COVER_FRONT
    return bytes(apic.data)


def test_a_group_without_cover_gets_its_generated_cover_in_the_tags(
    client: Any, make_group: Any, member: Any, speech_wav: Any
) -> None:
    user, headers = member
    make_group("trauer", name="Trauercafé Größe", members={user: "member"})
    art = _episode_art(client, headers, "trauer", speech_wav.read_bytes())
    with Image.open(io.BytesIO(art)) as img:
        assert (img.format, img.size) == ("JPEG", (1400, 1400))
    # The very picture the feed and the pages show for the group.
    assert art == render_cover("Trauercafé Größe", "trauer")


def test_an_uploaded_cover_goes_into_the_tags_instead(
    client: Any, make_group: Any, member: Any, speech_wav: Any
) -> None:
    from mediahub.groups.services import set_cover

    user, headers = member
    group = make_group("runde", name="Runde", members={user: "manager"})
    set_cover(group, io.BytesIO(render_cover("Hochgeladen", "x")), actor=user)
    db.session.commit()
    art = _episode_art(client, headers, "runde", speech_wav.read_bytes())
    with current_storage().open(group.cover.rendition_key) as fh:
        assert art == fh.read()
    assert art != render_cover("Runde", "runde")
