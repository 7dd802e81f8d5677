"""The one way an HTML form changes something: validate → service → flash → redirect.

Two shapes cover every form of the site:

- :func:`form_action` for a form on its own page: on success a message and
  a redirect; when the service refuses, its error next to the field it
  names (or above the form) and the page's status (422, 409...) for
  showing the form again with what the person typed.
- :func:`button_action` for a button on a page (submit, take offline,
  resend): whatever happens, back to the page with a message.

The request commits when the view returns (:mod:`mediahub.web.transaction`);
an error rolls back what the service did before it refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from mediahub.core.errors import DomainError
from mediahub.core.extensions import db
from mediahub.web.pages import show_error

EXPIRED = _l("Please try again: the form had expired.")


@dataclass(frozen=True)
class Outcome:
    """What became of a posted form: the redirect after success, or the
    status to show the form again with (None: not posted or not valid,
    the page decides from the form's errors)."""

    response: Response | None = None
    status: int | None = None
    #: The service's refusal, when there was one.
    error: DomainError | None = None


def form_action(
    form: FlaskForm,
    action: Callable[[], Any],
    *,
    done: Any,
    to: Callable[[Any], str | Response],
    fields: Mapping[str, str] | None = None,
    on_error: Callable[[DomainError], int] | None = None,
) -> Outcome:
    """Validate ``form``, call ``action()``; on success flash ``done`` and
    redirect to ``to(result)``; when ``action`` raises a domain error, show
    it on the form.

    Args:
        done: the success message, or a function making it from what
            ``action`` returned (``None``: no message).
        to: the address to go to (or the answer to give), given what
            ``action`` returned.
        fields: service field name → form field name, where they differ.
        on_error: shows a refusal on the form instead of :func:`show_error`
            (a stale edit keeps the typed text); returns the page's status.
    """
    if not form.validate_on_submit():
        return Outcome()
    try:
        result = action()
    except DomainError as err:
        status = on_error(err) if on_error else show_error(form, err, fields)
        return Outcome(status=status, error=err)
    message = done(result) if callable(done) else done
    if message is not None:
        flash(message, "success")
    target = to(result)
    return Outcome(response=target if isinstance(target, Response) else redirect(target))


def button_action(
    form: FlaskForm, action: Callable[[], Any], *, done: Any, to: str, expired: Any = EXPIRED
) -> Response:
    """Carry out a button's ``action`` and go back to ``to`` with a message:
    ``done`` on success, else why not (the service refused; the form
    expired: ``expired``, None for no message)."""
    if not form.validate_on_submit():
        if expired is not None:
            flash(expired, "error")
        return redirect(to)
    try:
        action()
    except DomainError as err:
        db.session.rollback()
        flash(str(err.message), "error")
        return redirect(to)
    flash(done, "success")
    return redirect(to)
