"""HTML views of the admin feature."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__)


@bp.route("/admin/")
def index() -> str:
    return "admin"
