"""Episodes published before automatic transcripts existed are searchable
after the upgrade (migration 0009 fills the index)."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade

from mediahub.core.extensions import db
from mediahub.review import services as review


def test_episodes_from_before_the_upgrade_are_found(client, make_user, make_group, make_episode):
    author, editor = make_user("Ana"), make_user("Edi")
    group = make_group("wald", members={author: "member", editor: "editor"})
    episode = make_episode(group, author, title="Waldbaden im Herbst")
    episode.transcript_vtt = "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Sprecherin 1>Birkenpilze\n"
    review.submit(episode, author)
    review.approve(episode, editor)
    db.session.commit()
    assert "Waldbaden" in client.get("/?q=birkenpilze").get_data(as_text=True)
    db.session.remove()
    downgrade(revision="0011_listener_statistics")  # before the index existed
    try:
        upgrade()
        for words in ("birkenpilze", "waldbaden herbst"):
            assert "Waldbaden im Herbst" in client.get(f"/?q={words}").get_data(as_text=True)
    finally:
        upgrade()
