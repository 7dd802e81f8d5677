"""Jinja filters and globals shared by all templates."""

from __future__ import annotations

from flask import Flask

from .markdown import render_markdown


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
