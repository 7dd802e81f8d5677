"""The counting rules as pure functions: crafted request sequences and the
exact number of downloads they make."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from mediahub.stats.counting import audio_range, covered, is_feed_fetch, needed_bytes
from mediahub.stats.listeners import listener_key
from mediahub.stats.previews import is_preview
from mediahub.stats.recorder import Hit, Preparer
from mediahub.stats.tally import AudioEvent, FeedEvent, count_day

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
#: A 10-minute episode at 128 kbps with a 100 KB ID3 header (cover art).
HEADER = 100_000
AUDIO = 600 * 16_000
SIZE = HEADER + AUDIO
NEEDED = needed_bytes(SIZE, 600.0, 128)
APPLE = "AppleCoreMedia/1.0.0.20E252 (iPhone; U; CPU OS 16_4_1 like Mac OS X; en_us)"
PODCASTS = "Podcasts/1650.20 CFNetwork/1408.0.4 Darwin/22.5.0"
ANTENNAPOD = "AntennaPod/3.4.0"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
NOON = dt.datetime(2026, 3, 14, 12, 0, tzinfo=BERLIN).timestamp()


def test_one_minute_plus_the_header_is_needed():
    assert NEEDED == HEADER + 60 * 16_000
    # Shorter than a minute: the whole file.
    assert needed_bytes(500_000, 45.0, 128) == 500_000
    # No duration known: the whole file.
    assert needed_bytes(500_000, None) == 500_000
    assert needed_bytes(500_000, float("nan")) == 500_000
    # Without a bit rate, from size and duration (no header to subtract).
    assert needed_bytes(6_000_000, 600.0) == 600_000
    # A known header wins over the estimate.
    assert needed_bytes(SIZE, 600.0, 128, header_bytes=5) == 5 + 960_000


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"method": "GET", "status": 200}, (0, SIZE)),
        ({"method": "HEAD", "status": 200}, None),
        ({"method": "GET", "status": 304}, None),
        ({"method": "GET", "status": 404}, None),
        ({"method": "GET", "status": 416}, None),
        ({"method": "GET", "status": 206, "content_range": f"bytes 0-1/{SIZE}"}, None),
        ({"method": "GET", "status": 206, "content_range": f"bytes 0-99/{SIZE}"}, (0, 100)),
        ({"method": "GET", "status": 206, "content_range": "garbage"}, None),
        # Sent elsewhere: what was asked for is what is sent.
        ({"method": "GET", "status": 302, "delegated": True}, (0, SIZE)),
        (
            {"method": "GET", "status": 302, "delegated": True, "request_range": "bytes=0-1"},
            None,
        ),
        (
            {"method": "GET", "status": 302, "delegated": True, "request_range": "bytes=100-"},
            (100, SIZE),
        ),
        (
            {"method": "GET", "status": 200, "delegated": True, "request_range": "bytes=-500"},
            (SIZE - 500, SIZE),
        ),
        (
            {"method": "GET", "status": 302, "delegated": True, "request_range": "bytes=9-1"},
            None,
        ),
        ({"method": "GET", "status": 302, "delegated": True, "revalidation": True}, None),
        ({"method": "HEAD", "status": 302, "delegated": True}, None),
    ],
)
def test_what_a_request_received(kwargs, expected):
    assert audio_range(size=SIZE, **kwargs) == expected


def test_ranges_are_joined_not_added():
    assert covered([(0, 100), (50, 150), (150, 200), (300, 400)]) == 300
    assert covered([(0, 100), (0, 100), (0, 100)]) == 100
    assert covered([]) == 0


def test_browser_prefetches_and_previews_are_recognised():
    assert is_preview({"HTTP_SEC_PURPOSE": "prefetch;prerender"})
    assert is_preview({"HTTP_PURPOSE": "prefetch"})
    assert is_preview({"HTTP_X_PURPOSE": "preview"})
    assert is_preview({"HTTP_X_MOZ": "prefetch"})
    assert not is_preview({"HTTP_USER_AGENT": FIREFOX})


def test_feed_fetches_are_gets_answered_with_the_feed_or_304():
    assert is_feed_fetch("GET", 200) and is_feed_fetch("GET", 304)
    assert not is_feed_fetch("HEAD", 200) and not is_feed_fetch("GET", 404)


# -- sequences ------------------------------------------------------------------

SECRET = b"s" * 32


def _key(day, address, agent):
    return listener_key(SECRET + day.isoformat().encode(), address, agent)


def _downloads(requests):
    """Run requests through the rules, the preparation and the day's count.

    Each request: (address, user agent, method, status, Range asked for, seconds
    after noon), answered by us from the file (200, or 206 with that range).
    """
    prepare = Preparer(_key, BERLIN)
    hits = []
    for address, agent, method, status, asked, later in requests:
        content_range = None
        if status == 206:
            start, _, end = asked.removeprefix("bytes=").partition("-")
            content_range = f"bytes {start}-{end or SIZE - 1}/{SIZE}"
        got = audio_range(method=method, status=status, size=SIZE, content_range=content_range)
        if got is not None:
            hits.append(Hit(NOON + later, address, agent, "audio", 7, 42, None, *got, NEEDED))
    events = sorted(
        (
            AudioEvent(
                e["episode_id"],
                e["group_id"],
                e["listener"],
                e["agent_kind"],
                e["agent"],
                e["category"],
                e["country"],
                e["start"],
                e["stop"],
                e["needed"],
            )
            for e in prepare(hits)
        ),
        key=lambda e: (e.episode_id, e.listener),
    )
    return count_day(events).episodes[(7, 42)]


ANNA = "203.0.113.7"
BEN = "2001:db8:1:2:aaaa::1"
BEN_AGAIN = "2001:db8:1:2:bbbb::9"  # another temporary address of Ben's /64


@pytest.mark.parametrize(
    ("requests", "expected"),
    [
        pytest.param([(ANNA, PODCASTS, "GET", 200, None, 0)], 1, id="full GET"),
        pytest.param(
            [(ANNA, PODCASTS, "GET", 200, None, 0), (ANNA, PODCASTS, "GET", 200, None, 3600)],
            1,
            id="same listener again the same day",
        ),
        pytest.param(
            [(ANNA, PODCASTS, "GET", 200, None, 0), (ANNA, ANTENNAPOD, "GET", 200, None, 60)],
            2,
            id="another user agent from the same address",
        ),
        pytest.param(
            [(BEN, ANTENNAPOD, "GET", 200, None, 0), (BEN_AGAIN, ANTENNAPOD, "GET", 200, None, 9)],
            1,
            id="IPv6 addresses of one /64",
        ),
        pytest.param(
            [
                (ANNA, APPLE, "GET", 206, "bytes=0-1", 0),
                (ANNA, APPLE, "GET", 206, "bytes=0-524287", 1),
                (ANNA, APPLE, "GET", 206, "bytes=524288-1048575", 2),
                (ANNA, APPLE, "GET", 206, "bytes=1048576-1572863", 3),
            ],
            1,
            id="Apple's probe, then chunks",
        ),
        pytest.param([(ANNA, APPLE, "GET", 206, "bytes=0-1", 0)], 0, id="Apple's probe alone"),
        pytest.param(
            [
                (ANNA, APPLE, "GET", 206, "bytes=0-1", 0),
                (ANNA, APPLE, "GET", 206, "bytes=0-524287", 1),
                (ANNA, APPLE, "GET", 206, "bytes=0-524287", 2),
            ],
            0,
            id="ranges covering less than a minute",
        ),
        pytest.param([(ANNA, PODCASTS, "HEAD", 200, None, 0)], 0, id="HEAD"),
        pytest.param([(ANNA, PODCASTS, "GET", 304, None, 0)], 0, id="304"),
        pytest.param([(ANNA, PODCASTS, "GET", 404, None, 0)], 0, id="an error"),
        pytest.param(
            [(ANNA, "Mozilla/5.0 (compatible; Googlebot/2.1)", "GET", 200, None, 0)],
            0,
            id="a known bot",
        ),
        pytest.param([(ANNA, "", "GET", 200, None, 0)], 0, id="no user agent"),
        pytest.param([(ANNA, "MediaHub link check", "GET", 200, None, 0)], 0, id="our own"),
    ],
)
def test_crafted_sequences(requests, expected):
    assert _downloads(requests) == expected


def test_the_day_ends_at_midnight_in_the_hubs_time_zone():
    # 23:30 and 00:30 in Berlin are two days, so two downloads — while in UTC
    # both would lie on one day (22:30 and 23:30).
    prepare = Preparer(_key, BERLIN)
    evening = dt.datetime(2026, 3, 14, 23, 30, tzinfo=BERLIN).timestamp()
    hits = [
        Hit(evening, ANNA, PODCASTS, "audio", 7, 42, None, 0, SIZE, NEEDED),
        Hit(evening + 3600, ANNA, PODCASTS, "audio", 7, 42, None, 0, SIZE, NEEDED),
    ]
    events = prepare(hits)
    assert [e["day"] for e in events] == [dt.date(2026, 3, 14), dt.date(2026, 3, 15)]
    # Keys of different days cannot be linked.
    assert events[0]["listener"] != events[1]["listener"]


def test_a_bot_added_to_the_list_later_is_left_out_when_counting_again():
    event = AudioEvent(42, 7, 1, "app", "Googlebot", "", "", 0, SIZE, NEEDED)
    assert count_day([event]).episodes[(7, 42)] == 0


def test_subscribers_are_different_listeners_plus_what_aggregators_announce():
    feeds = [
        FeedEvent(7, "podcast", 1, "app", "AntennaPod", None),
        FeedEvent(7, "podcast", 1, "app", "AntennaPod", None),
        FeedEvent(7, "podcast", 2, "app", "Apple Podcasts", None),
        FeedEvent(7, "podcast", 3, "bot", "Feedly", 16),
        FeedEvent(7, "podcast", 4, "bot", "Feedly", 17),  # later in the day
        FeedEvent(7, "podcast", 5, "bot", "Overcast feed parser", 12),
        FeedEvent(7, "podcast", 6, "bot", "Googlebot", None),
        FeedEvent(7, "blog", 1, "browser", "Firefox", None),
    ]
    figures = count_day([], feeds)
    assert len(figures.feed_listeners[(7, "podcast")]) == 2
    assert sum(figures.feed_announced[(7, "podcast")].values()) == 17 + 12
    assert len(figures.feed_listeners[(7, "blog")]) == 1


def test_counting_twice_the_same_events_changes_nothing():
    events = [AudioEvent(42, 7, 1, "app", "AntennaPod", "mobile", "DE", 0, SIZE, NEEDED)]
    once = count_day(events)
    twice = count_day(events * 2)
    assert once.episodes == twice.episodes and once.daily == twice.daily


def test_breakdowns_of_a_day():
    events = sorted(
        [
            AudioEvent(42, 7, 1, "app", "AntennaPod", "mobile", "DE", 0, SIZE, NEEDED),
            AudioEvent(43, 7, 1, "app", "AntennaPod", "mobile", "DE", 0, SIZE, NEEDED),
            AudioEvent(42, 7, 2, "browser", "Firefox", "computer", "AT", 0, SIZE, NEEDED),
            AudioEvent(50, 8, 3, "app", "Overcast", "mobile", "", 0, SIZE, NEEDED),
        ],
        key=lambda e: (e.episode_id, e.listener),
    )
    figures = count_day(events)
    assert figures.downloads[(7, "total", "")] == 3
    assert len(figures.listeners[(7, "total", "")]) == 2  # listener 1 heard two episodes
    assert figures.downloads[(7, "app", "*browser")] == 1
    assert figures.downloads[(None, "total", "")] == 4
    assert len(figures.listeners[(None, "device", "mobile")]) == 2
    assert figures.daily[(7, 42, "AntennaPod", "mobile", "DE")] == 1
