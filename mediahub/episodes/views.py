"""HTML views of the episodes feature."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("episodes", __name__)
