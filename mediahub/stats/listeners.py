"""The listener: a keyed hash of the client's network and user agent, with a
secret of the day that is destroyed once the day is over.

A salted SHA-256 of an IPv4 address is brute-forced in minutes; a keyed hash
whose key nobody has any more cannot be. So each day (in the hub's time zone)
gets a random 256-bit secret, shared by every web machine through one row
of ``stats_day_secrets``; the worker deletes the rows of past days soon
after midnight, and web processes forget theirs too. A listener's key
therefore links their requests of one day and nothing else: not across
days, and never back to the address.

The secret is random (never derived from ``SECRET_KEY``) and kept sealed
with a key that is (AES-GCM), so that a copy of the database alone does not
reveal it either during its day.

IPv6 addresses are cut to their /64 network, the block one device's
temporary addresses rotate within.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import os
import threading

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Table, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from mediahub.stats.agents import normalise

SECRET_BYTES = 32
_NONCE_BYTES = 12
_IPV6_NETWORK = ~((1 << 64) - 1)


def network_of(address: str | None) -> str:
    """The part of a client address that names the listener's connection:
    an IPv4 address as it is, an IPv6 address cut to its /64."""
    if not address:
        return ""
    if ":" not in address:
        return address
    try:
        ip = ipaddress.IPv6Address(address.split("%", 1)[0])
    except ValueError:
        return address
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return f"{ipaddress.IPv6Address(int(ip) & _IPV6_NETWORK)}/64"


def listener_key(secret: bytes, address: str | None, user_agent: str | None) -> int:
    """The listener's key for the day of ``secret``: 64 bits of
    HMAC-SHA-256(secret, network + user agent), as a signed integer (a
    BIGINT column)."""
    message = f"{network_of(address)}\n{normalise(user_agent)}".encode("utf-8", "replace")
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def sealing_key(secret_key: str) -> bytes:
    """The key the day secrets are sealed with, derived from ``SECRET_KEY``."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"mediahub stats day secret"
    ).derive(secret_key.encode())


def seal(key: bytes, day: dt.date, secret: bytes) -> bytes:
    """``secret`` encrypted for ``day`` (a row moved to another day does not open)."""
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, secret, day.isoformat().encode())


def unseal(key: bytes, day: dt.date, sealed: bytes) -> bytes | None:
    """The secret, or None when it was sealed with another key or for another day."""
    try:
        return AESGCM(key).decrypt(
            sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], day.isoformat().encode()
        )
    except (InvalidTag, ValueError):
        return None


class DaySecrets:
    """Each day's secret, shared by all processes through the database.

    ``secret_for(day)`` creates the day's row if no process did yet (one
    INSERT … ON CONFLICT DO NOTHING, so two machines agree on one secret)
    and keeps it in memory until :meth:`forget_before` is called.
    """

    def __init__(self, engine: Engine, secret_key: str, table: Table) -> None:
        self.engine = engine
        self.table = table
        self._key = sealing_key(secret_key)
        self._known: dict[dt.date, bytes] = {}
        self._lock = threading.Lock()

    def secret_for(self, day: dt.date) -> bytes:
        known = self._known.get(day)
        if known is not None:
            return known
        with self._lock:
            if day not in self._known:
                self._known[day] = self._load_or_create(day)
            return self._known[day]

    def forget_before(self, day: dt.date) -> None:
        """Drop the secrets of days before ``day`` from this process's memory."""
        with self._lock:
            for old in [d for d in self._known if d < day]:
                del self._known[old]

    def _load_or_create(self, day: dt.date) -> bytes:
        table, column = self.table, self.table.c
        with self.engine.begin() as conn:
            insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
            conn.execute(
                insert(table)
                .values(day=day, sealed=seal(self._key, day, os.urandom(SECRET_BYTES)))
                .on_conflict_do_nothing(index_elements=["day"])
            )
            sealed = conn.execute(select(column.sealed).where(column.day == day)).scalar_one()
            secret = unseal(self._key, day, sealed)
            if secret is not None:
                return secret
            # Sealed under an earlier SECRET_KEY: the day starts a new secret
            # (listeners of its earlier hours are counted once more).
            fresh = os.urandom(SECRET_BYTES)
            conn.execute(
                update(table)
                .where(column.day == day, column.sealed == sealed)
                .values(sealed=seal(self._key, day, fresh))
            )
            sealed = conn.execute(select(column.sealed).where(column.day == day)).scalar_one()
            secret = unseal(self._key, day, sealed)
            if secret is None:
                raise RuntimeError(
                    "web machines disagree on SECRET_KEY: statistics cannot key listeners"
                )
            return secret


def destroy_secrets(engine: Engine, table: Table, before: dt.date) -> int:
    """Delete the secrets of every day before ``before``; returns how many."""
    with engine.begin() as conn:
        result = conn.execute(delete(table).where(table.c.day < before))
    return result.rowcount or 0


def local_day(timestamp: float, zone: dt.tzinfo) -> dt.date:
    """The hub's day (in its time zone) of a POSIX timestamp."""
    return dt.datetime.fromtimestamp(timestamp, zone).date()
