"""A group with an author and two reviewers who read mail in different languages."""

from __future__ import annotations

import pytest

from mediahub.accounts.services import update_user
from mediahub.core.extensions import db


@pytest.fixture
def team(inbox, make_user, make_group):
    """Anna (member), Eva (editor, German) and Mia (manager, English) in "Trauer"."""
    anna = make_user("Anna", email="anna@example.org")
    eva = make_user("Eva", email="eva@example.org")
    mia = make_user("Mia", email="mia@example.org")
    update_user(mia, locale="en")
    db.session.commit()
    group = make_group(
        "trauer", name="Trauer", members={anna: "member", eva: "editor", mia: "manager"}
    )
    return anna, eva, mia, group
