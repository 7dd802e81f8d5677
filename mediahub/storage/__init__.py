"""Media storage: one small interface, a local and an S3 backend.

Usage::

    storage = current_storage()  # the app's backend, from its config
    stored = storage.save(new_key("originals", ".mp3"), request.stream, max_size=limit)
    with storage.local_path(stored.key) as path:
        run_ffmpeg(path)
"""

from mediahub.storage.base import MAX_URL_EXPIRES, Storage, StoredObject
from mediahub.storage.current import current_storage
from mediahub.storage.errors import FileTooLarge, InvalidKey, ObjectNotFound, StorageError
from mediahub.storage.factory import create_storage
from mediahub.storage.keys import new_key, validate_key
from mediahub.storage.local import LocalStorage
from mediahub.storage.s3 import S3Storage

__all__ = [
    "MAX_URL_EXPIRES",
    "FileTooLarge",
    "InvalidKey",
    "LocalStorage",
    "ObjectNotFound",
    "S3Storage",
    "Storage",
    "StorageError",
    "StoredObject",
    "create_storage",
    "current_storage",
    "new_key",
    "validate_key",
]
