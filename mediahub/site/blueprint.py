"""The public site's blueprint; its routes live in views, legal and seo."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("site", __name__)
