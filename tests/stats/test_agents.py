"""The OPAWG data, compiled once: every pattern against the examples it carries,
and the classes our figures are made of."""

from __future__ import annotations

import pytest

from mediahub.stats import agents
from mediahub.stats.agents import AgentKind, announced_subscribers, classifier, classify

_ENTITY = [e for e in classifier().entries() if e.kind != "devices"]
_DEVICES = [e for e in classifier().entries() if e.kind == "devices"]


def _ids(entries):
    return [f"{e.kind}:{e.name}" for e in entries]


@pytest.mark.parametrize("entry", _ENTITY, ids=_ids(_ENTITY))
def test_each_entity_pattern_finds_its_own_examples(entry):
    """The data's own rule: each example resolves to its entry, in file order
    (bots, apps, libraries, browsers) — under Python's regular expressions."""
    for example in entry.examples:
        found = classifier().match_entity(agents.normalise(example))
        assert found is not None, example
        assert (found[1].kind, found[1].name) == (entry.kind, entry.name), example


@pytest.mark.parametrize("entry", _DEVICES, ids=_ids(_DEVICES))
def test_each_device_pattern_matches_its_own_examples(entry):
    for example in entry.examples:
        assert entry.pattern.search(example), example


def test_the_data_is_the_pinned_copy_with_its_licence():
    files = {p.name for p in agents.DATA.iterdir()}
    assert {"bots.json", "apps.json", "libraries.json", "browsers.json", "devices.json"} <= files
    assert "MIT License" in (agents.DATA / "LICENSE").read_text()
    assert "8008a31b7d348cd5722656c9d3e2d0c1cd6af212" in (agents.DATA / "SOURCE.md").read_text()
    # Every file was read: hundreds of bots and apps.
    kinds = {kind: len(entries) for kind, entries in classifier().entities}
    assert kinds[AgentKind.BOT] > 250 and kinds[AgentKind.APP] > 500


@pytest.mark.parametrize(
    ("user_agent", "kind", "name", "category"),
    [
        ("Podcasts/1650.20 CFNetwork/1408.0.4 Darwin/22.5.0", "app", "Apple Podcasts", "mobile"),
        ("AntennaPod/3.4.0", "app", "AntennaPod", "mobile"),
        ("Overcast/3.0 (+http://overcast.fm/; iOS podcast app)", "app", "Overcast", "mobile"),
        (
            "Spotify/8.8.50 Android/33 (SM-G991B)",
            "app",
            "Spotify",
            "mobile",
        ),
        ("Pocket Casts", "app", "Pocket Casts", "mobile"),
        (
            "AppleCoreMedia/1.0.0.20E252 (iPhone; U; CPU OS 16_4_1 like Mac OS X; en_us)",
            "library",
            "AppleCoreMedia",
            "mobile",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "browser",
            "Firefox",
            "computer",
        ),
    ],
)
def test_apps_devices_and_browsers_are_classified(user_agent, kind, name, category):
    agent = classify(user_agent)
    assert (agent.kind, agent.name, agent.category) == (kind, name, category)
    assert agent.is_listener


@pytest.mark.parametrize(
    ("user_agent", "kind"),
    [
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "bot"),
        ("curl/8.5.0", "bot"),
        ("python-requests/2.32.3", "bot"),
        ("Slackbot 1.0 (+https://api.slack.com/robots)", "bot"),
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "bot"),
        ("Feedly/1.0 (+http://www.feedly.com/fetcher.html; 16 subscribers)", "bot"),
        # Fediverse servers previewing a shared episode (our own additions).
        ("Pleroma 2.7.0; https://social.example.org <admin@social.example.org>", "bot"),
        ("Akkoma 3.15.1; https://fedi.example.net <>", "bot"),
        ("Friendica 'Interrupted Fern' 2024.12-1576; https://friendica.example.org", "bot"),
        ("MediaHub WebSub publisher", "own"),
        ("", "none"),
        (None, "none"),
        ("   \r\n", "none"),
    ],
)
def test_bots_our_own_fetchers_and_missing_agents_are_not_listeners(user_agent, kind):
    agent = classify(user_agent)
    assert agent.kind == kind
    assert not agent.is_listener
    # Bots get no device: their requests are never broken down.
    assert agent.device == ""


def test_an_unknown_agent_counts_as_a_listener_without_a_name():
    agent = classify("Zwischenraum-Player/0.1 (Linux)")
    assert agent.kind == AgentKind.UNKNOWN and agent.name == ""
    assert agent.is_listener
    assert agent.category == "computer"


def test_newlines_are_removed_before_matching():
    # A bot cannot hide behind a line break at the start of its agent.
    assert classify("\r\ncurl/8.5.0").kind == AgentKind.BOT


def test_very_long_agents_cost_no_more_than_their_first_part():
    long_agent = "Mozilla/5.0 (Linux; Android 14) " + "A" * 100_000
    assert classify(long_agent).kind == AgentKind.UNKNOWN
    assert len(agents.normalise(long_agent)) == agents.MAX_AGENT_CHARS


@pytest.mark.parametrize(
    ("user_agent", "count"),
    [
        ("Feedly/1.0 (+http://www.feedly.com/fetcher.html; 16 subscribers)", 16),
        ("Overcast/1.0 Podcast Sync (12 subscribers; feed-id=1234567; +http://overcast.fm/)", 12),
        ("Overcast/1.0 Podcast Sync (1 subscribers; feed-id=1234567; +http://overcast.fm/)", 1),
        ("Feedly/1.0 (+http://www.feedly.com/fetcher.html; like FeedFetcher-Google)", None),
        # Made-up agents and absurd numbers are not believed.
        ("MyReader/1.0 (5000 subscribers)", None),
        ("Feedly/1.0 (+http://www.feedly.com/fetcher.html; 999999999 subscribers)", None),
        ("Feedly/1.0 (+http://www.feedly.com/fetcher.html; 0 subscribers)", None),
    ],
)
def test_subscriber_counts_announced_by_feed_fetchers(user_agent, count):
    assert announced_subscribers(user_agent, classify(user_agent)) == count


def test_bot_names_follow_the_current_data():
    assert agents.is_bot_name("Googlebot")
    assert agents.is_bot_name("curl")
    assert not agents.is_bot_name("Apple Podcasts")
