"""WebSub: tell hubs when a public feed changed, so apps learn of it in seconds.

Off unless ``WEBSUB_HUBS`` lists hubs. Private groups are never announced;
unlisted groups' own feeds are (their address is not secret, only not
listed), but never the hub-wide feeds, which show public groups only.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from urllib.parse import urlencode

from flask import Flask

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10


class WebSubError(RuntimeError):
    """A hub did not accept a publish notification (the task retries)."""


def websub_hubs(app: Flask) -> list[str]:
    """The configured hubs; every public feed links them as ``rel="hub"``."""
    return list(app.config["WEBSUB_HUBS"])


def publish(hub: str, feed_url: str) -> None:
    """POST ``hub.mode=publish`` for one feed to one hub.

    Raises:
        WebSubError: the hub could not be reached or did not answer 2xx.
    """
    body = urlencode({"hub.mode": "publish", "hub.url": feed_url}).encode()
    # The hub URLs come from the configuration, checked to be http(s) at start-up.
    req = urllib.request.Request(  # noqa: S310
        hub,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "MediaHub WebSub publisher",
        },
    )
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_SECONDS) as resp:  # noqa: S310
            status = resp.status
    except urllib.error.HTTPError as err:
        raise WebSubError(f"{hub} answered {err.code} for {feed_url}") from None
    except (urllib.error.URLError, OSError) as err:
        raise WebSubError(f"{hub} unreachable for {feed_url}: {err}") from None
    if not 200 <= status < 300:
        raise WebSubError(f"{hub} answered {status} for {feed_url}")
