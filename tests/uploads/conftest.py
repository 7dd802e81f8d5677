"""Fixtures of the upload tests: a member, her draft episode, her API headers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mediahub.core.extensions import db

TUS = {"Tus-Resumable": "1.0.0"}


@pytest.fixture
def anna(make_user, make_group):
    user = make_user("Anna")
    make_group("trauer", members={user: "member"})
    return user


@pytest.fixture
def episode(anna, make_episode):
    from mediahub.groups.models import Group

    group = db.session.scalar(select(Group).where(Group.slug == "trauer"))
    return make_episode(group, anna, title="Herbst", audio=False)


@pytest.fixture
def headers(anna, api_token):
    return {**api_token(anna), **TUS}
