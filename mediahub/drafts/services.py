"""Keep and restore a form's text across a login that ended. Callers commit.

The fields are encrypted with AES-GCM under a random 256-bit key that is
sent to the browser in a short-lived cookie and never stored: the row alone
cannot be read, not even by someone with the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..types import utcnow
from .models import KeptDraft

LIFETIME = dt.timedelta(hours=1)
#: Fields never kept: the CSRF token is stale anyway; passwords never.
SKIPPED = frozenset({"csrf_token"})
MAX_BYTES = 1024 * 1024


def _hash(secret: str) -> str:
    return hashlib.sha256(b"draft-id:" + secret.encode()).hexdigest()


def _key(secret: str) -> bytes:
    return hashlib.sha256(b"draft-key:" + secret.encode()).digest()


def keep(path: str, fields: MultiDict, now: dt.datetime | None = None) -> str | None:
    """Store the text fields of a posted form; returns the cookie's secret.

    Returns None when there was nothing to keep (or far too much).
    """
    pairs = [(k, v) for k, v in fields.items(multi=True) if k not in SKIPPED and v]
    if not pairs:
        return None
    plain = json.dumps(pairs, ensure_ascii=False).encode()
    if len(plain) > MAX_BYTES:
        return None
    now = now or utcnow()
    secret = secrets.token_urlsafe(32)
    nonce = secrets.token_bytes(12)
    box = nonce + AESGCM(_key(secret)).encrypt(nonce, plain, path.encode())
    db.session.add(
        KeptDraft(
            key_hash=_hash(secret), path=path[:500], ciphertext=box, expires_at=now + LIFETIME
        )
    )
    db.session.flush()
    return secret


def take(secret: str, path: str, now: dt.datetime | None = None) -> MultiDict | None:
    """The kept fields for ``path``, deleting the row; None if none (or expired)."""
    row = db.session.scalar(select(KeptDraft).where(KeptDraft.key_hash == _hash(secret)))
    if row is None or row.path != path:
        return None
    db.session.delete(row)
    db.session.flush()
    if row.expires_at <= (now or utcnow()):
        return None
    nonce, sealed = row.ciphertext[:12], row.ciphertext[12:]
    try:
        plain = AESGCM(_key(secret)).decrypt(nonce, sealed, path.encode())
    except InvalidTag:
        return None
    return MultiDict([tuple(pair) for pair in json.loads(plain)])


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete drafts nobody came back for; returns how many."""
    result = db.session.execute(delete(KeptDraft).where(KeptDraft.expires_at <= (now or utcnow())))
    return result.rowcount or 0
