"""Absolute URLs built from BASE_URL, the same in requests, the worker and the CLI."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def absolute_url(endpoint: str, **values: Any) -> str:
    base = current_app.config["BASE_URL"]
    parts = urlsplit(base)
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        with current_app.test_request_context("/", base_url=base):
            path = url_for(endpoint, **values)
    return f"{parts.scheme}://{parts.netloc}{path}"
