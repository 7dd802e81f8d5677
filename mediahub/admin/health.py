"""Health: the admins' page (/admin/health), the load balancers' /healthz and
/readyz, and Prometheus' /metrics."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, current_app, request
from sqlalchemy import func, select

from mediahub.admin import checks
from mediahub.admin.blueprint import bp
from mediahub.core.extensions import db
from mediahub.core.queue import huey
from mediahub.media.models import AssetState, MediaAsset
from mediahub.web import metrics
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


@liveness_bp.route("/readyz")
def readyz() -> Response:
    """200 when this machine can serve: database (at the newest schema), queue
    and storage answer; else 503 naming what failed (no other details)."""
    parts = {
        "database": checks.database(),
        "queue": checks.queue(),
        "storage": checks.storage_reachable(),
    }
    ready = all(part["ok"] for part in parts.values())
    body = {name: "ok" if part["ok"] else "failed" for name, part in parts.items()}
    return Response(
        json.dumps(body),
        status=200 if ready else 503,
        mimetype="application/json",
        headers={"Cache-Control": "no-store", **({} if ready else {"Retry-After": "10"})},
    )


@liveness_bp.route("/metrics")
def prometheus_metrics() -> Response:
    """Prometheus' text format, for METRICS_TOKEN or a direct local request; else 404."""
    cfg = current_app.config
    if not metrics.may_read(request.environ, cfg["METRICS_TOKEN"], cfg["METRICS_ALLOW_FROM"]):
        abort(404)
    live = metrics.LiveFigures(huey.pending_count, _assets_by_state)
    return Response(metrics.render(live), mimetype=None, content_type=metrics.CONTENT_TYPE)


def _assets_by_state() -> dict[str, int]:
    rows = db.session.execute(
        select(MediaAsset.status, func.count())
        .where(MediaAsset.status != AssetState.READY)
        .group_by(MediaAsset.status)
    )
    return {state.value: count for state, count in rows}
