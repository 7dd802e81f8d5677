"""The review mails speak of a clip as a clip (not as a post)."""

from __future__ import annotations

from mediahub.clips.services import create_clip
from mediahub.core.extensions import db
from mediahub.review import services as review


def _about(inbox, address: str, words: str) -> list:
    return [m for m in inbox.to(address) if words in m["Subject"] or words in inbox.body(m)]


def test_the_editors_and_the_author_are_told_about_a_clip(inbox, team):
    anna, eda, _group, episode = team
    clip = create_clip(episode, anna, {"title": "Der Kern", "start_s": 2.0, "duration_s": 6.0})
    review.submit(clip, anna)
    db.session.commit()
    (asked,) = [m for m in inbox.to(eda.email) if m["Subject"].endswith("Der Kern")]
    assert asked["Subject"] == "Neuer Clip zum Prüfen: Der Kern"
    assert "einen Clip zum Prüfen geschickt" in inbox.body(asked)
    assert inbox.link(asked) == f"/review/clips/{clip.id}"

    review.decide(clip, eda, "request_changes", comment="Bitte kürzer.")
    db.session.commit()
    (changes,) = _about(inbox, anna.email, "in Ihrem Clip „Der Kern“")
    assert "weil der Clip von Ihnen ist" in inbox.body(changes)
    assert all("Beitrag" not in inbox.body(m) for m in inbox.to(anna.email))
