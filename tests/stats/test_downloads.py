"""Crafted request sequences through the real application, and the exact
number of downloads the day then has."""

from __future__ import annotations

import pytest

from mediahub.core.extensions import db
from mediahub.groups import feed_tokens as tokens
from tests.stats.conftest import (
    ANTENNAPOD,
    APPLE_CORE,
    FIREFOX,
    GOOGLEBOT,
    NEEDED,
    PODCASTS,
    SIZE,
    downloads,
    listen,
    store_audio,
)


@pytest.fixture
def episode(team, people, publish):
    return publish(team(), people["member"])


@pytest.fixture
def url(episode):
    return f"/media/episodes/{episode.guid}.mp3"


def test_a_full_get_is_one_download(app, client, episode, url):
    resp = listen(client, url, PODCASTS)
    assert resp.status_code == 200 and len(resp.data) == SIZE
    assert downloads(app, episode) == 1


def test_the_same_listener_again_the_same_day_is_still_one(app, client, episode, url):
    for _ in range(3):
        listen(client, url, PODCASTS)
    assert downloads(app, episode) == 1


def test_another_app_at_the_same_address_is_another_listener(app, client, episode, url):
    listen(client, url, PODCASTS)
    listen(client, url, ANTENNAPOD)
    assert downloads(app, episode) == 2


def test_apples_probe_then_chunks_is_one_download(app, client, episode, url):
    probe = listen(client, url, APPLE_CORE, headers={"Range": "bytes=0-1"})
    assert probe.status_code == 206 and len(probe.data) == 2
    assert downloads(app, episode) == 0  # the probe alone is no download
    for start in range(0, NEEDED + 200_000, 200_000):
        part = listen(
            client, url, APPLE_CORE, headers={"Range": f"bytes={start}-{start + 199_999}"}
        )
        assert part.status_code == 206
    assert downloads(app, episode) == 1


def test_ranges_covering_less_than_a_minute_are_no_download(app, client, episode, url):
    # The header and 50 seconds of audio, asked for twice (overlaps count once).
    end = NEEDED - 10 * 8_000
    listen(client, url, APPLE_CORE, headers={"Range": f"bytes=0-{end // 2}"})
    listen(client, url, APPLE_CORE, headers={"Range": f"bytes=0-{end}"})
    listen(client, url, APPLE_CORE, headers={"Range": f"bytes={end // 3}-{end}"})
    assert downloads(app, episode) == 0
    listen(client, url, APPLE_CORE, headers={"Range": f"bytes={end}-{NEEDED}"})
    assert downloads(app, episode) == 1


def test_head_is_no_download(app, client, episode, url):
    assert listen(client, url, PODCASTS, method="HEAD").status_code == 200
    assert downloads(app, episode) == 0


def test_a_304_is_no_download(app, client, episode, url):
    etag = listen(client, url, PODCASTS, address="198.51.100.1").headers["ETag"]
    again = listen(client, url, PODCASTS, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert downloads(app, episode) == 1  # the first request's listener only


def test_errors_are_no_downloads(app, client, episode, url):
    assert listen(client, url, PODCASTS, headers={"Range": f"bytes={SIZE + 5}-"}).status_code == 416
    assert listen(client, url.replace(".mp3", "x.mp3"), PODCASTS).status_code == 404
    assert downloads(app, episode) == 0


def test_a_known_bot_is_no_download(app, client, episode, url):
    listen(client, url, GOOGLEBOT)
    listen(client, url, "curl/8.5.0")
    listen(client, url, "")
    assert downloads(app, episode) == 0


def test_a_browser_preview_is_no_download(app, client, episode, url):
    listen(client, url, FIREFOX, headers={"Sec-Purpose": "prefetch"})
    listen(client, url, FIREFOX, headers={"X-Purpose": "preview"})
    assert downloads(app, episode) == 0
    listen(client, url, FIREFOX)  # now someone pressed play
    assert downloads(app, episode) == 1


def test_an_authors_preview_of_a_draft_is_no_download(
    app, client, people, team, make_episode, api_token
):

    draft = make_episode(team(), people["member"], audio=False)
    draft.audio = store_audio(app)
    db.session.commit()
    resp = listen(
        client, f"/media/episodes/{draft.guid}.mp3", FIREFOX, headers=api_token(people["member"])
    )
    assert resp.status_code == 200
    assert downloads(app, draft) == 0


def test_a_private_token_download_counts(app, client, people, team, publish):
    group = team("stille", visibility="private")
    episode = publish(group, people["member"])
    _row, feed_url = tokens.create_token(group, people["manager"], label="Anna")
    db.session.commit()
    secret = feed_url.split("/private/")[1].split("/")[0]
    resp = listen(client, f"/media/private/{secret}/episodes/{episode.guid}.mp3", ANTENNAPOD)
    assert resp.status_code == 200
    assert downloads(app, episode) == 1


def test_a_download_answered_by_nginx_counts_at_the_app(app, client, episode, url):
    app.config["FEEDS_ACCEL_REDIRECT_PREFIX"] = "/_internal/"
    full = listen(client, url, PODCASTS)
    assert "X-Accel-Redirect" in full.headers and full.data == b""
    # nginx answers revalidations with 304 and the probe with two bytes.
    listen(client, url, ANTENNAPOD, headers={"If-None-Match": '"x"'})
    listen(client, url, APPLE_CORE, headers={"Range": "bytes=0-1"})
    assert downloads(app, episode) == 1


def test_counting_again_gives_the_same_figures(app, client, episode, url, runner):
    listen(client, url, PODCASTS)
    listen(client, url, ANTENNAPOD)
    assert downloads(app, episode) == 2
    result = runner.invoke(args=["stats", "rollup", "--rebuild"])
    assert result.exit_code == 0, result.output
    assert "2 downloads" in result.output
    assert downloads(app, episode) == 2
