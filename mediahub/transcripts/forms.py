"""The transcript editor's form: its lines are read as lists (``text``,
``speaker``); the form itself carries the CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm


class TranscriptForm(FlaskForm):
    """One form for every button of the editor (save, join, split, approve, delete)."""
