"""Countries from the offline table: a code or nothing, never a place."""

from __future__ import annotations

import pytest

from mediahub.stats.geo import country_of


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("8.8.8.8", "US"),
        ("::ffff:8.8.8.8", "US"),  # IPv4 through an IPv6 socket
        ("2a01:4f8::1", "DE"),
        ("127.0.0.1", ""),
        ("192.168.1.20", ""),
        ("", ""),
        (None, ""),
        ("not an address", ""),
        ("8.8.8.8, 1.1.1.1", ""),
        ("1" * 10_000, ""),
    ],
)
def test_country_codes(address, code):
    assert country_of(address) == code
