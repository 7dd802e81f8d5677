"""The statistics migration goes down and up on both engines, with figures in
its tables and people's data in the others."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from mediahub.core.extensions import db
from tests.stats.conftest import PODCASTS, count, listen

STATS_TABLES = {
    "stats_day_secrets",
    "stats_events",
    "stats_daily",
    "stats_episode_days",
    "stats_group_days",
    "stats_feed_days",
    "stats_rollup_state",
}


def _tables():
    with db.engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def _rows(table):
    with db.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608


def test_the_statistics_tables_go_down_and_up(app, client, team, people, publish):
    episode = publish(team(), people["member"])
    listen(client, f"/media/episodes/{episode.guid}.mp3", PODCASTS)
    count(app)
    assert all(_rows(t) for t in ("stats_events", "stats_daily", "stats_day_secrets"))
    episodes, groups = _rows("episodes"), _rows("groups")
    db.session.remove()
    downgrade(revision="0010_password_resets")
    try:
        assert not STATS_TABLES & _tables()
        assert (_rows("episodes"), _rows("groups")) == (episodes, groups)
    finally:
        upgrade()
    assert _tables() >= STATS_TABLES
    assert (_rows("episodes"), _rows("groups")) == (episodes, groups)
