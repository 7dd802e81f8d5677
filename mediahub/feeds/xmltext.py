"""Text that XML 1.0 can carry.

lxml refuses a whole document for one control character, and titles and show
notes come from people (pasted from word processors, messengers, PDFs). Every
text goes through :func:`xml_safe` before it reaches the feed, so one bad
character can never take a group's feed offline.
"""

from __future__ import annotations

import re

# Everything XML 1.0 forbids: C0 controls but tab, newline and carriage
# return; lone surrogates; and the non-characters U+FFFE and U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str | None) -> str:
    """``text`` without the characters XML 1.0 cannot carry ("" for None)."""
    if not text:
        return ""
    return _FORBIDDEN.sub("", text)
