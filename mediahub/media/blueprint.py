"""The media blueprint (addresses under /media) and how every file is answered:
stable ASCII URLs, byte ranges, HEAD; or a redirect to S3/CDN.

Media only knows files; the features that own them add their routes to
this blueprint: episode audio, transcripts, chapters and images
(``episodes.media_views``), group covers and post pictures
(``groups.media_views``), the hub's cover (``media.views``). Every episode file
and every group's artwork has two addresses: the public one and, for
private groups, one under a listener's secret feed token."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, redirect, send_file
from werkzeug.wrappers import Response as BaseResponse

from mediahub.media.models import MediaAsset
from mediahub.storage import current_storage
from mediahub.web.ranges import conditional

bp = Blueprint("media", __name__, url_prefix="/media")


#: Podcasting 2.0 JSON chapters (podcast:chapters); this is the version we write.
CHAPTERS_VERSION = "1.2.0"


CHAPTERS_TYPE = "application/json+chapters"


VTT_TYPE = "text/vtt; charset=utf-8"


def serve_rendition(asset: MediaAsset | None, *, private: bool, download_name: str) -> Any:
    # While an asset is processed again, its previous rendition stays online.
    if asset is None or not asset.rendition_key:
        abort(404)
    st = current_storage()
    # Presigned URLs expire; that is why the feed links here, not there. A
    # 302 (never 301) so that podcast apps keep asking us.
    url = st.url(asset.rendition_key, private=private)
    if url:
        return redirect(url, code=302)
    accel = current_app.config["FEEDS_ACCEL_REDIRECT_PREFIX"]
    resp: BaseResponse
    if accel:
        # nginx sends the file (ranges, conditionals) from its internal location.
        resp = Response(mimetype=asset.content_type)
        resp.headers["X-Accel-Redirect"] = f"{accel}media/{quote(asset.rendition_key)}"
    else:
        path = st.serve_path(asset.rendition_key)
        if path is None:  # a backend with neither addresses nor local files
            abort(404)
        resp = send_file(
            path,
            mimetype=asset.content_type,
            conditional=False,  # ranges.conditional below: RFC 9110 ranges
            etag=asset.rendition_sha256 or False,
            download_name=download_name,
            max_age=3600,
        )
        resp = conditional(resp, resp.content_length or 0)
    if private:
        # Never in a shared cache: the next person asking may not be a member.
        resp.cache_control.public = False
        resp.cache_control.private = True
    return resp


def document(body: bytes, content_type: str, *, private: bool) -> BaseResponse:
    resp = Response(body, content_type=content_type)
    resp.headers["Access-Control-Allow-Origin"] = "*"  # web players load these
    resp.add_etag()
    resp.cache_control.max_age = 300
    if private:
        resp.cache_control.private = True
    else:
        resp.cache_control.public = True
    return conditional(resp, len(body))


def drawn_image(body: bytes, version: str, *, private: bool) -> BaseResponse:
    resp = Response(body, content_type="image/jpeg")
    resp.set_etag(version)
    # The URL changes with the picture: it may be kept for a year.
    resp.headers["Cache-Control"] = f"{'private' if private else 'public'}, max-age=31536000"
    return conditional(resp, len(body))
