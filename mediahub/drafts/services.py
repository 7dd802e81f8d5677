"""Keep and restore a form's text across a login that ended. Callers commit.

The fields are encrypted with AES-GCM under a random 256-bit key that is
sent to the browser in a short-lived cookie and never stored: the row alone
cannot be read, not even by someone with the database. The page and the
person it was kept for are bound into the encryption: it opens only for
them, only there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Any, cast

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import CursorResult, delete, func, select
from werkzeug.datastructures import MultiDict

from mediahub.core.extensions import db
from mediahub.core.types import utcnow
from mediahub.drafts.models import KeptDraft

LIFETIME = dt.timedelta(hours=1)
#: Fields never kept: the CSRF token is stale anyway, the ticket is spent.
SKIPPED = frozenset({"csrf_token", "draft_ticket"})
#: The longest form that can be saved (a post of 100,000 characters with its
#: title and content note) is about 105 KB of German text.
MAX_BYTES = 320 * 1024
#: Drafts kept at one time on the whole hub; beyond it, nothing more is kept
#: (each lives an hour, and each person may keep only a few an hour).
MAX_KEPT = 500


def _hash(secret: str) -> str:
    return hashlib.sha256(b"draft-id:" + secret.encode()).hexdigest()


def _key(secret: str) -> bytes:
    return hashlib.sha256(b"draft-key:" + secret.encode()).digest()


def _bound_to(path: str, user_id: int) -> bytes:
    """What the ciphertext is bound to (AES-GCM associated data)."""
    return f"{path}\n{user_id}".encode()


def keep(path: str, user_id: int, fields: MultiDict, now: dt.datetime | None = None) -> str | None:
    """Store the text fields of a form posted by ``user_id``; returns the cookie's secret.

    Returns None when there was nothing to keep, far too much, or the hub
    holds :data:`MAX_KEPT` drafts already.
    """
    pairs = [(k, v) for k, v in fields.items(multi=True) if k not in SKIPPED and v]
    if not pairs:
        return None
    plain = json.dumps(pairs, ensure_ascii=False).encode()
    if len(plain) > MAX_BYTES:
        return None
    now = now or utcnow()
    live = select(func.count()).select_from(KeptDraft).where(KeptDraft.expires_at > now)
    if (db.session.scalar(live) or 0) >= MAX_KEPT:
        return None
    secret = secrets.token_urlsafe(32)
    nonce = secrets.token_bytes(12)
    box = nonce + AESGCM(_key(secret)).encrypt(nonce, plain, _bound_to(path, user_id))
    db.session.add(
        KeptDraft(
            key_hash=_hash(secret), path=path[:500], ciphertext=box, expires_at=now + LIFETIME
        )
    )
    db.session.flush()
    return secret


def take(secret: str, path: str, user_id: int, now: dt.datetime | None = None) -> MultiDict | None:
    """The fields kept for ``path`` and ``user_id``, deleting the row; None if
    none (expired, or kept for another page or person — then it stays for its
    author: a copied cookie must not destroy someone's text)."""
    row = db.session.scalar(select(KeptDraft).where(KeptDraft.key_hash == _hash(secret)))
    if row is None or row.path != path or row.expires_at <= (now or utcnow()):
        return None
    nonce, sealed = row.ciphertext[:12], row.ciphertext[12:]
    try:
        plain = AESGCM(_key(secret)).decrypt(nonce, sealed, _bound_to(path, user_id))
    except InvalidTag:
        return None
    db.session.delete(row)
    db.session.flush()
    return MultiDict([tuple(pair) for pair in json.loads(plain)])


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete drafts nobody came back for; returns how many."""
    result = db.session.execute(delete(KeptDraft).where(KeptDraft.expires_at <= (now or utcnow())))
    return cast("CursorResult[Any]", result).rowcount or 0
