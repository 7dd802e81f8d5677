"""HTML views of the admin feature: people and groups of the hub (admins only)."""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from mediahub.accounts import password_reset
from mediahub.accounts import services as accounts
from mediahub.accounts.models import HubRole, User
from mediahub.admin import services
from mediahub.admin.blueprint import bp
from mediahub.admin.forms import GroupCreateForm, PersonCreateForm, PersonUpdateForm, SiteTextsForm
from mediahub.core.extensions import db
from mediahub.core.search import clean_query
from mediahub.groups import services as groups
from mediahub.groups.forms import VISIBILITY_HINTS
from mediahub.groups.models import Group, Membership
from mediahub.site.models import SiteTextKey
from mediahub.site.texts import LANGUAGES, all_texts, field_name, save_texts
from mediahub.web.actions import button_action, form_action
from mediahub.web.forms import ActionForm
from mediahub.web.pages import render_page
from mediahub.web.paging import seek

#: People and groups per page of the admin lists (a national hub has 100,000
#: groups: the lists are searched and paged by the row after, never by number).
PER_PAGE = 50


@bp.route("/")
def index() -> Any:
    """The administration's start page."""
    people, groups = services.row_count(User), services.row_count(Group)
    return render_page("admin/index.html", people=people, groups=groups)


def _people_page(
    status: int | None = None,
    create_form: PersonCreateForm | None = None,
    posted: tuple[int, PersonUpdateForm] | None = None,
) -> Any:
    """One page of the people list; ``posted`` is the (person id, form) that was
    just sent (shown first, wherever its page is)."""
    rows = []
    text = clean_query(request.args.get("q"))
    page = seek(services.people_matching(text), User, services.PEOPLE_ORDER, PER_PAGE)
    shown = page.items
    if posted and posted[0] not in {p.id for p in shown}:
        shown = [services.person(posted[0]), *shown]
    for person in shown:
        if posted and posted[0] == person.id:
            form = posted[1]
        else:
            form = PersonUpdateForm(
                prefix=f"person-{person.id}",
                formdata=None,
                data={
                    "email": person.email,
                    "hub_role": person.hub_role.value,
                    "is_active": person.is_active,
                },
            )
        rows.append((person, form))
    return render_page(
        "admin/people.html",
        status,
        rows=rows,
        page=page,
        q=text,
        create_form=create_form or PersonCreateForm(formdata=None),
        action_form=ActionForm(formdata=None),
    )


@bp.route("/people", methods=["GET", "POST"])
def people() -> Any:
    """Everybody with an account; a POST creates a new account."""
    form = PersonCreateForm()
    if not form.is_submitted():
        return _people_page()
    outcome = form_action(
        form,
        lambda: accounts.create_user(
            form.email.data or "",
            form.display_name.data or "",
            form.password.data or None,
            HubRole(form.hub_role.data),
        ),
        done=_created,
        to=lambda _: url_for("admin.people"),
    )
    if outcome.response:
        return outcome.response
    return _people_page(outcome.status, create_form=form)


def _created(person: User) -> Any:
    if person.password_hash is None:
        return _l(
            "The account of %(name)s is created. To let them choose a password, send them "
            "the link with the button in the list.",
            name=person.display_name,
        )
    return _l("The account of %(name)s is created.", name=person.display_name)


@bp.route("/people/<int:user_id>/password-link", methods=["POST"])
def send_password_link(user_id: int) -> Any:
    """Mail the person a link to choose a password: a first one for an
    account created without, or a new one for a person who cannot log in."""
    person = services.person(user_id)
    return button_action(
        ActionForm(),
        lambda: password_reset.send_link(person, actor=current_user),
        done=_l(
            "A link to choose a password is on its way to %(email)s. It works for one hour.",
            email=person.email,
        ),
        to=url_for("admin.people"),
    )


@bp.route("/people/<int:user_id>", methods=["POST"])
def update_person(user_id: int) -> Any:
    """Change a person's email address or hub role, or deactivate (or
    reactivate) the account. A new address applies at once; the old one gets
    a notice."""
    person = services.person(user_id)
    form = PersonUpdateForm(prefix=f"person-{person.id}")
    outcome = form_action(
        form,
        lambda: services.change_person(
            person,
            actor=current_user,
            email=form.email.data or None,  # left empty: unchanged
            hub_role=HubRole(form.hub_role.data),
            is_active=form.is_active.data,
        ),
        done=_l("The changes for %(name)s are saved.", name=person.display_name),
        to=lambda _: url_for("admin.people"),
    )
    if outcome.response:
        return outcome.response
    return _people_page(outcome.status, posted=(person.id, form))


@bp.route("/groups", methods=["GET", "POST"])
def groups_list() -> Any:
    """All groups of the hub; a POST founds a new one."""
    form = GroupCreateForm()
    outcome = form_action(
        form,
        lambda: groups.create_group({n: getattr(form, n).data for n in GroupCreateForm.FIELDS}),
        done=_l("The group is created. Now add its members."),
        to=lambda group: url_for("groups.manage_group", slug=group.slug),
    )
    if outcome.response:
        return outcome.response
    text = clean_query(request.args.get("q"))
    page = seek(services.groups_matching(text), Group, services.GROUPS_ORDER, PER_PAGE)
    counts = dict(
        db.session.execute(
            select(Membership.group_id, func.count())
            .where(Membership.group_id.in_([g.id for g in page.items]))
            .group_by(Membership.group_id)
        ).all()
    )
    return render_page(
        "admin/groups.html",
        outcome.status,
        form=form,
        groups=page.items,
        page=page,
        q=text,
        member_counts=counts,
        visibility_hints=VISIBILITY_HINTS,
    )


_TEXT_FIELDS = [
    (key, language, field_name(key, language)) for key in SiteTextKey for language in LANGUAGES
]


@bp.route("/texts", methods=["GET", "POST"])
def site_texts() -> Any:
    """The hub's Impressum, privacy policy and help footer, in German and English."""
    stored = all_texts()
    form = SiteTextsForm(
        data={name: stored.get((key, lang), "") for key, lang, name in _TEXT_FIELDS}
    )
    outcome = form_action(
        form,
        lambda: save_texts(
            {(key, lang): form[name].data for key, lang, name in _TEXT_FIELDS}, current_user
        ),
        done=_l("The texts of the website are saved."),
        to=lambda _: url_for("admin.site_texts"),
    )
    return outcome.response or render_page("admin/texts.html", outcome.status, form=form)
