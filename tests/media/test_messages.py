"""The audio package's refusals reach people in their language."""

from __future__ import annotations

from mediahub.audio import _messages
from mediahub.media import processing
from mediahub.media.messages import KNOWN, translated


def test_every_fixed_audio_message_is_declared_for_translation():
    fixed = {v for k, v in vars(_messages).items() if k.isupper() and isinstance(v, str)}
    fixed |= {processing.FAILED_PLAINLY, processing.FAILED_DATA}
    declared = {m._args[0] for m in KNOWN}
    assert fixed == declared


def test_messages_are_german_by_default_and_english_on_request(client, make_user, api_token):
    headers = api_token(make_user())
    german = client.get("/api/v1/nothing", headers=headers).get_json()["error"]["message"]
    english = client.get(
        "/api/v1/nothing", headers={**headers, "Accept-Language": "en"}
    ).get_json()["error"]["message"]
    assert german != english
    with client.application.test_request_context("/"):
        assert translated(_messages.SILENT).startswith("In der Aufnahme ist nichts zu hören")
