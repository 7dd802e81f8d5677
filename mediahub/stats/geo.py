"""The country of a download, from an offline table (off unless enabled).

``iptocc`` carries the five Regional Internet Registries' delegation lists
inside its wheel and looks an address up in memory: no network, no file, no
third party learns of the listener. It knows countries only — the registry
a block was assigned through, not a place — so a city or coordinates cannot
come out of it even by mistake. Only the two-letter code is stored.
"""

from __future__ import annotations

import ipaddress
import re

import iptocc

_CODE = re.compile(r"[A-Z]{2}")


def country_of(address: str | None) -> str:
    """The ISO 3166-1 alpha-2 code of the address's country, "" when unknown
    (private and reserved addresses, anything unparsable)."""
    if not address or len(address) > 64:
        return ""
    if address.startswith("::ffff:"):  # an IPv4 client seen through an IPv6 socket
        try:
            mapped = ipaddress.IPv6Address(address).ipv4_mapped
        except ValueError:
            return ""
        address = str(mapped) if mapped else address
    try:
        code = iptocc.country_code(address)
    except (TypeError, ValueError):
        return ""
    return code if code and _CODE.fullmatch(code) else ""
