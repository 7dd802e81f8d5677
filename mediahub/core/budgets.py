"""Counting things per client or per person in the rate limiter's storage.

Flask-Limiter's decorators decide before a view runs. Some budgets can only
be charged after it has run (a look-up that found nothing, a draft that was
really kept); they use this, with the same storage (Redis with several web
machines) and the same limit strings ("30 per minute; 300 per day").
"""

from __future__ import annotations

import time

from flask import current_app
from limits import parse_many

from mediahub.core.extensions import limiter


def spend(scope: str, key: str, limits: str) -> int:
    """Take one from ``key``'s budget in ``scope`` under every limit in ``limits``.

    Returns:
        0 while within every limit, else the seconds until the budget allows
        one again (for ``Retry-After``).
    """
    strategy = limiter.limiter
    keys = (current_app.config["RATELIMIT_KEY_PREFIX"], scope, key)
    retry_after = 0
    for item in parse_many(limits):
        if not strategy.hit(item, *keys):
            reset = strategy.get_window_stats(item, *keys).reset_time
            retry_after = max(retry_after, int(reset - time.time()) + 1)
    return retry_after
