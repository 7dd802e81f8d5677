"""My page, the editors' queue and the decision page, as people use them."""

from __future__ import annotations

import datetime as dt

import pytest

from mediahub.core.extensions import db
from mediahub.review import services as review
from mediahub.review.models import ReviewEvent
from mediahub.review.workflow import ItemState


def text(resp) -> str:
    return resp.get_data(as_text=True)


@pytest.fixture
def people(make_user, make_group):
    """Anna writes, Edith and Emil edit the group "trauer"; Mia manages "eltern"."""
    anna, edith, emil, mia = (make_user(n) for n in ("Anna", "Edith", "Emil", "Mia"))
    make_group(
        "trauer", name="Trauer Hamburg", members={anna: "member", edith: "editor", emil: "editor"}
    )
    make_group("eltern", name="Eltern", members={mia: "manager", anna: "manager"})
    return anna, edith, emil, mia


def submitted_post(make_post, author, slug="trauer", title="Mein Weg"):
    from mediahub.groups.services import group_by_slug

    post = make_post(group_by_slug(slug), author, title=title)
    review.submit(post, author)
    db.session.commit()
    return post


def test_my_page_lists_groups_roles_items_and_the_editors_note(people, browser, make_post):
    anna, edith, *_ = people
    post = submitted_post(make_post, anna)
    review.request_changes(post, edith, comment="Bitte den Nachnamen weglassen.")
    db.session.commit()
    html = text(browser(anna).get("/my"))
    assert "Trauer Hamburg" in html
    assert "Ihre Rolle: Mitglied" in html
    assert "Ihre Rolle: Gruppenleitung" in html
    assert html.count("Gruppe verwalten") == 1  # only where she manages
    assert "/groups/trauer/episodes/new" in html
    assert "/groups/eltern/posts/new" in html
    assert "Mein Weg" in html
    assert "Änderungen erbeten" in html
    assert "Bitte den Nachnamen weglassen." in html


def test_my_page_tells_editors_what_waits_for_them(people, browser, make_post, make_user):
    anna, edith, *_ = people
    submitted_post(make_post, anna)
    html = text(browser(edith).get("/my"))
    assert "1 Eintrag wartet auf Ihre Prüfung." in html
    assert 'href="/review"' in html  # the Review link in the header
    newcomer = text(browser(make_user("Neu")).get("/my"))
    assert 'href="/review"' not in newcomer
    assert "Sie sind noch in keiner Gruppe." in newcomer


def test_queue_shows_only_items_the_person_may_decide(people, browser, make_post):
    anna, edith, _emil, mia = people
    submitted_post(make_post, anna, title="Von Anna")
    submitted_post(make_post, edith, title="Von Edith")
    submitted_post(make_post, mia, slug="eltern", title="Von Mia")
    html = text(browser(edith).get("/review"))
    assert "Von Anna" in html
    assert "Von Edith" not in html  # her own
    assert "Von Mia" not in html  # another group
    assert "Von Mia" in text(browser(anna).get("/review"))  # Anna manages "eltern"


def test_a_long_queue_comes_in_pages_oldest_first(people, browser, make_post, monkeypatch):
    from mediahub.review import views

    monkeypatch.setattr(views, "QUEUE_PAGE", 2)
    anna, edith, *_ = people
    for n in range(5):
        submitted_post(make_post, anna, title=f"Beitrag {n}")
    client = browser(edith)
    first, last = text(client.get("/review")), text(client.get("/review?page=3"))
    assert "Beitrag 0" in first and "Beitrag 1" in first and "Beitrag 2" not in first
    assert "Beitrag 4" in last and "Beitrag 3" not in last
    assert 'rel="next"' in first and 'rel="next"' not in last
    assert client.get("/review?page=4").status_code == 404
    assert client.get("/review?page=x").status_code == 200  # nonsense means page 1


def test_group_editor_cannot_approve_her_own_post(people, browser, make_post):
    _anna, edith, *_ = people
    post = submitted_post(make_post, edith)
    editor = browser(edith)
    page = text(editor.get(f"/review/posts/{post.id}"))
    assert "Das ist Ihr eigener Eintrag." in page
    assert 'name="decision"' not in page
    resp = editor.post_form(f"/review/posts/{post.id}", {"decision": "approve"})
    assert resp.status_code == 403
    db.session.refresh(post)
    assert post.status == ItemState.IN_REVIEW


def test_admin_approves_own_post_and_it_is_recorded(make_user, make_group, browser, make_post):
    admin = make_user("Ada", hub_role="admin")
    make_group("trauer")
    post = submitted_post(make_post, admin)
    resp = browser(admin).post_form(f"/review/posts/{post.id}", {"decision": "approve"})
    assert resp.status_code == 302
    event = db.session.scalars(db.select(ReviewEvent).order_by(ReviewEvent.id.desc())).first()
    assert event.is_self_review
    assert "als Administration freigegeben" in text(browser(admin).get(f"/posts/{post.id}"))


def test_asking_for_changes_needs_a_comment(people, browser, make_post):
    anna, edith, *_ = people
    post = submitted_post(make_post, anna)
    resp = browser(edith).post_form(
        f"/review/posts/{post.id}", {"decision": "request_changes", "changes-comment": " "}
    )
    assert resp.status_code == 422
    html = text(resp)
    assert 'id="changes-comment-error"' in html
    assert "Bitte schreiben Sie, was geändert werden soll." in html
    db.session.refresh(post)
    assert post.status == ItemState.IN_REVIEW


def test_declining_with_a_reason(people, browser, make_post):
    anna, edith, *_ = people
    post = submitted_post(make_post, anna)
    resp = browser(edith).post_form(
        f"/review/posts/{post.id}",
        {"decision": "reject", "reject-comment": "Das passt nicht zu unserer Gruppe."},
    )
    assert resp.status_code == 302
    db.session.refresh(post)
    assert post.status == ItemState.REJECTED
    html = text(browser(anna).get("/my"))
    assert "Nicht angenommen" in html
    assert "Das passt nicht zu unserer Gruppe." in html


def test_approving_later_schedules_in_berlin_time(people, browser, make_post):
    anna, edith, *_ = people
    post = submitted_post(make_post, anna)
    resp = browser(edith).post_form(
        f"/review/posts/{post.id}",
        {
            "decision": "schedule",
            "schedule-publish_date": "2031-07-01",
            "schedule-publish_time": "18:30",
        },
    )
    assert resp.status_code == 302
    db.session.refresh(post)
    assert post.status == ItemState.SCHEDULED
    # Summer time in Berlin is UTC+2.
    assert post.publish_at == dt.datetime(2031, 7, 1, 16, 30, tzinfo=dt.UTC)
    assert "Geplant" in text(browser(anna).get(f"/posts/{post.id}"))


@pytest.mark.parametrize(
    ("date", "time", "field", "message"),
    [
        ("", "18:30", "schedule-publish_date", "Bitte wählen Sie ein Datum."),
        ("2031-01-15", "", "schedule-publish_time", "Bitte wählen Sie eine Uhrzeit."),
        ("2001-01-15", "10:00", "schedule-publish_time", "in der Zukunft"),
    ],
)
def test_approving_later_needs_a_date_and_time_ahead(
    people, browser, make_post, date, time, field, message
):
    anna, edith, *_ = people
    post = submitted_post(make_post, anna)
    resp = browser(edith).post_form(
        f"/review/posts/{post.id}",
        {
            "decision": "schedule",
            "schedule-publish_date": date,
            "schedule-publish_time": time,
            "schedule-comment": "Schön geschrieben",
        },
    )
    assert resp.status_code == 422
    html = text(resp)
    assert f'id="{field}-error"' in html
    assert message in html
    assert "Schön geschrieben" in html
    db.session.refresh(post)
    assert post.status == ItemState.IN_REVIEW


def test_unknown_decision_is_a_bad_request(people, browser, make_post):
    anna, edith, *_ = people
    post = submitted_post(make_post, anna)
    resp = browser(edith).post_form(f"/review/posts/{post.id}", {"decision": "maybe"})
    assert resp.status_code == 400


def test_episode_review_page_has_the_player_and_waits_for_ready_audio(
    people, browser, make_episode, audio_asset
):
    from mediahub.groups.services import group_by_slug

    anna, edith, *_ = people
    episode = make_episode(group_by_slug("trauer"), anna, audio=False, description="*Notizen*")
    episode.audio = audio_asset("processing")
    review.submit(episode, anna)
    db.session.commit()
    editor = browser(edith)
    page = text(editor.get(f"/review/episodes/{episode.id}"))
    assert "<em>Notizen</em>" in page
    assert "<audio" not in page
    resp = editor.post_form(f"/review/episodes/{episode.id}", {"decision": "approve"})
    assert resp.status_code == 409
    assert "Die Aufnahme ist noch nicht fertig bearbeitet" in text(resp)

    episode.audio.status = "ready"
    db.session.commit()
    assert "<audio controls" in text(editor.get(f"/review/episodes/{episode.id}"))
    resp = editor.post_form(f"/review/episodes/{episode.id}", {"decision": "approve"})
    assert resp.status_code == 302
    db.session.refresh(episode)
    assert episode.status == ItemState.PUBLISHED


def test_editor_takes_a_published_post_offline_with_a_reason(people, browser, make_post):
    anna, edith, emil, _ = people
    post = submitted_post(make_post, anna)
    review.approve(post, emil)
    db.session.commit()
    editor = browser(edith)
    assert "Offline nehmen" in text(editor.get(f"/review/posts/{post.id}"))
    resp = editor.post_form(f"/posts/{post.id}/unpublish", {"comment": "Auf Wunsch der Autorin."})
    assert resp.status_code == 302
    db.session.refresh(post)
    assert post.status == ItemState.ARCHIVED
    assert "Auf Wunsch der Autorin." in text(browser(anna).get(f"/posts/{post.id}"))


def test_a_decision_made_meanwhile_by_another_editor_is_explained(people, browser, make_post):
    anna, edith, emil, _ = people
    post = submitted_post(make_post, anna)
    first, second = browser(emil), browser(edith)
    assert 'name="decision"' in text(second.get(f"/review/posts/{post.id}"))
    assert first.post_form(f"/review/posts/{post.id}", {"decision": "approve"}).status_code == 302
    resp = second.post_form(
        f"/review/posts/{post.id}", {"decision": "request_changes", "changes-comment": "Kürzer"}
    )
    assert resp.status_code == 409
    html = text(resp)
    assert "solange der Eintrag im Zustand „veröffentlicht“ ist" in html
    assert 'name="decision"' not in html
