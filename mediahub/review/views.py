"""HTML views of the review feature."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("review", __name__)


@bp.route("/my")
def dashboard() -> str:
    return "dashboard"


@bp.route("/review")
def queue() -> str:
    return "queue"
