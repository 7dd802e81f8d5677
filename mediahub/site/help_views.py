"""The help page: how to record or upload, what happens in review, how to use
a private feed address — in plain language, German and English."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import get_locale

from mediahub.site.blueprint import bp

#: Languages the help is written in (templates/site/help/<language>.html).
HELP_LANGUAGES = ("de", "en")


@bp.route("/help")
def help_page() -> Any:
    """For members and editors; open to everybody (it tells nothing secret)."""
    language = str(get_locale() or "de")
    shown = language if language in HELP_LANGUAGES else HELP_LANGUAGES[0]
    return render_template("site/help.html", help_language=shown)
