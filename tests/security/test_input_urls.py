"""Web addresses are checked as web addresses wherever one is taken (the
group's donation link, by the API and the settings page): http or https, a
real host (stored in its IDNA form), nothing that could end an attribute."""

from __future__ import annotations

import feedparser
import pytest

from mediahub.core.extensions import db
from mediahub.groups.models import Group

from .input_setup import SLUG, feed_xml, make_team

NS = {"podcast": "https://podcastindex.org/namespace/1.0"}

REFUSED = [
    'https://spenden.example.org/"><script>alert(1)</script>',
    "https://spenden.example.org/'onmouseover='alert(1)",
    "https://spenden.example.org/<b>",
    "javascript:alert(1)",
    "JaVaScRiPt://example.org/%0aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://example.org/spenden",
    "//example.org/spenden",
    "https://",
    "https:///spenden",
    "https://exa mple.org/",
    "https://example.org/a b",
    "https://example.org/\\..\\",
    "https://user:secret@example.org/",
    "https://example.org:99999/",
    "https://localhost/spenden",
    "https://xn--zz.org/",
    "https://" + "a" * 64 + ".org/",
    "https://example.org/" + "a" * 500,
    "spenden.example.org",
]

ACCEPTED = [
    ("https://spenden.example.org/gruppe?x=1#oben", "https://spenden.example.org/gruppe?x=1#oben"),
    ("HTTPS://Spenden.Example.ORG/Gruppe", "https://spenden.example.org/Gruppe"),
    ("https://bücher.de/spenden", "https://xn--bcher-kva.de/spenden"),
    ("https://example.org/spenden/für-uns", "https://example.org/spenden/f%C3%BCr-uns"),
    ("http://192.0.2.7:8080/spenden", "http://192.0.2.7:8080/spenden"),
    ("  https://example.org/  ", "https://example.org/"),
]


@pytest.fixture
def team(make_user, make_group, api_token):
    return make_team(make_user, make_group, api_token)


@pytest.mark.parametrize("url", REFUSED)
def test_the_api_refuses_what_is_no_web_address(client, team, url):
    resp = client.patch(
        f"/api/v1/groups/{SLUG}", json={"funding_url": url}, headers=team.as_manager
    )
    assert resp.status_code == 422, resp.get_json()
    assert "funding_url" in resp.get_json()["error"]["fields"]
    assert db.session.get(Group, team.group.id).funding_url is None


@pytest.mark.parametrize(("url", "stored"), ACCEPTED)
def test_web_addresses_are_kept_in_one_spelling(client, team, url, stored):
    resp = client.patch(
        f"/api/v1/groups/{SLUG}", json={"funding_url": url}, headers=team.as_manager
    )
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["funding_url"] == stored
    funding = feed_xml(client).find("channel/podcast:funding", NS)
    assert funding.get("url") == stored


@pytest.mark.parametrize("url", REFUSED[:6])
def test_the_settings_page_refuses_them_too(client, team, login, url):
    login(team.manager)
    resp = client.post_form(
        f"/groups/{SLUG}/manage",
        {
            "name": "Angst Hamburg",
            "language": "de",
            "category": "anxiety",
            "visibility": "public",
            "funding_url": url,
        },
    )
    assert resp.status_code == 422
    assert 'id="funding_url-error"' in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Group, team.group.id).funding_url is None


def test_no_markup_reaches_the_feed(client, team):
    client.patch(
        f"/api/v1/groups/{SLUG}",
        json={"funding_url": 'https://x.org/"><script>alert(1)</script>'},
        headers=team.as_manager,
    )
    resp = client.get(f"/feeds/{SLUG}/podcast.xml")
    body = resp.get_data(as_text=True)
    resp.close()
    assert "<script" not in body
    assert not feedparser.parse(body).bozo


def test_an_empty_address_removes_the_link(client, team):
    client.patch(
        f"/api/v1/groups/{SLUG}",
        json={"funding_url": "https://example.org/"},
        headers=team.as_manager,
    )
    resp = client.patch(f"/api/v1/groups/{SLUG}", json={"funding_url": ""}, headers=team.as_manager)
    assert resp.status_code == 200
    assert resp.get_json()["funding_url"] is None
