"""The client's address behind reverse proxies.

Behind nginx or a load balancer, the peer of every request is the proxy;
the client's address is in ``X-Forwarded-For``, which each proxy appends
to. Only the last ``TRUSTED_PROXIES`` entries were written by our own
proxies — anything before them is whatever the client chose to send — so
werkzeug's ``ProxyFix`` takes exactly that many hops back and nothing else
(no forwarded host, scheme or prefix: ``BASE_URL`` says those). With 0 the
header is ignored entirely.

Rate limits, guessing budgets and listener statistics all read
``REMOTE_ADDR``, so this wraps everything, the feed files in front of Flask
included.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    """Trust ``X-Forwarded-For`` from the configured number of proxies."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=0, x_host=0, x_port=0, x_prefix=0
        )
