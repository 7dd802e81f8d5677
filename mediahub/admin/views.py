"""HTML views of the admin feature: people and groups of the hub (admins only)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from mediahub.accounts import email_change
from mediahub.accounts import services as accounts
from mediahub.accounts.models import HubRole, User
from mediahub.admin.blueprint import bp
from mediahub.admin.forms import GroupCreateForm, PersonCreateForm, PersonUpdateForm, SiteTextsForm
from mediahub.core.errors import DomainError, NotFound
from mediahub.core.extensions import db
from mediahub.groups import services as groups
from mediahub.groups.forms import VISIBILITY_HINTS
from mediahub.groups.models import Group, Membership
from mediahub.site.models import SiteTextKey
from mediahub.site.texts import LANGUAGES, all_texts, field_name, save_texts
from mediahub.web.pages import render_page, show_error


@bp.route("/")
def index() -> Any:
    """The administration's start page."""
    people = db.session.scalar(select(func.count()).select_from(User))
    group_count = db.session.scalar(select(func.count()).select_from(Group))
    return render_page("admin/index.html", people=people, group_count=group_count)


def _people_page(
    status: int | None = None,
    create_form: PersonCreateForm | None = None,
    posted: tuple[int, PersonUpdateForm] | None = None,
) -> Any:
    """The people list; ``posted`` is the (person id, form) that was just sent."""
    rows = []
    for person in db.session.scalars(select(User).order_by(func.lower(User.display_name))):
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
        create_form=create_form or PersonCreateForm(formdata=None),
    )


@bp.route("/people", methods=["GET", "POST"])
def people() -> Any:
    """Everybody with an account; a POST creates a new account."""
    form = PersonCreateForm()
    if not form.is_submitted():
        return _people_page()
    status = None
    if form.validate():
        try:
            person = accounts.create_user(
                form.email.data or "",
                form.display_name.data or "",
                form.password.data or None,
                HubRole(form.hub_role.data),
            )
        except DomainError as err:
            status = show_error(form, err)
        else:
            db.session.commit()
            flash(_l("The account of %(name)s is created.", name=person.display_name), "success")
            return redirect(url_for("admin.people"))
    return _people_page(status, create_form=form)


@bp.route("/people/<int:user_id>", methods=["POST"])
def update_person(user_id: int) -> Any:
    """Change a person's email address or hub role, or deactivate (or
    reactivate) the account. A new address applies at once; the old one gets
    a notice."""
    person = db.session.get(User, user_id)
    if person is None:
        raise NotFound(_l("There is no such person."))
    form = PersonUpdateForm(prefix=f"person-{person.id}")
    status = None
    if form.validate_on_submit():
        try:
            if form.email.data:  # left empty: unchanged
                email_change.admin_change(person, form.email.data, actor=current_user)
            accounts.update_user(
                person,
                hub_role=HubRole(form.hub_role.data),
                is_active=form.is_active.data,
                actor=current_user,
            )
        except DomainError as err:
            status = show_error(form, err)
        else:
            db.session.commit()
            flash(_l("The changes for %(name)s are saved.", name=person.display_name), "success")
            return redirect(url_for("admin.people"))
    return _people_page(status, posted=(person.id, form))


@bp.route("/groups", methods=["GET", "POST"])
def groups_list() -> Any:
    """All groups of the hub; a POST founds a new one."""
    form = GroupCreateForm()
    status = None
    if form.validate_on_submit():
        fields = {name: getattr(form, name).data for name in GroupCreateForm.FIELDS}
        try:
            group = groups.create_group(fields)
        except DomainError as err:
            status = show_error(form, err)
        else:
            db.session.commit()
            flash(_l("The group is created. Now add its members."), "success")
            return redirect(url_for("groups.manage_group", slug=group.slug))
    counts = dict(
        db.session.execute(
            select(Membership.group_id, func.count()).group_by(Membership.group_id)
        ).all()
    )
    all_groups = list(db.session.scalars(select(Group).order_by(func.lower(Group.name))))
    return render_page(
        "admin/groups.html",
        status,
        form=form,
        groups=all_groups,
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
    status = None
    if form.validate_on_submit():
        values = {(key, lang): form[name].data for key, lang, name in _TEXT_FIELDS}
        try:
            save_texts(values, current_user)
        except DomainError as err:
            status = show_error(form, err)
        else:
            db.session.commit()
            flash(_l("The texts of the website are saved."), "success")
            return redirect(url_for("admin.site_texts"))
    return render_page("admin/texts.html", status, form=form)
