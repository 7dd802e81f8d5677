"""Markdown to safe HTML: markdown-it renders, nh3 (ammonia) sanitises.

Pages make no third-party requests, so images are kept only when they come
from our own origin (a relative address or one under BASE_URL); any other
image is replaced by its description. Links may point anywhere: following
one is the reader's choice.

Feeds are read far from our site (a podcast app, a feed reader), where an
address like ``/media/images/…`` means nothing: for them every relative
address is made absolute under the hub's address (``base``).
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import urljoin, urlsplit

import nh3
from flask import current_app, has_app_context
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "hr",
    "img",
    "del",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_ATTRS = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}}
# tel: for crisis-line numbers in the help footer.
_SCHEMES = {"http", "https", "mailto", "tel"}


def _base_url() -> str | None:
    return current_app.config.get("BASE_URL") if has_app_context() else None


def is_own_origin(src: str, base_url: str | None) -> bool:
    """Whether loading ``src`` stays on our own site (no third-party request)."""
    src = src.strip()
    if not src or "\\" in src or any(ord(c) < 32 for c in src):
        return False  # browsers read "\" as "/": "/\evil.example" is another host
    if base_url and (src == base_url or src.startswith(base_url.rstrip("/") + "/")):
        return True
    parts = urlsplit(src)
    return not parts.scheme and not parts.netloc and not src.startswith("//")


def _render_image(self: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
    token = tokens[idx]
    if is_own_origin(str(token.attrGet("src") or ""), env.get("base_url")):
        return self.image(tokens, idx, options, env)
    alt = self.renderInlineAsText(token.children or [], options, env)
    return str(escape(alt))


@functools.cache
def _md() -> MarkdownIt:
    # Raw HTML in the source is escaped, not passed through.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
        ["table", "strikethrough"]
    )
    md.add_render_rule("image", _render_image)
    return md


def is_relative(url: str) -> bool:
    """Whether ``url`` names a place on the site it is read on (no scheme, no host)."""
    parts = urlsplit(url.strip())
    return not parts.scheme and not parts.netloc and not url.strip().startswith("//")


def _filter(base_url: str | None, absolute_base: str | None) -> Any:
    def keep(tag: str, attr: str, value: str) -> str | None:
        if tag == "img" and attr == "src" and not is_own_origin(value, base_url):
            return None
        if absolute_base and attr in {"src", "href"} and is_relative(value):
            return urljoin(absolute_base, value.strip())
        return value

    return keep


def render_markdown(text: str | None, *, absolute_base: str | None = None) -> Markup:
    """Render ``text`` and keep only harmless tags, attributes and URL schemes.

    Args:
        absolute_base: for HTML read elsewhere (feeds): every relative
            address is made absolute under it (the hub's address, with a
            trailing slash).
    """
    base_url = _base_url()
    html = _md().render(text or "", {"base_url": base_url})
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRS,
        url_schemes=_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        attribute_filter=_filter(base_url, absolute_base),
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above
