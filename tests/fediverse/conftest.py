"""A hub served over real HTTP on loopback, and a fediverse test server beside it."""

from __future__ import annotations

import pytest
from pubby.crypto import generate_rsa_keypair

from mediahub import create_app
from mediahub.core.extensions import db
from mediahub.fediverse import services

from .remote_server import RemoteServer, serving


@pytest.fixture(scope="session")
def _group_key_pair():
    return generate_rsa_keypair()


@pytest.fixture(autouse=True)
def _one_key_pair_for_groups(monkeypatch, _group_key_pair):
    """Groups switched on in these tests share one RSA key pair (made once:
    a 2048-bit pair takes about 60 ms). Test servers keep making their own,
    so a signature by another server's key still fails."""
    monkeypatch.setattr(services, "generate_rsa_keypair", lambda: _group_key_pair)


@pytest.fixture
def hub(app, app_config):
    """The hub served on 127.0.0.1 (its BASE_URL is that address)."""

    def build(base_url: str):
        config = {**app_config, "BASE_URL": base_url, "FEDIVERSE_ALLOW_PRIVATE_ADDRESSES": True}
        return create_app(config)

    with serving(build) as (hub_app, base_url), hub_app.app_context():
        yield hub_app, base_url
        db.session.remove()


@pytest.fixture
def remote():
    with serving(RemoteServer) as (server, _base):
        yield server


@pytest.fixture
def team(hub, make_user, make_group):
    anna, eda = make_user("Anna"), make_user("Eda")
    group = make_group("trauer", name="Trauercafé", members={anna: "member", eda: "manager"})
    services.set_presence(group, enabled=True, replies=True)
    db.session.commit()
    return anna, eda, group
