"""One cleaning step for every text a person gives us.

PostgreSQL refuses NUL in text and cannot encode lone surrogates (JSON's
``"\\ud800"``), and XML 1.0 (every feed) refuses most control characters.
Such characters carry no meaning in a title or a name, so they are removed
rather than refused; what is left is normalised to NFC, so that "ä" typed
on one device equals "ä" pasted from another.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

#: Characters XML 1.0 cannot carry (and PostgreSQL not NUL): C0 controls but
#: tab, newline and carriage return; lone surrogates; U+FFFE and U+FFFF.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """``value`` without forbidden characters, in NFC (the same object when clean)."""
    if FORBIDDEN.search(value):
        value = FORBIDDEN.sub("", value)
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return value


def needs_cleaning(value: str) -> bool:
    return bool(FORBIDDEN.search(value)) or not unicodedata.is_normalized("NFC", value)


def clean_any(value: Any) -> Any:
    """``clean_text`` for strings; anything else (files, numbers) unchanged."""
    return clean_text(value) if isinstance(value, str) else value
