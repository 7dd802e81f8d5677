"""Writing blog posts in the browser, and a post's whole way to the public page."""

from __future__ import annotations

import re

from sqlalchemy import select

from mediahub.core.extensions import db
from mediahub.posts.models import Post
from mediahub.review.workflow import ItemState


def text(resp) -> str:
    return resp.get_data(as_text=True)


def exists(post_id: int) -> bool:
    return db.session.scalar(select(Post.id).where(Post.id == post_id)) is not None


def field_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    assert match, f"no field {name}"
    return match.group(1)


def test_new_post_form_is_labelled_and_in_german(browser, make_user, make_group):
    anna = make_user("Anna")
    make_group("trauer", members={anna: "member"})
    resp = browser(anna).get("/groups/trauer/posts/new")
    assert resp.status_code == 200
    html = text(resp)
    assert "<h1>Neuer Beitrag</h1>" in html
    assert '<label for="title">Titel</label>' in html
    assert 'name="csrf_token"' in html


def test_missing_title_is_shown_at_the_field_and_the_text_is_kept(browser, make_user, make_group):
    anna = make_user("Anna")
    make_group("trauer", members={anna: "member"})
    resp = browser(anna).post_form(
        "/groups/trauer/posts/new", {"title": "  ", "body": "Mein langer Text"}
    )
    assert resp.status_code == 422
    html = text(resp)
    assert 'id="title-error"' in html
    assert 'aria-describedby="title-error"' in html
    assert "Bitte geben Sie einen Titel ein." in html
    assert "Mein langer Text" in html
    assert db.session.scalar(select(Post)) is None


def test_post_without_csrf_token_is_refused(browser, make_user, make_group):
    anna = make_user("Anna")
    make_group("trauer", members={anna: "member"})
    resp = browser(anna).post("/groups/trauer/posts/new", data={"title": "Hallo"})
    assert resp.status_code == 400
    assert db.session.scalar(select(Post)) is None


def test_stale_edit_keeps_the_typed_text_and_shows_the_saved_version(
    browser, make_user, make_group, make_post
):
    anna, edith = make_user("Anna"), make_user("Edith")
    group = make_group("trauer", members={anna: "member", edith: "editor"})
    post = make_post(group, anna, title="Alt", body="Erster Text")
    anna_browser, edith_browser = browser(anna), browser(edith)
    version = field_value(text(anna_browser.get(f"/posts/{post.id}/edit")), "version")
    ok = edith_browser.post_form(
        f"/posts/{post.id}/edit",
        {"title": "Von Edith", "body": "Korrigiert", "version": version},
    )
    assert ok.status_code == 302

    resp = anna_browser.post_form(
        f"/posts/{post.id}/edit",
        {"title": "Von Anna", "body": "Mein neuer Text", "version": version},
    )
    assert resp.status_code == 409
    html = text(resp)
    assert "Jemand anderes hat das geändert" in html
    assert "Mein neuer Text" in html  # her text is still in the form
    assert "Korrigiert" in html  # and the saved version is shown below
    new_version = field_value(html, "version")
    assert new_version != version

    # Saving again, knowingly, replaces the other version.
    resp = anna_browser.post_form(
        f"/posts/{post.id}/edit",
        {"title": "Von Anna", "body": "Mein neuer Text", "version": new_version},
    )
    assert resp.status_code == 302
    db.session.refresh(post)
    assert post.body == "Mein neuer Text"


def test_post_goes_from_draft_through_review_to_the_public_page(
    browser, anonymous, make_user, make_group
):
    anna, edith = make_user("Anna"), make_user("Edith")
    make_group("trauer", members={anna: "member", edith: "editor"})
    author, editor = browser(anna), browser(edith)

    resp = author.post_form(
        "/groups/trauer/posts/new", {"title": "Mein Weg", "body": "Ein *guter* Tag"}
    )
    assert resp.status_code == 302
    post = db.session.scalar(select(Post))
    assert resp.headers["Location"] == f"/posts/{post.id}"
    public = f"/groups/trauer/posts/{post.id}"
    assert anonymous.get(public).status_code == 404

    assert author.post_form(f"/posts/{post.id}/submit").status_code == 302
    assert "Mein Weg" in text(editor.get("/review"))
    resp = editor.post_form(
        f"/review/posts/{post.id}",
        {"decision": "request_changes", "changes-comment": "Bitte ohne Nachnamen."},
    )
    assert resp.status_code == 302
    assert anonymous.get(public).status_code == 404

    # The author reads the comment on her page and on the post's page.
    assert "Bitte ohne Nachnamen." in text(author.get("/my"))
    page = text(author.get(f"/posts/{post.id}"))
    assert "Bitte ohne Nachnamen." in page
    assert "Änderungen erbeten" in page
    version = field_value(text(author.get(f"/posts/{post.id}/edit")), "version")
    resp = author.post_form(
        f"/posts/{post.id}/edit",
        {"title": "Mein Weg", "body": "Ein *guter* Tag, ohne Namen", "version": version},
    )
    assert resp.status_code == 302
    assert author.post_form(f"/posts/{post.id}/submit").status_code == 302

    resp = editor.post_form(f"/review/posts/{post.id}", {"decision": "approve"})
    assert resp.status_code == 302
    db.session.refresh(post)
    assert post.status == ItemState.PUBLISHED
    resp = anonymous.get(public)
    assert resp.status_code == 200
    assert "<em>guter</em> Tag, ohne Namen" in text(resp)


def test_delete_asks_first_and_then_removes_the_draft(browser, make_user, make_group, make_post):
    anna = make_user("Anna")
    group = make_group("trauer", members={anna: "member"})
    post = make_post(group, anna)
    author = browser(anna)
    resp = author.get(f"/posts/{post.id}/delete")
    assert resp.status_code == 200
    assert "Ja, löschen" in text(resp)
    resp = author.post_form(f"/posts/{post.id}/delete")
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/my"
    assert not exists(post.id)


def test_published_post_must_be_taken_offline_before_deleting(
    browser, make_user, make_group, make_post
):
    from mediahub.review import services as review

    anna, admin = make_user("Anna"), make_user("Admin", hub_role="admin")
    group = make_group("trauer", members={anna: "member"})
    post = make_post(group, anna)
    review.submit(post, anna)
    review.approve(post, admin)
    db.session.commit()
    author = browser(anna)
    assert "Bitte nehmen Sie es zuerst offline" in text(author.get(f"/posts/{post.id}/delete"))
    resp = author.post_form(f"/posts/{post.id}/unpublish")
    assert resp.status_code == 302
    db.session.refresh(post)
    assert post.status == ItemState.ARCHIVED
    assert author.post_form(f"/posts/{post.id}/delete").status_code == 302
    assert not exists(post.id)


def test_someone_elses_published_post_opens_the_public_page(
    browser, make_user, make_group, make_post
):
    from mediahub.review import services as review

    anna, bert = make_user("Anna"), make_user("Bert")
    admin = make_user("Admin", hub_role="admin")
    group = make_group("trauer", members={anna: "member", bert: "member"})
    post = make_post(group, anna)
    review.submit(post, anna)
    review.approve(post, admin)
    db.session.commit()
    resp = browser(bert).get(f"/posts/{post.id}")
    assert resp.status_code == 302
    assert resp.headers["Location"] == f"/groups/trauer/posts/{post.id}"
