"""Logs as one JSON object a line on standard output (``LOG_FORMAT = "json"``).

For log collectors (journald, Loki, CloudWatch…) that read a machine's
output: each line has the time (UTC, ISO 8601), level, logger, message, the
machine's role (``web`` or ``worker``) and, for errors, the traceback.
Nothing in it names a person's address or browser: requests are logged by
endpoint, never by path (paths may hold a listener's secret token).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import Any

from flask import Flask

#: Attributes every LogRecord has; anything else was passed in ``extra``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JSONFormatter(logging.Formatter):
    """One JSON object per record, with the ``extra`` fields it was given."""

    def __init__(self, role: str) -> None:
        super().__init__()
        self.role = role

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "role": self.role,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(log_format: str, role: str, level: int = logging.INFO) -> None:
    """Send the root logger's records to standard output in ``log_format``
    (``json`` or ``text``), replacing handlers set before."""
    handler = logging.StreamHandler(sys.stdout)
    if log_format == "json":
        handler.setFormatter(JSONFormatter(role))
    else:
        handler.setFormatter(
            logging.Formatter(f"%(asctime)s {role} %(levelname)s %(name)s: %(message)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def init_app(app: Flask) -> None:
    """JSON logs for a web process when configured (the worker command sets
    its own role); with "text", logging is left as Flask and the server set it."""
    if app.config["LOG_FORMAT"] == "json":
        configure("json", "web")
