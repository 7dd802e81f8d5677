"""HTML views of the posts feature."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("posts", __name__)
