"""Impressum and privacy page: the texts the hub's admins write."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from mediahub.site.blueprint import bp
from mediahub.site.models import SiteTextKey
from mediahub.site.texts import PLACEHOLDERS, site_text

_TITLES = {SiteTextKey.IMPRESSUM: _l("Legal notice"), SiteTextKey.PRIVACY: _l("Privacy")}


def _legal_page(key: SiteTextKey) -> Any:
    body = site_text(key, str(get_locale() or "de"))
    return render_template(
        "site/legal.html",
        title=_TITLES[key],
        body=body,
        placeholder=PLACEHOLDERS[key],
        # The listener statistics' own statement follows the hub's text.
        is_privacy=key == SiteTextKey.PRIVACY,
    )


@bp.route("/impressum")
def impressum() -> Any:
    return _legal_page(SiteTextKey.IMPRESSUM)


@bp.route("/datenschutz")
def privacy() -> Any:
    return _legal_page(SiteTextKey.PRIVACY)
