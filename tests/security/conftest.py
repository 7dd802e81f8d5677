"""The hostile-input suite: every test here also asserts that the server
neither answered 500 nor logged a traceback, whatever the test sent."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, Response, request_finished


@pytest.fixture(autouse=True)
def no_server_error(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> Iterator[list[tuple[int, str]]]:
    """Collect every status the app answered; fail on a 5xx or a logged traceback."""
    statuses: list[tuple[int, str]] = []

    def record(sender: Flask, response: Response, **extra: Any) -> None:
        from flask import request

        statuses.append((response.status_code, f"{request.method} {request.full_path}"))

    caplog.set_level(logging.INFO)
    request_finished.connect(record, app)
    try:
        yield statuses
    finally:
        request_finished.disconnect(record, app)
    server_errors = [f"{status} {what}" for status, what in statuses if status >= 500]
    tracebacks = [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.exc_info or r.levelno >= logging.ERROR
    ]
    assert not server_errors, f"answered with a server error: {server_errors}"
    assert not tracebacks, f"logged an error or a traceback: {tracebacks}"
