"""Reviewable item kinds: a registry the workflow, its pages and its queue
work from, so that review knows no concrete kind."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from mediahub.core.extensions import db
from mediahub.episodes.kind import EPISODE
from mediahub.posts.kind import POST
from mediahub.review import services as review
from mediahub.review.kinds import kind_by_collection, kind_by_name, kind_of, kinds


def test_episodes_and_posts_are_registered_kinds(app, make_user, make_group, make_post):
    assert {k.name for k in kinds()} >= {"episode", "post"}
    assert kind_by_name("episode") is EPISODE
    assert kind_by_collection("posts") is POST
    author = make_user()
    post = make_post(make_group(members={author: "member"}), author)
    assert kind_of(post) is POST
    with pytest.raises(LookupError):
        kind_by_collection("videos")


def test_an_address_of_no_kind_is_not_found(app, browser, make_user):
    me = browser(make_user())
    for url in ("/videos/1", "/videos/1/submit", "/review/videos/1", "/episode/1"):
        assert me.get(url).status_code in {404, 405}, url


@pytest.fixture
def statements(app: Any) -> Any:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def test_the_review_queue_is_decided_by_one_query(
    app, make_user, make_group, make_post, make_episode, statements
):
    """Who may decide is asked in SQL: the queue is one query over every kind,
    then one query per kind to load the rows found — however many items wait."""
    editor, author = make_user("Editor"), make_user("Author")
    group = make_group(members={editor: "editor", author: "member"})
    other = make_group(members={author: "member"})
    mine = make_post(group, editor)  # an editor's own item: never theirs to decide
    waiting = []
    for n in range(6):
        item = (make_post if n % 2 else make_episode)(group, author, title=f"Item {n}")
        review.submit(item, author)
        waiting.append(item)
    review.submit(make_post(other, author), author)  # a group they do not review
    review.submit(mine, editor)
    db.session.commit()
    db.session.expire_all()
    assert editor.is_hub_editor is False  # the caller is loaded before counting
    statements.clear()
    queue = review.review_queue(editor)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # The queue, then per kind (posts, episodes) the rows by id with their
    # groups and authors: a fixed number, however many items wait.
    assert len(selects) == 7, selects
    assert [(i.item_type, i.id) for i in queue] == [(i.item_type, i.id) for i in waiting]
    statements.clear()
    assert {(i.group.name, i.author.display_name) for i in queue}  # what the page shows
    assert statements == []  # loaded already, not one query per item
    assert review.review_queue_size(editor) == 6


def test_an_admin_decides_on_their_own_items(app, make_user, make_group, make_post):
    admin = make_user(hub_role="admin")
    post = make_post(make_group(), admin)
    review.submit(post, admin)
    db.session.commit()
    assert [i.id for i in review.review_queue(admin)] == [post.id]


def test_my_items_of_every_kind_newest_change_first(
    app, make_user, make_group, make_post, make_episode
):
    author = make_user()
    group = make_group(members={author: "member"})
    first = make_post(group, author, title="First")
    second = make_episode(group, author, title="Second")
    make_post(group, author, title="Third")
    second.title = "Second, changed last"
    db.session.commit()
    order = [i.title for i in review.items_by_author(author)]
    assert order == ["Second, changed last", "Third", "First"]
    assert {kind_of(i) for i in (first, second)} == {POST, EPISODE}


def test_the_audit_history_has_one_query_function(app, make_user, make_group, make_post):
    author = make_user()
    post = make_post(make_group(members={author: "member"}), author)
    review.submit(post, author)
    db.session.commit()
    assert [e.action for e in review.history_for("post", post.id)] == ["submit"]
    review.forget_history("post", post.id)
    assert review.history_for("post", post.id) == []
