"""Feed URLs are built from per-endpoint templates: they must be exactly the
URLs the app builds itself, whatever the values."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from mediahub.core.urls import absolute_url
from mediahub.feeds.links import make_url_for
from mediahub.feeds.paths import TOKEN_PLACEHOLDER

GUID = str(uuid.UUID(int=42))

CASES = [
    ("media.episode_audio", {"guid": GUID}),
    ("media.private_episode_audio", {"token": TOKEN_PLACEHOLDER, "guid": GUID}),
    ("media.episode_image", {"guid": GUID, "asset_id": 7}),
    ("site.episode_page", {"slug": "trauer-cafe", "item_id": 12}),
    ("site.episode_page", {"slug": "Trauer Café/Nord", "item_id": 12}),  # escaped
    ("site.episode_page", {"slug": "mhslot1x", "item_id": 7391000000001}),  # the markers
    ("site.group_page", {"slug": "mhslot0x"}),
    ("site.home", {}),
    ("site.home", {"page": 2, "topic": "grief"}),  # a query string
    ("site.home", {"q": "Ängste & Sorgen"}),
]


@pytest.fixture(params=["https://hub.example", "https://example.org/selbsthilfe/"])
def app_config(app_config: dict[str, Any], request) -> dict[str, Any]:
    return {**app_config, "BASE_URL": request.param}


def test_template_urls_are_the_apps_own(app):
    url_for = make_url_for()
    for _ in range(2):  # the first call makes the template, the second fills it
        for endpoint, values in CASES:
            assert url_for(endpoint, **values) == absolute_url(endpoint, **values)


def test_a_value_that_looks_like_a_marker_does_not_leak_into_the_next(app):
    url_for = make_url_for()
    first = url_for("media.episode_image", guid="mhslot1x", asset_id=3)
    assert first == absolute_url("media.episode_image", guid="mhslot1x", asset_id=3)
    assert url_for("media.episode_image", guid=GUID, asset_id=3).endswith(f"{GUID}/image-3.jpg")
