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
from mediahub.media.renditions import width_keys
from mediahub.storage import current_storage
from mediahub.web.ranges import conditional

bp = Blueprint("media", __name__, url_prefix="/media")


VTT_TYPE = "text/vtt; charset=utf-8"


#: Pictures (covers, episode and post images, their smaller copies) never
#: change at their address: a new picture is a new asset with a new address.
IMAGE_MAX_AGE = 365 * 24 * 3600


def serve_rendition(
    asset: MediaAsset | None, *, private: bool, download_name: str, max_age: int = 3600
) -> Any:
    """The asset's processed file (404 while there is none)."""
    # While an asset is processed again, its previous rendition stays online.
    if asset is None or not asset.rendition_key:
        abort(404)
    return serve_stored(
        asset.rendition_key,
        asset.content_type,
        etag=asset.rendition_sha256,
        private=private,
        download_name=download_name,
        max_age=max_age,
    )


def serve_stored(
    key: str,
    content_type: str | None,
    *,
    etag: str | None,
    private: bool,
    download_name: str,
    max_age: int,
) -> Any:
    """A stored file: a redirect to S3 or the CDN, nginx's internal location,
    or the file itself with byte ranges and conditional requests.

    ``private``: only some people may have it (a private group's, a draft's):
    never kept in a shared cache, and on S3 a presigned, expiring address.
    """
    st = current_storage()
    # Presigned URLs expire; that is why the feed links here, not there. A
    # 302 (never 301) so that podcast apps keep asking us.
    url = st.url(key, private=private)
    if url:
        return redirect(url, code=302)
    accel = current_app.config["FEEDS_ACCEL_REDIRECT_PREFIX"]
    resp: BaseResponse
    if accel:
        # nginx sends the file (ranges, conditionals) from its internal location.
        resp = Response(mimetype=content_type)
        resp.headers["X-Accel-Redirect"] = f"{accel}media/{quote(key)}"
    else:
        path = st.serve_path(key)
        if path is None:  # a backend with neither addresses nor local files
            abort(404)
        resp = send_file(
            path,
            mimetype=content_type,
            conditional=False,  # ranges.conditional below: RFC 9110 ranges
            etag=etag or False,
            download_name=download_name,
            max_age=max_age,
        )
        resp = conditional(resp, resp.content_length or 0)
    if private:
        # Never in a shared cache: the next person asking may not be allowed.
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
    """A picture drawn here (a generated cover): the URL changes with the
    picture, so it may be kept for a year."""
    resp = Response(body, content_type="image/jpeg")
    resp.set_etag(version)
    resp.headers["Cache-Control"] = f"{'private' if private else 'public'}, max-age={IMAGE_MAX_AGE}"
    return conditional(resp, len(body))


def serve_picture(asset: MediaAsset | None, width: int | None, *, private: bool, name: str) -> Any:
    """An uploaded picture (``width`` None), or one of its smaller copies
    (:mod:`mediahub.media.renditions`; 404 for a width it does not have)."""
    if width is None:
        return serve_rendition(
            asset, private=private, download_name=f"{name}.jpg", max_age=IMAGE_MAX_AGE
        )
    key = width_keys(asset).get(width) if asset is not None and asset.is_ready else None
    if key is None:
        abort(404)
    return serve_stored(
        key,
        "image/jpeg",
        etag=key.rsplit("/", 1)[-1].split(".", 1)[0],
        private=private,
        download_name=f"{name}-{width}.jpg",
        max_age=IMAGE_MAX_AGE,
    )
