"""The app's storage backend: one per app, made from its configuration."""

from __future__ import annotations

from flask import current_app

from mediahub.storage.base import Storage
from mediahub.storage.factory import create_storage

_KEY = "mediahub.storage"


def current_storage() -> Storage:
    """The current app's storage backend (created once per app, on first use)."""
    ext = current_app.extensions
    if _KEY not in ext:
        ext[_KEY] = create_storage(current_app.config)
    found: Storage = ext[_KEY]
    return found
