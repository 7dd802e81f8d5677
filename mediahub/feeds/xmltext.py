"""Text that XML 1.0 can carry.

lxml refuses a whole document for one control character, and titles and show
notes come from people (pasted from word processors, messengers, PDFs). Every
text goes through :func:`xml_safe` before it reaches the feed, so one bad
character can never take a group's feed offline.
"""

from __future__ import annotations

# Everything XML 1.0 forbids: C0 controls but tab, newline and carriage
# return; lone surrogates; and the non-characters U+FFFE and U+FFFF. The
# same characters are removed from every input (mediahub.inputs.text); this
# keeps text stored before that, and our own, out of the feeds.
from ..inputs.text import FORBIDDEN as _FORBIDDEN


def xml_safe(text: str | None) -> str:
    """``text`` without the characters XML 1.0 cannot carry ("" for None)."""
    if not text:
        return ""
    return _FORBIDDEN.sub("", text)
