"""Fallback static file server for bench_feeds.py when nginx is not installed:
bare WhiteNoise over the feed directory, no application behind it."""

import os

from whitenoise import WhiteNoise


def _not_found(environ, start_response):
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]


app = WhiteNoise(_not_found, root=os.environ["BENCH_STATIC_ROOT"], prefix="feeds/")
