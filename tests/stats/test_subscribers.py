"""Feed fetches estimate subscribers: different apps per day and feed, plus the
counts aggregators announce; public feeds are counted in front of Flask."""

from __future__ import annotations

from sqlalchemy import func, select

from mediahub import create_app
from mediahub.core.extensions import db
from mediahub.feeds.services import rebuild_all
from mediahub.groups import feed_tokens as tokens
from mediahub.stats.models import StatsEvent
from mediahub.stats.recording import recording_of
from tests.conftest import close_every_answer
from tests.stats.conftest import ANTENNAPOD, GOOGLEBOT, OVERCAST, PODCASTS, listen, subscribers

FEEDLY = "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 16 subscribers)"
OVERCAST_SYNC = "Overcast/1.0 Podcast Sync (12 subscribers; feed-id=123; +http://overcast.fm/)"


def test_public_feed_fetches_are_counted(app, client, team, people, publish):
    group = team()
    publish(group, people["member"])
    rebuild_all()
    url = f"/feeds/{group.slug}/podcast.xml"
    first = listen(client, url, PODCASTS)
    assert first.status_code == 200
    # The same app polling again (200 or 304) is the same subscriber.
    assert (
        listen(client, url, PODCASTS, headers={"If-None-Match": first.headers["ETag"]}).status_code
        == 304
    )
    listen(client, url, ANTENNAPOD, address="198.51.100.2")
    listen(client, url, OVERCAST, method="HEAD", address="198.51.100.3")  # not a fetch
    listen(client, url, GOOGLEBOT)  # not a subscriber
    listen(client, url, FEEDLY, address="192.0.2.10")
    listen(client, url, FEEDLY.replace("16", "17"), address="192.0.2.11")
    listen(client, url, OVERCAST_SYNC, address="192.0.2.12")
    assert subscribers(app, group.id) == (2, 17 + 12)
    listen(client, f"/feeds/{group.slug}/blog.atom", PODCASTS)
    assert subscribers(app, group.id, "blog") == (1, 0)


def test_the_hubs_feed_is_counted_for_the_hub(app, client, team, people, publish):
    publish(team(), people["member"])
    rebuild_all()
    assert listen(client, "/feeds/podcast.xml", PODCASTS).status_code == 200
    assert subscribers(app, None) == (1, 0)


def test_private_feed_fetches_are_counted_for_their_group(app, client, team, people, publish):
    group = team("stille", visibility="private")
    publish(group, people["member"])
    rebuild_all()
    _row, url = tokens.create_token(group, people["manager"], label="Anna")
    db.session.commit()
    path = url.split("hub.test", 1)[1]
    assert listen(client, path, ANTENNAPOD).status_code == 200
    blog = listen(client, path.replace("podcast.xml", "blog.atom"), ANTENNAPOD)
    assert blog.status_code == 200
    wrong = path.replace("/private/", "/private/x")
    assert listen(client, wrong, PODCASTS).status_code == 404
    assert subscribers(app, group.id) == (1, 0)


def test_statistics_can_be_turned_off(app, team, people, publish, app_config):
    publish(team(), people["member"])
    rebuild_all()
    quiet = create_app({**app_config, "STATS_ENABLED": False})
    assert recording_of(quiet) is None
    with quiet.app_context():
        fetched = listen(close_every_answer(quiet.test_client()), "/feeds/podcast.xml", PODCASTS)
        assert fetched.status_code == 200
        assert db.session.scalar(select(func.count()).select_from(StatsEvent)) == 0
