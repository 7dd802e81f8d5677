"""The tus 1.0.0 protocol (core, creation, termination, expiration) over our API.

- ``OPTIONS /api/v1/uploads``: what the server supports.
- ``POST /api/v1/episodes/{id}/audio/uploads`` with ``Upload-Length``: 201
  and the upload's URL in ``Location``.
- ``HEAD /api/v1/uploads/{id}``: ``Upload-Offset`` (where to continue).
- ``PATCH /api/v1/uploads/{id}`` with ``Upload-Offset`` and an
  ``application/offset+octet-stream`` body: appends; 409 when the offset is
  not where the upload stands. The last PATCH hands the file to the episode.
- ``DELETE /api/v1/uploads/{id}``: gives the upload up.

Callers authenticate with a Bearer token (the app), or — for the members'
web pages — with their login session plus the CSRF token in an
``X-CSRFToken`` header, so that no other site can make a browser upload.
"""

from __future__ import annotations

import base64
import binascii
from email.utils import format_datetime
from typing import Any

from flask import Response, current_app, request
from flask_babel import lazy_gettext as _l

from mediahub.accounts import identity
from mediahub.api.blueprint import PREFIX, ApiBlueprint, login_first, require_user
from mediahub.core import values
from mediahub.core.errors import DomainError, InvalidInput, UnsupportedMediaType
from mediahub.core.extensions import csrf, db
from mediahub.episodes.models import Episode
from mediahub.review.services import load_item
from mediahub.uploads import services
from mediahub.uploads.models import UploadSession
from mediahub.uploads.schemas import UploadSchema, upload_url
from mediahub.web.transaction import checkpoint

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,termination,expiration"
OCTET_STREAM = "application/offset+octet-stream"

blp = ApiBlueprint(
    "uploads_api",
    __name__,
    url_prefix=PREFIX,
    description="Resumable uploads of large recordings (tus 1.0.0: core, creation, "
    "termination, expiration).",
)
csrf.exempt(blp)


class TusVersionMismatch(DomainError):
    status = 412
    code = "tus_version"


@blp.before_request
def _who_and_which_protocol() -> None:
    if request.method == "OPTIONS":
        return
    identity.authenticate_token()
    # The web pages use the login session; their writes need the CSRF
    # token (sent in the X-CSRFToken header) like every form.
    if identity.accept_session_for_api() and request.method not in {"GET", "HEAD"}:
        csrf.protect()
    login_first()
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        raise TusVersionMismatch(_l("Please send the header Tus-Resumable: %(v)s.", v=TUS_VERSION))


@blp.after_request
def _tus_headers(resp: Response) -> Response:
    resp.headers["Tus-Resumable"] = TUS_VERSION
    resp.headers["Tus-Version"] = TUS_VERSION
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _header_int(name: str, *, required: bool = True) -> int | None:
    raw = request.headers.get(name)
    if raw is None and not required:
        return None
    number = values.digits(raw, 19)
    if number is None:
        raise InvalidInput(
            _l("The header %(name)s must be a whole number of bytes.", name=name),
            code="bad_header",
        )
    return number


def _metadata() -> dict[str, str]:
    """``Upload-Metadata``: comma-separated "key base64value" pairs."""
    out: dict[str, str] = {}
    for pair in request.headers.get("Upload-Metadata", "").split(","):
        key, _, value = pair.strip().partition(" ")
        if not key:
            continue
        try:
            out[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise InvalidInput(
                _l("Upload-Metadata must hold base64 values."), code="bad_header"
            ) from None
    return out


def _state_headers(upload: UploadSession) -> dict[str, str]:
    return {
        "Upload-Offset": str(upload.offset),
        "Upload-Length": str(upload.length),
        "Upload-Expires": format_datetime(upload.expires_at, usegmt=True),
    }


_TUS_HEADER = {
    "in": "header",
    "name": "Tus-Resumable",
    "required": True,
    "schema": {"type": "string", "enum": [TUS_VERSION]},
}
_STATE_HEADERS = {
    "Upload-Offset": {"schema": {"type": "integer"}, "description": "bytes received"},
    "Upload-Length": {"schema": {"type": "integer"}},
    "Upload-Expires": {"schema": {"type": "string"}, "description": "RFC 7231 date"},
}


@blp.route("/uploads", methods=["OPTIONS"])
@blp.doc(
    security=[],
    responses={
        "204": {
            "description": "what this server supports",
            "headers": {
                "Tus-Version": {"schema": {"type": "string"}},
                "Tus-Extension": {"schema": {"type": "string"}},
                "Tus-Max-Size": {"schema": {"type": "integer"}},
            },
        }
    },
)
def upload_options() -> Any:
    """The tus capabilities: version, extensions and the largest upload."""

    return Response(
        status=204,
        headers={
            "Tus-Extension": TUS_EXTENSIONS,
            "Tus-Max-Size": str(current_app.config["MAX_AUDIO_BYTES"]),
        },
    )


@blp.route("/episodes/<int:item_id>/audio/uploads", methods=["POST"])
@blp.doc(
    parameters=[
        _TUS_HEADER,
        {
            "in": "header",
            "name": "Upload-Length",
            "required": True,
            "schema": {"type": "integer", "minimum": 1},
            "description": "size of the file in bytes",
        },
        {
            "in": "header",
            "name": "Upload-Metadata",
            "required": False,
            "schema": {"type": "string"},
            "description": 'e.g. "filetype YXVkaW8vd2VibQ==" (keys with base64 values)',
        },
    ],
    responses={
        "201": {
            "description": "created; continue with PATCH at the Location",
            "headers": {"Location": {"schema": {"type": "string"}}, **_STATE_HEADERS},
            "content": {"application/json": {"schema": UploadSchema}},
        },
        "413": {"description": "larger than the largest allowed recording"},
    },
)
def create_upload(item_id: int) -> Any:
    """Start a resumable upload that becomes the episode's audio when complete."""
    user = require_user()
    episode = load_item(Episode, item_id, user)
    length = _header_int("Upload-Length")
    meta = _metadata()
    upload = services.create_upload(episode, user, length or 0, content_type=meta.get("filetype"))
    resp = Response(
        UploadSchema().dumps(upload),
        status=201,
        mimetype="application/json",
        headers={"Location": upload_url(upload), **_state_headers(upload)},
    )
    return resp


@blp.route("/uploads/<upload_id>", methods=["GET"])
@blp.doc(
    parameters=[_TUS_HEADER],
    responses={
        "200": {
            "description": "how far the upload got (HEAD: the headers only)",
            "headers": _STATE_HEADERS,
            "content": {"application/json": {"schema": UploadSchema}},
        },
        "404": {"description": "no such upload, or not yours"},
        "410": {"description": "expired"},
    },
)
def upload_status(upload_id: str) -> Any:
    """Where the upload stands; ``HEAD`` gives the same headers without a body."""
    upload = services.load_upload(upload_id, require_user())
    return Response(
        UploadSchema().dumps(upload),
        status=200,
        mimetype="application/json",
        headers=_state_headers(upload),
    )


@blp.route("/uploads/<upload_id>", methods=["PATCH"])
@blp.doc(
    parameters=[
        _TUS_HEADER,
        {
            "in": "header",
            "name": "Upload-Offset",
            "required": True,
            "schema": {"type": "integer", "minimum": 0},
            "description": "where these bytes start (the offset HEAD reported)",
        },
    ],
    requestBody={
        "required": True,
        "content": {OCTET_STREAM: {"schema": {"type": "string", "format": "binary"}}},
    },
    responses={
        "204": {
            "description": "appended; when Upload-Offset equals Upload-Length the "
            "file was handed to the episode and is being processed",
            "headers": _STATE_HEADERS,
        },
        "409": {"description": "Upload-Offset is not where the upload stands"},
        "413": {"description": "more bytes than announced"},
        "415": {"description": f"the body must be {OCTET_STREAM}"},
        "422": {"description": "the complete file is not a recording we can use"},
    },
)
def append_to_upload(upload_id: str) -> Any:
    """Append bytes at ``Upload-Offset``; the last ones finish the upload."""
    user = require_user()
    upload = services.load_upload(upload_id, user)
    if request.mimetype != OCTET_STREAM:
        raise UnsupportedMediaType(_l("Send the bytes as %(type)s.", type=OCTET_STREAM))
    offset = _header_int("Upload-Offset")
    # What arrived stays, even when the rest of the request fails.
    with checkpoint():
        done = services.append(upload, request.stream, offset or 0, request.content_length)
    if done and not upload.is_complete:
        _finish(upload, user)
    return Response(status=204, headers=_state_headers(upload))


def _finish(upload: UploadSession, user: Any) -> None:
    try:
        services.complete_upload(upload, user)
    except InvalidInput:
        # Not a recording: these bytes will never be usable.
        db.session.rollback()
        with checkpoint():
            services.discard(upload)
        raise


@blp.route("/uploads/<upload_id>", methods=["DELETE"])
@blp.doc(parameters=[_TUS_HEADER], responses={"204": {"description": "the upload is gone"}})
def delete_upload(upload_id: str) -> Any:
    """Give the upload up; its bytes are deleted at once."""
    upload = services.load_upload(upload_id, require_user())
    services.discard(upload)  # a finished upload's audio stays with the episode
    return Response(status=204)
