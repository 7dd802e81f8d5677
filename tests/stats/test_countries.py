"""Countries of downloads: recorded only when the hub turns them on, as a code."""

from __future__ import annotations

import pytest

from mediahub.core.extensions import db
from mediahub.stats.models import StatsEvent
from tests.stats.conftest import ANTENNAPOD, count, listen

#: Three German networks (2a01:4f8::/32), an American address and one of no
#: country (documentation range): two small cells, so the third is shown.
GERMAN = ["2a01:4f8:1:1::7", "2a01:4f8:2:2::7", "2a01:4f8:3:3::7"]
AMERICAN = "8.8.8.8"
NOWHERE = "192.0.2.1"


@pytest.fixture
def heard(app, client, team, people, publish):
    group = team()
    episode = publish(group, people["member"])
    for address in [*GERMAN, AMERICAN, NOWHERE]:
        listen(client, f"/media/episodes/{episode.guid}.mp3", ANTENNAPOD, address)
    count(app)
    return group


@pytest.fixture
def app_config(app_config, request):
    return {**app_config, "STATS_COUNTRIES": getattr(request, "param", False)}


@pytest.mark.parametrize("app_config", [True], indirect=True)
def test_the_country_is_counted_when_the_hub_turns_it_on(client, api_token, people, heard):
    answer = client.get(f"/api/v1/groups/{heard.slug}/stats", headers=api_token(people["manager"]))
    assert answer.status_code == 200
    by_country = {row["country"]: row["downloads"] for row in answer.get_json()["by_country"]}
    assert by_country == {"DE": 3, "US": "fewer than 3", None: "fewer than 3"}
    assert {e.country for e in db.session.query(StatsEvent)} == {"DE", "US", ""}


def test_no_country_is_recorded_by_default(client, api_token, people, heard):
    answer = client.get(f"/api/v1/groups/{heard.slug}/stats", headers=api_token(people["manager"]))
    assert answer.get_json()["downloads"] == 5
    assert {e.country for e in db.session.query(StatsEvent)} == {""}
    assert all(row["country"] is None for row in answer.get_json()["by_country"])
