"""JSON API of the administration: the health facts."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema

from mediahub.admin import checks
from mediahub.api import fields
from mediahub.api.blueprint import api_blueprint, require_user
from mediahub.core.errors import PermissionDenied

blp = api_blueprint("admin_api", __name__, "Administration")


class HealthSchema(Schema):
    ok = fields.Bool(metadata={"description": "every check passed"})
    checked_at = fields.Str()
    database = fields.Dict(metadata={"description": "ok, dialect, revision, head, at_head"})
    queue = fields.Dict(metadata={"description": "ok, backend, pending, scheduled"})
    worker = fields.Dict(
        metadata={"description": "ok, last_seen_at, seconds_ago (red above 180), alive_workers"}
    )
    storage = fields.Dict(metadata={"description": "ok, backend, probe, free_bytes, total_bytes"})
    ffmpeg = fields.Dict(metadata={"description": "ok, path, version"})


@blp.route("/health")
@blp.response(200, HealthSchema)
def get_health() -> Any:
    """The same facts as the admins' health page (hub admins)."""
    user = require_user()
    if not user.is_admin:
        raise PermissionDenied(_l("Only hub administrators can see the health of the hub."))
    return checks.all_checks()
