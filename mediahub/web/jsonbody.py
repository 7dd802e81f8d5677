"""Request JSON, parsed in one place with bounds.

- Depth: at most :data:`MAX_DEPTH` levels of arrays and objects. The C
  parser gives up with a ``RecursionError`` near the interpreter's recursion
  limit (100,000 ``[`` take a millisecond to refuse); below that, the walk
  that cleans the strings refuses anything deeper than our bound.
- Numbers: ``NaN``, ``Infinity`` and ``-Infinity`` are not JSON and are
  refused, so are numbers too large for a float (``1e400``).
- Text: every string, keys included, goes through
  :func:`mediahub.core.text.clean_text`.

The size is bounded by the request (``MAX_JSON_BYTES``) before any byte is read.
"""

from __future__ import annotations

import json
import math
from typing import Any

from flask_babel import lazy_gettext as _l

from mediahub.core.text import clean_text

#: Our documents are at most three levels deep (chapters: object, list, object).
MAX_DEPTH = 32


class BadJSON(ValueError):
    """The body is not JSON we accept; ``message`` says why, for a person."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def _refuse_constant(name: str) -> Any:
    raise BadJSON(_l("%(name)s is not a number in JSON; please send a finite number.", name=name))


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadJSON(_l("The number %(n)s is too large.", n=text[:40]))
    return value


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse ``data`` as JSON within our bounds, with every string cleaned.

    Raises:
        BadJSON: not UTF-8, not JSON, too deep, or a non-finite number.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise BadJSON(_l("The body must be UTF-8 encoded JSON.")) from None
    try:
        value = json.loads(data, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError:
        raise BadJSON(_too_deep(max_depth)) from None
    except json.JSONDecodeError as err:
        raise BadJSON(
            _l(
                "The body is not valid JSON: %(error)s (line %(line)d, column %(column)d).",
                error=err.msg,
                line=err.lineno,
                column=err.colno,
            )
        ) from None
    except BadJSON:
        raise
    except ValueError:  # an integer of more than 4300 digits
        raise BadJSON(_l("A number in the body is too long.")) from None
    return _cleaned(value, 0, max_depth)


def _too_deep(max_depth: int) -> Any:
    return _l("The JSON is nested too deeply (at most %(n)d levels).", n=max_depth)


def _cleaned(value: Any, depth: int, max_depth: int) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | dict):
        if depth >= max_depth:
            raise BadJSON(_too_deep(max_depth))
        if isinstance(value, list):
            return [_cleaned(v, depth + 1, max_depth) for v in value]
        return {clean_text(k): _cleaned(v, depth + 1, max_depth) for k, v in value.items()}
    return value
