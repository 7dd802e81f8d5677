"""Security headers on every response, and those of answers behind a secret URL.

The CSP forbids inline script and any third-party origin except our own
media storage (S3 or its CDN), where audio and pictures are redirected to;
only the embed player (``embeddable`` views) may be framed by other sites.
"""

from __future__ import annotations

from flask import Flask, Response, g
from werkzeug.wrappers import Response as BaseResponse

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: {media}; "
    "media-src 'self' blob: {media}; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors {frames}"
)


def allow_framing() -> None:
    """Call in a view that may be embedded in other sites (the player)."""
    g.allow_framing = True


def init_app(app: Flask) -> None:
    media_origins = " ".join(
        filter(
            None,
            [
                app.config.get("S3_PUBLIC_BASE_URL"),
                app.config.get("S3_ENDPOINT_URL")
                or ("https://*.amazonaws.com" if app.config["MEDIA_BACKEND"] == "s3" else None),
            ],
        )
    )

    @app.after_request
    def _headers(resp: Response) -> Response:
        frames = "*" if g.get("allow_framing") else "'none'"
        resp.headers.setdefault(
            "Content-Security-Policy", CSP.format(media=media_origins, frames=frames)
        )
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        resp.headers.setdefault(
            "Permissions-Policy", "camera=(), geolocation=(), microphone=(self)"
        )
        if not g.get("allow_framing"):
            resp.headers.setdefault("X-Frame-Options", "DENY")
        if app.config["SESSION_COOKIE_SECURE"]:
            resp.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return resp


def private_headers(resp: BaseResponse) -> BaseResponse:
    """Headers for anything behind a listener's secret URL."""
    resp.headers["Cache-Control"] = "private, max-age=300"
    resp.headers["X-Robots-Tag"] = "noindex, nofollow"
    # The secret is in the URL: it must not travel on in a Referer header.
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp
