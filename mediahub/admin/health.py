"""Health: the admins' page (/admin/health) and the load balancers' /healthz."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from mediahub.admin import checks
from mediahub.admin.blueprint import bp
from mediahub.web.pages import render_page

#: Unauthenticated liveness for load balancers: says nothing about the hub.
liveness_bp = Blueprint("health", __name__)


@bp.route("/health")
def health() -> Any:
    """Database, queue, worker, storage and ffmpeg at a glance (admins only)."""
    return render_page("admin/health.html", facts=checks.all_checks(), limit=checks.HEARTBEAT_LIMIT)


@liveness_bp.route("/healthz")
def healthz() -> Response:
    """200 "ok" while the web process answers; no details, no database."""
    return Response("ok", mimetype="text/plain", headers={"Cache-Control": "no-store"})
