"""Serving a clip's videos: one answer for the HTML download link and the
API (which both end here), so both check the same things and name the file
the same way."""

from __future__ import annotations

import re
import unicodedata

from flask import abort, redirect, send_file
from werkzeug.wrappers import Response as BaseResponse

from mediahub.accounts.models import User
from mediahub.clips import policy
from mediahub.clips.layout import ClipShape
from mediahub.clips.models import Clip, RenderState
from mediahub.core.extensions import db
from mediahub.groups.models import Visibility
from mediahub.storage import current_storage
from mediahub.web.ranges import conditional


def download_name(clip: Clip, shape: ClipShape) -> str:
    """``trauer-der-kern-square.mp4``: ASCII, no spaces, no path."""
    text = unicodedata.normalize("NFKD", f"{clip.group.slug} {clip.title}")
    words = re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode().lower()).strip("-")
    return f"{words[:80].rstrip('-') or 'clip'}-{shape.value}.mp4"


def video_response(item_id: int, shape: str, caller: User | None) -> BaseResponse:
    """The MP4 of one shape for ``caller``, or 404: for a clip nobody may
    know about, one not approved, not ready, or an unknown shape alike."""
    clip = db.session.get(Clip, item_id)
    known = shape in {s.value for s in ClipShape}
    if clip is None or not known or not policy.can_download_clip(caller, clip):
        abort(404)
    row = clip.rendition(ClipShape(shape))
    if row is None or not row.storage_key or clip.render_state != RenderState.READY:
        abort(404)
    private = clip.group.visibility != Visibility.PUBLIC
    url = current_storage().url(row.storage_key, private=private)
    if url:
        return redirect(url, code=302)
    path = current_storage().serve_path(row.storage_key)
    if path is None:
        abort(404)
    resp: BaseResponse = send_file(
        path,
        mimetype="video/mp4",
        as_attachment=True,
        download_name=download_name(clip, ClipShape(shape)),
        conditional=False,
        etag=row.sha256 or False,
        max_age=3600,
    )
    resp = conditional(resp, resp.content_length or 0)
    if private:
        resp.cache_control.public = False
        resp.cache_control.private = True
    return resp
