"""API schemas of resumable uploads."""

from __future__ import annotations

from marshmallow import Schema

from mediahub.api import fields
from mediahub.core.urls import absolute_url
from mediahub.uploads.models import UploadSession


def upload_url(upload: UploadSession) -> str:
    # Under BASE_URL, never the request's Host (it would come back in Location).
    return absolute_url("uploads_api.upload_status", upload_id=upload.id)


class UploadSchema(Schema):
    id = fields.Str()
    url = fields.Function(upload_url)
    episode_id = fields.Int()
    offset = fields.Int(metadata={"description": "bytes received; continue from here"})
    length = fields.Int(metadata={"description": "bytes announced at creation"})
    complete = fields.Bool(attribute="is_complete")
    expires_at = fields.AwareDateTime()
