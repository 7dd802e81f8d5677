"""The application's request class: input is cleaned as it is parsed.

Query strings and form fields (URL-encoded and multipart) are built by
Werkzeug through ``parameter_storage_class``; ours cleans every key and text
value on the way in (:func:`mediahub.core.text.clean_text`), so no view,
form or service ever sees a NUL. JSON bodies go through
:func:`mediahub.web.jsonbody.loads`, bounded in size before a byte is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Request, current_app, has_app_context
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

from mediahub.core import errors
from mediahub.core.text import clean_any
from mediahub.web import jsonbody


def _pairs(mapping: Any) -> Iterable[tuple[Any, Any]]:
    if isinstance(mapping, MultiDict):
        return mapping.items(multi=True)
    if isinstance(mapping, Mapping):
        return mapping.items()
    return mapping


class CleanMultiDict(ImmutableMultiDict):
    """Query or form values with every key and text value cleaned (files untouched)."""

    def __init__(self, mapping: Any = None) -> None:
        if mapping is None:
            super().__init__()
        else:
            super().__init__([(clean_any(k), clean_any(v)) for k, v in _pairs(mapping)])


class _StrictJSON:
    """What ``Request.get_json`` calls: our bounded, cleaning parser."""

    loads = staticmethod(jsonbody.loads)


#: JSON that does not say so in the usual way: Podcasting 2.0 chapters documents.
EXTRA_JSON_TYPES = frozenset({"application/json+chapters"})


class InputRequest(Request):
    parameter_storage_class = CleanMultiDict

    @property
    def json_module(self) -> Any:
        """Request bodies are always read by our parser (Flask sets the app's
        JSON provider here for every request; that one stays for answers)."""
        return _StrictJSON

    @json_module.setter
    def json_module(self, value: Any) -> None:
        pass

    @property
    def is_json(self) -> bool:
        """``application/json``, ``application/*+json`` and the JSON chapters
        type podcast tools use (``application/json+chapters``): each is read
        by our parser, within ``MAX_JSON_BYTES``."""
        return super().is_json or self.mimetype in EXTRA_JSON_TYPES

    def _json_limit(self) -> int | None:
        if not (self.is_json and has_app_context()):
            return None
        return int(current_app.config["MAX_JSON_BYTES"])

    @property
    def max_content_length(self) -> int | None:
        """JSON bodies are bounded by ``MAX_JSON_BYTES`` (also without a Content-Length)."""
        limit = Request.max_content_length.fget(self)  # type: ignore[attr-defined]
        json_limit = self._json_limit()
        if json_limit is None:
            return limit
        return json_limit if limit is None else min(limit, json_limit)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def get_data(self, *args: Any, **kwargs: Any) -> Any:
        json_limit = self._json_limit()
        if json_limit is not None and (self.content_length or 0) > json_limit:
            raise errors.TooLarge(
                _l(
                    "The JSON body is too large (at most %(n)d KB). Send files as "
                    "multipart/form-data.",
                    n=json_limit // 1024,
                )
            )
        return super().get_data(*args, **kwargs)

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if isinstance(e, jsonbody.BadJSON):
            raise errors.BadJSON(e.message)
        if e is not None:
            raise errors.BadJSON(_l("The body is not valid JSON."))
        return super().on_json_loading_failed(e)
