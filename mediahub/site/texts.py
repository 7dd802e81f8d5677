"""The hub's own texts (Impressum, privacy page, help footer). Callers own
the transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from mediahub.core.errors import InvalidInput
from mediahub.core.extensions import db
from mediahub.site.models import SiteText, SiteTextKey

FALLBACK_LANGUAGE = "de"
LANGUAGES = ("de", "en")
BODY_MAX = 50_000

#: Shown while an admin has not written the text yet: the page still works
#: and says what is missing.
PLACEHOLDERS = {
    SiteTextKey.IMPRESSUM: _l(
        "The operator of this hub has not filled in the legal notice (Impressum) yet. "
        "Administrators can add it under Administration → Texts of the website."
    ),
    SiteTextKey.PRIVACY: _l(
        "The operator of this hub has not filled in the privacy policy yet. "
        "Administrators can add it under Administration → Texts of the website."
    ),
}


def site_text(key: SiteTextKey, language: str) -> str:
    """The text in ``language``, else in German, else "" (one query)."""
    rows = {
        row.language: row.body
        for row in db.session.scalars(
            select(SiteText).where(
                SiteText.key == key, SiteText.language.in_({language, FALLBACK_LANGUAGE})
            )
        )
    }
    return (rows.get(language) or "").strip() or (rows.get(FALLBACK_LANGUAGE) or "").strip()


def all_texts() -> dict[tuple[SiteTextKey, str], str]:
    """Every stored text by (key, language), for the admin form."""
    return {(row.key, row.language): row.body for row in db.session.scalars(select(SiteText))}


def field_name(key: SiteTextKey, language: str) -> str:
    """The form field (and error field) for one text: ``impressum_de``…"""
    return f"{key.value}_{language}"


def save_texts(values: Mapping[tuple[SiteTextKey, str], str | None], actor: Any) -> bool:
    """Store the given texts; returns whether anything changed.

    Raises:
        InvalidInput: an unknown language or a text that is too long.
    """
    existing = {(row.key, row.language): row for row in db.session.scalars(select(SiteText))}
    changed = False
    for (key, language), body in values.items():
        if language not in LANGUAGES:
            raise InvalidInput(_l("Unknown language: %(lang)s", lang=language))
        body = (body or "").replace("\r\n", "\n").strip()
        if len(body) > BODY_MAX:
            raise InvalidInput(
                _l("This text is too long (at most %(n)d characters).", n=BODY_MAX),
                field=field_name(key, language),
            )
        row = existing.get((key, language))
        if row is None:
            if not body:
                continue
            row = SiteText(key=key, language=language, body="")
            db.session.add(row)
        if row.body != body:
            row.body = body
            row.updated_by_id = getattr(actor, "id", None)
            changed = True
    db.session.flush()
    return changed


def help_footer() -> str:
    """The help footer (crisis numbers) in the page's language, German as
    fallback; "" when there is none or the database cannot answer (an error
    page must still render)."""
    try:
        return site_text(SiteTextKey.HELP_FOOTER, str(get_locale() or "de"))
    except SQLAlchemyError:
        db.session.rollback()
        return ""
