"""A person's clips are in their data export, and go with their account."""

from __future__ import annotations

import io
import json
import zipfile

from mediahub.clips.models import Clip
from mediahub.clips.services import create_clip
from mediahub.core.extensions import db
from mediahub.review import services as review

from ..conftest import PASSWORD


def test_my_clips_are_in_my_export_and_nobody_elses(team, browser):
    anna, eda, _group, episode = team
    create_clip(episode, anna, {"title": "Meiner", "start_s": 2.5, "duration_s": 6.0})
    create_clip(episode, eda, {"title": "Edas", "start_s": 1.0, "duration_s": 5.0})
    db.session.commit()
    resp = browser(anna).get("/account/export")
    assert resp.status_code == 200
    data = json.loads(zipfile.ZipFile(io.BytesIO(resp.get_data())).read("account.json"))
    assert [(c["title"], c["episode"], c["start_s"], c["duration_s"], c["status"])
            for c in data["clips"]] == [("Meiner", episode.guid, 2.5, 6.0, "draft")]  # fmt: skip


def test_deleting_my_account_removes_my_unpublished_clips(team, browser):
    anna, eda, _group, episode = team
    draft = create_clip(episode, anna, {"title": "Entwurf", "start_s": 2.5, "duration_s": 6.0})
    online = create_clip(episode, anna, {"title": "Online", "start_s": 9, "duration_s": 5.0})
    review.submit(online, anna)
    review.decide(online, eda, "approve", comment="")
    db.session.commit()
    draft_id, online_id = draft.id, online.id
    me = browser(anna)
    resp = me.post_form("/account/delete", {"password": PASSWORD, "confirm": "y"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Clip, draft_id) is None
    kept = db.session.get(Clip, online_id)
    assert kept is not None and kept.author_id is None
