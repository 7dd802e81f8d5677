"""Web addresses people give us (a group's donation link, any future link field).

An address is accepted only as an ``http`` or ``https`` URL with a host and
nothing that could end an attribute or a tag where it is shown (quotes,
angle brackets, whitespace, control characters). The host is stored in its
IDNA (ASCII) form and non-ASCII characters elsewhere are percent-encoded,
so feeds and pages carry exactly one spelling of it.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import quote, urlsplit, urlunsplit

import idna
from flask_babel import lazy_gettext as _l

from mediahub.core.errors import InvalidInput

#: The longest address we keep (the column's size).
MAX_URL = 500
_REFUSED = re.compile(r"[\s\"'<>\\`\x00-\x1f\x7f]")
# RFC 3986 reserved and unreserved characters, and the escapes themselves.
_SAFE = "/?#[]@!$&()*+,;=:-._~%"


def _host(hostname: str) -> str:
    try:
        return f"[{ipaddress.IPv6Address(hostname)}]"
    except ValueError:
        pass
    try:
        return str(ipaddress.IPv4Address(hostname))
    except ValueError:
        pass
    ascii_host = idna.encode(hostname, uts46=True).decode("ascii")
    if "." not in ascii_host.strip("."):
        raise ValueError("not a public host name")
    return ascii_host


def clean_url(value: str, field: str | None = None) -> str:
    """``value`` as a clean absolute http(s) URL.

    Raises:
        InvalidInput: not such an address, or longer than :data:`MAX_URL`.
    """
    url = value.strip()
    try:
        if len(url) > MAX_URL or _REFUSED.search(url):
            raise ValueError("refused characters")
        parts = urlsplit(url)
        if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
            raise ValueError("not http(s)")
        if parts.username is not None or parts.password is not None:
            raise ValueError("user name in the address")
        port = parts.port
        netloc = _host(parts.hostname) + (f":{port}" if port is not None else "")
        clean = urlunsplit(
            (
                parts.scheme.lower(),
                netloc,
                quote(parts.path, safe=_SAFE),
                quote(parts.query, safe=_SAFE),
                quote(parts.fragment, safe=_SAFE),
            )
        )
        if len(clean) > MAX_URL:
            raise ValueError("too long")
    except (ValueError, idna.IDNAError):  # IDNAError: a host IDNA cannot spell
        raise InvalidInput(
            _l("Please enter a web address starting with https://"), field=field
        ) from None
    return clean
