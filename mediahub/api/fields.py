"""The API's field types: every schema uses these, never marshmallow's own.

Each input field decides once what it accepts, so an endpoint cannot be
lenient by accident (tests/security/test_input_json.py fails for a schema
that uses a raw marshmallow field):

- :class:`Str`: text, cleaned (no NUL, lone surrogates or XML-forbidden
  characters; NFC) and, for input, at most ``max_length`` characters.
- :class:`Int`: a whole number in the column's range (32 bits by default);
  ``1.5``, ``true`` and ``"1e3"`` are refused, not rounded.
- :class:`Bool`: ``true`` or ``false``; not ``"yes"``, ``1`` or ``"on"``.
- :class:`Float`: a finite number; never NaN or Infinity.
- :class:`AwareDateTime`: ISO 8601 with an offset, between 2000 and 2099.
- :class:`Day`: a day, ``YYYY-MM-DD``, between 2000 and 2099.
- :class:`Url`: an http(s) address (:func:`mediahub.core.links.clean_url`).
- :class:`File`: an uploaded file of a multipart body.
- :class:`AnyJSON`: a JSON value whose shape the service checks (chapters).

A JSON body sends numbers and booleans as JSON values; in query strings and
multipart form fields, where every value is text, they are accepted in
their JSON spelling (``3``, ``true``) and in no other.

``Function``, ``Method``, ``Nested`` and ``List`` are marshmallow's: the
first two only answer, the others hold fields of this module.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from marshmallow import fields as ma
from werkzeug.datastructures import FileStorage

from mediahub.core import values
from mediahub.core.errors import InvalidInput
from mediahub.core.links import MAX_URL, clean_url
from mediahub.core.text import clean_text

__all__ = [
    "AnyJSON",
    "AwareDateTime",
    "Bool",
    "Date",
    "Day",
    "Dict",
    "File",
    "Float",
    "Function",
    "Int",
    "List",
    "Method",
    "Nested",
    "Str",
    "Url",
]

Function = ma.Function
Method = ma.Method
Nested = ma.Nested
List = ma.List

_WHOLE = re.compile(r"-?\d{1,40}")
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")


class FormText(str):
    """A value of a query string or form field, where every value is text
    (marked by the API's parser, :class:`mediahub.api.blueprint.InputParser`)."""


def _refuse(message: Any) -> ValidationError:
    return ValidationError(str(message))


class Str(ma.String):
    """Text: cleaned, and for input at most ``max_length`` characters (the column's size)."""

    def __init__(self, *, max_length: int | None = None, **kwargs: Any) -> None:
        self.max_length = max_length
        if max_length is not None:
            kwargs["metadata"] = {"maxLength": max_length, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str):
            raise _refuse(_l("Please send text."))
        text = clean_text(str(value))
        if self.max_length is not None and len(text) > self.max_length:
            raise _refuse(
                _l("This text is too long (at most %(n)d characters).", n=self.max_length)
            )
        return text


class Int(ma.Integer):
    """A whole number from ``minimum`` to ``maximum`` (an INTEGER column's range by default)."""

    def __init__(
        self, *, minimum: int = values.INT32_MIN, maximum: int = values.INT32_MAX, **kwargs: Any
    ) -> None:
        self.minimum, self.maximum = minimum, maximum
        kwargs["metadata"] = {"minimum": minimum, "maximum": maximum, **kwargs.get("metadata", {})}
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        if isinstance(value, FormText) and _WHOLE.fullmatch(value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _refuse(_l("Please give a whole number, e.g. 3."))
        if not self.minimum <= value <= self.maximum:
            raise _refuse(
                _l(
                    "Please give a number from %(lowest)d to %(highest)d.",
                    lowest=self.minimum,
                    highest=self.maximum,
                )
            )
        return value


class Bool(ma.Boolean):
    """``true`` or ``false`` (nothing that merely looks like one)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, FormText) and value in ("true", "false"):
            return value == "true"
        raise _refuse(_l("Please send true or false."))


class Float(ma.Float):
    """A finite number (NaN and Infinity are refused here as in the JSON parser)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_nan=False, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> float:
        if isinstance(value, FormText) and _JSON_NUMBER.fullmatch(value):
            value = float(value)
        try:
            return values.finite(value)
        except InvalidInput as err:
            raise _refuse(err.message) from None


class AwareDateTime(ma.AwareDateTime):
    """ISO 8601 with a time zone, between 2000 and 2099; loaded as UTC."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> dt.datetime:
        if not isinstance(value, str) or len(value) > 40:
            raise _refuse(_l("Please give a date and time, e.g. 2025-05-01T18:00:00+02:00."))
        try:
            when = super()._deserialize(value, attr, data, **kwargs)
        except (ValidationError, OverflowError, ValueError):
            raise _refuse(
                _l("Please give a date and time with a time zone, e.g. 2025-05-01T18:00:00+02:00.")
            ) from None
        try:
            return values.bounded_datetime(when)
        except InvalidInput as err:
            raise _refuse(err.message) from None


class Url(Str):
    """An http(s) web address, stored in one spelling (IDNA host)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_URL)
        kwargs["metadata"] = {"format": "uri", **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            return text
        try:
            return clean_url(text)
        except InvalidInput as err:
            raise _refuse(err.message) from None


class File(ma.Raw):
    """An uploaded file: a part of a multipart/form-data body."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["metadata"] = {"type": "string", "format": "binary", **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> FileStorage:
        if not isinstance(value, FileStorage):
            raise _refuse(_l("Please send a file (as multipart/form-data)."))
        return value


class AnyJSON(ma.Raw):
    """Any JSON value, for input whose shape the service checks itself (chapters
    come as a list, a document or text lines). The request's JSON parser has
    bounded and cleaned it already (:mod:`mediahub.web.jsonbody`)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, FileStorage):
            raise _refuse(_l("Please send JSON here, not a file."))
        return value


class Dict(ma.Dict):
    """Only in answers (facts such as the health checks): it never loads input."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(dump_only=True, **kwargs)


class Date(ma.Date):
    """Only in answers: a day (no finer, e.g. a token's day of last use)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(dump_only=True, **kwargs)


class Day(ma.Date):
    """A day as ``YYYY-MM-DD`` between 2000 and 2099 (input: a date range of
    statistics; :func:`mediahub.core.values.bounded_date`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["metadata"] = {
            "format": "date",
            "pattern": r"^\d{4}-\d{2}-\d{2}$",
            **kwargs.get("metadata", {}),
        }
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> dt.date:
        try:
            return values.bounded_date(value)
        except InvalidInput as err:
            raise _refuse(err.message) from None
