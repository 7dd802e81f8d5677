"""Talking to other servers, and only to the ones a follower came from.

Every request a hub makes to the fediverse (fetching a remote actor's
document and key, delivering an activity to an inbox) goes through
:func:`get_json` or :func:`post`, which close the server-side request
forgery class in one place:

- only ``http``/``https`` URLs with a host, no user name or password in them;
- the host name is resolved once, and *every* address it has must be a
  public one (no loopback, private, link-local, carrier-grade NAT, multicast
  or reserved range, no cloud metadata address); the connection then goes to
  that checked address (the name only travels in ``Host`` and, for https, in
  SNI and certificate checking), so a name that resolves differently a moment
  later (DNS rebinding) cannot move it;
- no redirects are followed; a redirect is an error;
- bounded time (connect and read timeouts, and a deadline for the whole
  body) and bounded size (the body is read in pieces and dropped beyond the
  limit).

Tests federate two servers on 127.0.0.1: they pass ``allow_private=True``,
which production configuration never does (``FEDIVERSE_ALLOW_PRIVATE_ADDRESSES``).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import certifi
import urllib3

from mediahub.web import jsonbody

#: A Mastodon actor document is 3-10 kB; a hundred times that is not an actor.
MAX_DOCUMENT_BYTES = 512 * 1024
ACTIVITY_JSON = "application/activity+json"
ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
_CHUNK = 16 * 1024


class RemoteError(Exception):
    """The remote server could not be asked, or its answer is not usable."""


@dataclass(frozen=True, slots=True)
class Target:
    """A checked URL: where to connect and what to say in ``Host``."""

    scheme: str
    host: str
    port: int
    address: str
    path: str

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == default else f"{name}:{self.port}"


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(url: str, *, allow_private: bool = False) -> Target:
    """Check ``url`` and resolve its host to an address we may connect to.

    Raises:
        RemoteError: not http(s), no host, credentials in it, a name that
            does not resolve, or an address that is not public.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise RemoteError(f"not a URL: {err}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RemoteError("only http and https URLs with a host name are fetched")
    if parts.username is not None or parts.password is not None:
        raise RemoteError("URLs with credentials are not fetched")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as err:
        raise RemoteError(f"cannot resolve {parts.hostname}: {err}") from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise RemoteError(f"{parts.hostname} has no address")
    if not allow_private and not all(_public(a) for a in addresses):
        raise RemoteError(f"{parts.hostname} is not a public address")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(parts.scheme, parts.hostname, port, addresses[0], path)


def _pool(target: Target, timeout: urllib3.Timeout) -> urllib3.HTTPConnectionPool:
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=timeout,
            retries=False,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
        )
    return urllib3.HTTPConnectionPool(target.address, target.port, timeout=timeout, retries=False)


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes


def request(
    method: str,
    url: str,
    *,
    headers: dict[str, str],
    body: bytes | None = None,
    allow_private: bool = False,
    timeout_s: float = 10.0,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Answer:
    """One request to a checked address; the answer's body is bounded.

    Raises:
        RemoteError: the URL is refused, the server cannot be reached, or
            the answer is larger than ``max_bytes`` or slower than allowed.
    """
    target = resolve(url, allow_private=allow_private)
    timeout = urllib3.Timeout(connect=min(5.0, timeout_s), read=timeout_s)
    deadline = time.monotonic() + timeout_s * 2
    pool = _pool(target, timeout)
    try:
        response = pool.urlopen(
            method,
            target.path,
            body=body,
            headers={"Host": target.host_header, **headers},
            redirect=False,
            preload_content=False,
            assert_same_host=False,
        )
        data = bytearray()
        for chunk in response.stream(_CHUNK):
            data += chunk
            if len(data) > max_bytes:
                raise RemoteError(f"the answer from {target.host} is larger than {max_bytes} bytes")
            if time.monotonic() > deadline:
                raise RemoteError(f"{target.host} is answering too slowly")
        response.release_conn()
        return Answer(response.status, bytes(data))
    except urllib3.exceptions.HTTPError as err:
        raise RemoteError(f"cannot reach {target.host}: {err}") from None
    finally:
        pool.close()


def get_json(
    url: str, *, headers: dict[str, str], allow_private: bool = False, timeout_s: float = 10.0
) -> dict[str, Any]:
    """GET a JSON object (an actor document), bounded in size and depth.

    Raises:
        RemoteError: anything but a 200 with a JSON object.
    """
    answer = request("GET", url, headers=headers, allow_private=allow_private, timeout_s=timeout_s)
    if answer.status != 200:
        raise RemoteError(f"GET {url} answered {answer.status}")
    try:
        document = jsonbody.loads(answer.body)
    except jsonbody.BadJSON as err:
        raise RemoteError(f"GET {url}: {err}") from None
    if not isinstance(document, dict):
        raise RemoteError(f"GET {url}: not a JSON object")
    return document
