"""Numbers and sizes in the interface, written the way each language writes them.

Every translated sentence gets its numbers through Babel: a ``%(n)d`` in a
message (in code or in a template) is filled with ``format_decimal`` in the
language of the page — "5.000 Zeichen" in German, "5,000 characters" in
English — so no sentence can show a bare Python number. Sizes are written
with :func:`filesize` ("12,3 MB"). Numbers that are names rather than
quantities (years) are passed as text (``%(year)s``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property
from typing import Any

from flask import Flask
from flask_babel import Babel, Domain, format_decimal, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

_INT_PLACEHOLDER = re.compile(r"%\((\w+)\)d")


def localised(variables: Mapping[str, Any]) -> dict[str, Any]:
    """``variables`` with every number written for the current language."""
    return {
        key: format_decimal(value)
        if isinstance(value, int | float) and not isinstance(value, bool)
        else value
        for key, value in variables.items()
    }


def interpolate(text: str, variables: Mapping[str, Any]) -> str:
    """``text % variables``, with the numbers written for the current language."""
    if not variables:
        return text
    return _INT_PLACEHOLDER.sub(r"%(\1)s", text) % localised(variables)


def filesize(size: int | float | None) -> str:
    """A size in decimal units (as phones and Finder show them): "12,3 MB"."""
    if size is None:
        return ""
    for unit, factor in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if size >= factor:
            return f"{format_decimal(size / factor, format='#,##0.0')}\u00a0{unit}"
    return f"{format_decimal(size)}\u00a0B"


class LocalisedDomain(Domain):
    """Flask-Babel's message domain, with localised numbers (code and lazy strings)."""

    def gettext(self, string: str, **variables: Any) -> str:
        return interpolate(self.get_translations().ugettext(string), variables)

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        text = self.get_translations().ungettext(singular, plural, num)
        return interpolate(text, variables)

    def pgettext(self, context: str, string: str, **variables: Any) -> str:
        return interpolate(self.get_translations().upgettext(context, string), variables)

    def npgettext(
        self, context: str, singular: str, plural: str, num: int, **variables: Any
    ) -> str:
        variables.setdefault("num", num)
        text = self.get_translations().unpgettext(context, singular, plural, num)
        return interpolate(text, variables)


def _template_text(context: Context, text: str, variables: dict[str, Any]) -> str:
    # What Jinja's "newstyle" gettext does, with localised numbers.
    if context.eval_ctx.autoescape:
        # The translated text is ours (the catalog), as in Jinja; the values are escaped.
        template = Markup(_INT_PLACEHOLDER.sub(r"%(\1)s", text))  # noqa: S704
        return template % localised(variables)
    return interpolate(text, variables) if variables else text % {}


@pass_context
def _template_gettext(context: Context, string: str, **variables: Any) -> str:
    return _template_text(context, get_translations().ugettext(string), variables)


@pass_context
def _template_ngettext(
    context: Context, singular: str, plural: str, num: int, **variables: Any
) -> str:
    variables.setdefault("num", num)
    text = get_translations().ungettext(singular, plural, num)
    return _template_text(context, text, variables)


class LocalisedBabel(Babel):
    """Flask-Babel whose messages write numbers per language, in code and templates."""

    @cached_property
    def domain_instance(self) -> Domain:
        return LocalisedDomain(domain=self.domain)

    def init_app(self, app: Flask, *args: Any, **kwargs: Any) -> None:
        super().init_app(app, *args, **kwargs)
        app.jinja_env.globals.update(gettext=_template_gettext, ngettext=_template_ngettext)
        app.jinja_env.filters.update(number=format_decimal, filesize=filesize)
