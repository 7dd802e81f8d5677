"""HTTP signatures: what we demand of a request before we believe who sent it.

The cryptography is pubby's (``pubby.crypto``: draft-cavage RSA-SHA256, the
scheme Mastodon and the rest of the fediverse use). pubby checks a signature
against whatever headers the sender chose to sign; we first require what
makes a signature mean something (as Mastodon does):

- a POST must sign ``(request-target)``, ``host``, ``date`` and ``digest``,
  and the digest must be the SHA-256 of the body we received — otherwise the
  body could be swapped under a valid signature;
- the signed ``host`` must be ours (from ``BASE_URL``, never the request's
  Host header), so a request signed for another server cannot be replayed
  to us;
- the ``date`` must be within :data:`MAX_SKEW` of our clock, so a captured
  request cannot be replayed later;
- only ``rsa-sha256`` (or the neutral ``hs2019`` with an RSA key);
- the key's owner is returned, and the caller accepts an activity only when
  its ``actor`` is that owner.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cryptography.exceptions import UnsupportedAlgorithm
from pubby import SignatureVerificationError
from pubby.crypto import load_private_key, load_public_key, sign_request, verify_request

MAX_SKEW = dt.timedelta(hours=1)
REQUIRED_FOR_POST = ("(request-target)", "host", "date", "digest")
REQUIRED_FOR_GET = ("(request-target)", "host", "date")
_ALGORITHMS = {"rsa-sha256", "hs2019"}
_PAIR_RE = re.compile(r'\s*(\w+)\s*=\s*"([^"]*)"\s*(?:,|$)')
#: A Signature header of a few hundred bytes is normal; 4 kB is plenty.
MAX_HEADER = 4096
#: A keyId names an actor URL we store (``URL_LENGTH``).
MAX_KEY_ID = 2000


class SignatureError(Exception):
    """The request is not signed the way we require; the message says how."""


@dataclass(frozen=True, slots=True)
class RemoteKey:
    """A remote actor's public key, as its actor document publishes it."""

    key_id: str
    owner: str
    public_key_pem: str


def parse_signature_header(value: str) -> dict[str, str]:
    """``keyId="…",algorithm="…",headers="…",signature="…"`` as a dict.

    Raises:
        SignatureError: too long, malformed, or a field given twice.
    """
    if len(value) > MAX_HEADER:
        raise SignatureError("the Signature header is too long")
    fields: dict[str, str] = {}
    at = 0
    while at < len(value):
        match = _PAIR_RE.match(value, at)
        if not match:
            raise SignatureError("the Signature header is malformed")
        if match.group(1) in fields:
            raise SignatureError(f"{match.group(1)} is given twice in the Signature header")
        fields[match.group(1)] = match.group(2)
        at = match.end()
    for name in ("keyId", "signature"):
        if not fields.get(name):
            raise SignatureError(f"the Signature header has no {name}")
    return fields


def body_digest(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")


def _check_date(value: str | None, now: dt.datetime) -> None:
    if not value:
        raise SignatureError("the request has no Date header")
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        raise SignatureError("the Date header is not a date") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    if abs(now - when) > MAX_SKEW:
        raise SignatureError("the Date header is too far from our clock")


def verify(
    *,
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
    our_host: str,
    key_for: Callable[[str], RemoteKey],
    now: dt.datetime | None = None,
) -> str:
    """Check the request's signature; return the actor who signed it.

    Args:
        method, path: As received (path with its query string).
        headers: The request's headers.
        body: The raw body (before any parsing).
        our_host: Our host (and port, when not the default) from ``BASE_URL``.
        key_for: Returns the key for a ``keyId`` (fetching the actor when
            needed); raises when there is none.
        now: The time to compare ``Date`` with (tests).

    Raises:
        SignatureError: anything missing, stale, or not matching.
    """
    lower = {k.lower(): v for k, v in headers.items()}
    fields = parse_signature_header(lower.get("signature", "") or _missing())
    if fields.get("algorithm", "hs2019").lower() not in _ALGORITHMS:
        raise SignatureError("only rsa-sha256 signatures are accepted")
    signed = fields.get("headers", "date").lower().split()
    required = REQUIRED_FOR_POST if method.upper() == "POST" else REQUIRED_FOR_GET
    if missing := [h for h in required if h not in signed]:
        raise SignatureError(f"the signature must cover {', '.join(missing)}")
    if lower.get("host", "").lower() != our_host.lower():
        raise SignatureError("the request was signed for another host")
    _check_date(lower.get("date"), now or dt.datetime.now(dt.UTC))
    if method.upper() == "POST" and not hmac.compare_digest(
        lower.get("digest", "").encode(), body_digest(body).encode()
    ):
        raise SignatureError("the Digest header does not match the body")
    if len(fields["keyId"]) > MAX_KEY_ID or not fields["keyId"].startswith(("https://", "http://")):
        raise SignatureError("the keyId must be an http(s) URL of at most 2000 characters")
    key = key_for(fields["keyId"])
    if key.key_id != fields["keyId"]:
        raise SignatureError("the actor does not publish this key")
    try:
        verify_request(load_public_key(key.public_key_pem), method, path, dict(headers), body)
    # A hostile actor document may carry any PEM (DSA, EC, garbage): every
    # way loading or checking it can fail is a refused signature.
    except (SignatureVerificationError, UnsupportedAlgorithm, ValueError, TypeError) as err:
        raise SignatureError(f"the signature does not match: {err}") from None
    return key.owner


def _missing() -> str:
    raise SignatureError("the request is not signed")


def signed_headers(
    *, private_key_pem: str, key_id: str, method: str, url: str, body: bytes | None = None
) -> dict[str, str]:
    """The headers that sign a request we send (Date, Host, Digest, Signature)."""
    base = {"Content-Type": "application/activity+json"} if body is not None else {}
    names = ["(request-target)", "host", "date"]
    if body is not None:
        names += ["digest", "content-type"]
    return sign_request(
        private_key=load_private_key(private_key_pem),
        key_id=key_id,
        method=method,
        url=url,
        body=body,
        headers=base,
        signed_headers=names,
    )
