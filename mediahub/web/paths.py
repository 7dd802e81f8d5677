"""URL converters that refuse what no route can mean (404), app-wide.

Werkzeug's own take any number of digits for ``<int:…>`` (an id beyond 32
bits reaches the database: PostgreSQL refuses to cast it to INTEGER, SQLite
overflows beyond 64 bits) and any character but ``/``
for ``<name>`` (a NUL reaches PostgreSQL, which refuses it). These replace
them for every rule of the application, the static route included, so a new
route cannot forget the check.
"""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import ImmutableDict
from werkzeug.routing import IntegerConverter, Map, PathConverter, UnicodeConverter

#: The largest id our tables can hold: every id column is an INTEGER.
MAX_ID = 2**31 - 1
#: Slugs, guids, tokens and versions are far shorter; a path segment longer
#: than this is no address of ours.
MAX_SEGMENT = 255
#: Control characters (NUL included) never occur in our addresses.
_NO_CONTROL = r"\x00-\x1f\x7f"


class BoundedIntConverter(IntegerConverter):
    """``<int:…>``: at most 10 digits and at most :data:`MAX_ID`."""

    regex = r"\d{1,10}"

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class SafeStringConverter(UnicodeConverter):
    """``<name>`` and ``<string:…>``: one segment, no control characters, bounded."""

    def __init__(
        self,
        map: Map,
        minlength: int = 1,
        maxlength: int | None = MAX_SEGMENT,
        length: int | None = None,
    ) -> None:
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", f"[^/{_NO_CONTROL}]", 1)


class SafePathConverter(PathConverter):
    """``<path:…>``: several segments, no control characters."""

    regex = f"[^/{_NO_CONTROL}][^{_NO_CONTROL}]*?"


class InputMap(Map):
    default_converters = ImmutableDict(
        {
            **Map.default_converters,
            "default": SafeStringConverter,
            "string": SafeStringConverter,
            "int": BoundedIntConverter,
            "path": SafePathConverter,
        }
    )
