"""Small helpers shared by the HTML views (the web side of the services)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from mediahub.core.errors import DomainError
from mediahub.core.extensions import db
from mediahub.web.forms import keep_version

STALE_EDIT = _l(
    "Someone else changed this while you were editing. Your text is still in the form. "
    "Below it you can see what is saved now: compare the two, then save again to keep "
    "your version."
)


def show_error(form: FlaskForm, err: DomainError, fields: Mapping[str, str] | None = None) -> int:
    """Show a service's error next to the field it names, or above the form.

    The session is rolled back (nothing half-done is kept); the form keeps
    what the person typed. Returns the status code for the page: 422 when
    a field is wrong, otherwise the error's own (409 for a stale edit...).

    Args:
        fields: service field name → form field name, where they differ.
    """
    db.session.rollback()
    name = (fields or {}).get(err.field or "", err.field)
    field = form._fields.get(name) if name else None
    if field is not None and getattr(field.widget, "input_type", None) != "hidden":
        field.errors = [*field.errors, str(err.message)]
        return 422
    form.form_errors.append(str(err.message))
    return 422 if err.field else err.status


def show_stale(form: FlaskForm, item: Any) -> int:
    """A save based on an older version: keep the typed text, say so, and let
    a second save (made knowingly) replace the current version."""
    db.session.rollback()
    form.form_errors.append(str(STALE_EDIT))
    keep_version(form.version, item.version)
    return 409


def show_error_or_stale(form: FlaskForm, err: DomainError, item: Any) -> int:
    """:func:`show_stale` for a stale edit of ``item``, else :func:`show_error`."""
    return show_stale(form, item) if err.code == "stale" else show_error(form, err)


def status_for(*forms: FlaskForm) -> int:
    """422 when any of the forms has errors, else 200."""
    return 422 if any(f.errors for f in forms) else 200


def render_page(template: str, status: int | None = None, **context: Any) -> Any:
    """Render ``template``; the status is 422 when a form in the context has errors."""
    if status is None:
        status = status_for(*(v for v in context.values() if isinstance(v, FlaskForm)))
    return render_template(template, **context), status
