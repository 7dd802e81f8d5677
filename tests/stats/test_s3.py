"""Downloads answered by a redirect to S3 (moto) are counted at the redirect."""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.stats.conftest import ANTENNAPOD, APPLE_CORE, PODCASTS, SIZE, downloads, listen


@pytest.fixture
def app_config(app_config, moto_s3):
    return {
        **app_config,
        "MEDIA_BACKEND": "s3",
        "S3_ENDPOINT_URL": moto_s3,
        "S3_BUCKET": "hub-stats",
        "S3_PREFIX": f"t-{uuid.uuid4().hex[:12]}",
        "S3_REGION": "eu-central-1",
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
    }


def test_a_download_answered_by_a_redirect_to_s3_counts(app, client, team, people, publish):
    episode = publish(team(), people["member"])
    url = f"/media/episodes/{episode.guid}.mp3"
    resp = listen(client, url, PODCASTS)
    assert resp.status_code == 302
    # The bytes really are where we send the app.
    fetched = requests.get(resp.headers["Location"], timeout=30)
    assert fetched.status_code == 200 and len(fetched.content) == SIZE
    # Apple's probe through the redirect, a HEAD and a revalidation are not downloads.
    assert listen(client, url, APPLE_CORE, headers={"Range": "bytes=0-1"}).status_code == 302
    assert listen(client, url, ANTENNAPOD, method="HEAD").status_code == 302
    listen(client, url, ANTENNAPOD, headers={"If-Modified-Since": "Sat, 01 Mar 2025 10:00:00 GMT"})
    assert downloads(app, episode) == 1
