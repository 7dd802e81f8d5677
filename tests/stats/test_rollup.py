"""The worker's pass and the command: whole days counted again, raw events and
secrets dropped when their time is up, client addresses from trusted proxies."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, insert, select

from mediahub import create_app
from mediahub.core.config import ConfigError
from mediahub.core.extensions import db
from mediahub.stats import services
from mediahub.stats.models import StatsDaily, StatsDaySecret, StatsEpisodeDay, StatsEvent
from mediahub.stats.recording import hub_zone, recording_of
from tests.stats.conftest import ANTENNAPOD, NEEDED, PODCASTS, SIZE, downloads, listen


def _at(app, day: dt.date, hour: int = 12, minute: int = 0) -> float:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=hub_zone(app)).timestamp()


def _event(episode, day, listener, **kw):
    return {
        "day": day,
        "kind": "audio",
        "group_id": episode.group_id,
        "episode_id": episode.id,
        "feed": None,
        "listener": listener,
        "agent_kind": kw.get("agent_kind", "app"),
        "agent": kw.get("agent", "AntennaPod"),
        "device": "",
        "category": kw.get("category", "mobile"),
        "country": kw.get("country", "DE"),
        "start": 0,
        "stop": SIZE,
        "needed": NEEDED,
        "subscribers": None,
    }


@pytest.fixture
def episode(team, people, publish):
    return publish(team(), people["member"])


def _count(table, **where):
    query = select(func.count()).select_from(table)
    for name, value in where.items():
        query = query.where(getattr(table, name) == value)
    return db.session.scalar(query)


def test_raw_events_are_kept_raw_days_and_the_rollups_forever(app, episode):
    today = dt.date(2026, 3, 14)
    old, recent = today - dt.timedelta(days=31), today - dt.timedelta(days=29)
    db.session.execute(insert(StatsEvent), [_event(episode, old, 1), _event(episode, recent, 2)])
    db.session.commit()
    results = services.rebuild(db.engine, hub_zone(app))
    assert [r.day for r in results] == [old, recent]
    report = services.run_pass(db.engine, hub_zone(app), 30, now=_at(app, today))
    assert report.pruned == 1
    assert _count(StatsEvent) == 1
    # The old day's figures stay, and a rebuild leaves them alone.
    services.rebuild(db.engine, hub_zone(app))
    assert _count(StatsEpisodeDay, day=old) == 1
    assert _count(StatsDaily, day=old) == 1


def test_rebuild_since_a_day(app, episode, runner):
    days = [dt.date(2026, 3, d) for d in (1, 2, 3)]
    db.session.execute(insert(StatsEvent), [_event(episode, d, 7) for d in days])
    db.session.commit()
    result = runner.invoke(args=["stats", "rollup", "--rebuild", "--since", "2026-03-02"])
    assert result.exit_code == 0, result.output
    assert "Counted 2 day(s) again from 2 raw events: 2 downloads." in result.output
    assert _count(StatsEpisodeDay) == 2


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--since", "2026-03-02"], "--since goes with --rebuild"),
        # In the hub's language, as every message of the command line.
        (["--rebuild", "--since", "2026-02-30"], "JJJJ-MM-TT"),
        (["--rebuild", "--since", "1999-01-01"], "zwischen 2000 und 2099"),
    ],
)
def test_the_command_says_what_is_wrong(runner, args, says):
    result = runner.invoke(args=["stats", "rollup", *args])
    assert result.exit_code == 2
    assert says in result.output


def test_a_pass_counts_today_and_the_days_with_new_events(app, episode):
    today = dt.date(2026, 3, 14)
    late = today - dt.timedelta(days=3)
    db.session.execute(insert(StatsEvent), [_event(episode, late, 1), _event(episode, today, 2)])
    db.session.commit()
    report = services.run_pass(db.engine, hub_zone(app), 30, now=_at(app, today))
    assert {r.day for r in report.days} == {late, today}
    # Nothing new: only today again.
    report = services.run_pass(db.engine, hub_zone(app), 30, now=_at(app, today))
    assert [r.day for r in report.days] == [today]
    # Soon after midnight yesterday is counted again too.
    report = services.run_pass(db.engine, hub_zone(app), 30, now=_at(app, today, 0, 30))
    assert [r.day for r in report.days] == [today - dt.timedelta(days=1), today]


def test_the_secrets_of_past_days_are_destroyed_soon_after_midnight(app, client, episode):
    recording = recording_of(app)
    today = dt.date(2026, 3, 14)
    recording.secrets.secret_for(today - dt.timedelta(days=1))
    recording.secrets.secret_for(today)
    services.run_pass(db.engine, hub_zone(app), 30, now=_at(app, today, 0, 5))
    assert _count(StatsDaySecret) == 2  # within the grace: yesterday's hits may be waiting
    services.run_pass(db.engine, hub_zone(app), 30, now=_at(app, today, 0, 11))
    assert db.session.scalars(select(StatsDaySecret.day)).all() == [today]


def test_figures_of_a_deleted_episode_go_with_it(app, client, episode, people):
    listen(client, f"/media/episodes/{episode.guid}.mp3", PODCASTS)
    assert downloads(app, episode) == 1
    db.session.delete(episode)
    db.session.commit()
    assert _count(StatsEpisodeDay) == 0 and _count(StatsDaily) == 0
    services.rebuild(db.engine, hub_zone(app))  # its raw events are counted for nobody
    assert _count(StatsEpisodeDay) == 0


# -- the client's address ------------------------------------------------------------


def test_without_trusted_proxies_a_forwarded_address_is_ignored(app, client, episode):
    url = f"/media/episodes/{episode.guid}.mp3"
    # One app trying to look like many listeners by inventing addresses.
    for n in range(5):
        listen(client, url, ANTENNAPOD, headers={"X-Forwarded-For": f"192.0.2.{n}"})
    assert downloads(app, episode) == 1


def test_behind_one_trusted_proxy_the_forwarded_address_is_the_clients(app_config, episode):
    proxied = create_app({**app_config, "TRUSTED_PROXIES": 1})
    with proxied.app_context():
        client = proxied.test_client()
        url = f"/media/episodes/{episode.guid}.mp3"
        for n in range(3):
            # The client's own header comes first; our proxy appended the real address.
            forwarded = f"10.0.0.1, 192.0.2.{n}"
            resp = listen(
                client, url, ANTENNAPOD, "127.0.0.1", headers={"X-Forwarded-For": forwarded}
            )
            resp.close()
        listen(
            client, url, ANTENNAPOD, "127.0.0.1", headers={"X-Forwarded-For": "192.0.2.0"}
        ).close()
        assert downloads(proxied, episode) == 3


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("TRUSTED_PROXIES", -1),
        ("TRUSTED_PROXIES", True),
        ("STATS_RAW_DAYS", 0),
        ("STATS_FLUSH_SECONDS", float("nan")),
        ("STATS_BUFFER_URL", "http://redis"),
        ("BABEL_DEFAULT_TIMEZONE", "Mars/Olympus"),
    ],
)
def test_bad_settings_stop_the_start_with_their_name(app_config, key, value):
    with pytest.raises(ConfigError, match=key):
        create_app({**app_config, key: value})
