"""Build the configured storage backend from the application config."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from mediahub.storage.base import Storage, check_expires
from mediahub.storage.local import LocalStorage
from mediahub.storage.s3 import S3Storage, check_bucket, check_http_url, check_prefix

#: Config keys read by :func:`create_storage` and their defaults.
DEFAULTS: Mapping[str, Any] = {
    "MEDIA_BACKEND": "local",  # "local" or "s3"
    "MEDIA_ROOT": "media",  # local backend: directory of the media files
    "S3_BUCKET": None,  # s3 backend: required
    "S3_PREFIX": "",  # folder inside the bucket
    "S3_ENDPOINT_URL": None,  # S3-compatible services; None means AWS
    "S3_REGION": None,  # signing region, e.g. "eu-central-1"
    "S3_ACCESS_KEY_ID": None,  # None: boto3's default credential chain
    "S3_SECRET_ACCESS_KEY": None,
    "S3_PUBLIC_BASE_URL": None,  # public/CDN URL of the bucket root
    "S3_PRESIGN_EXPIRES": 3600,  # seconds a presigned media URL stays valid
}


def create_storage(config: Mapping[str, Any]) -> Storage:
    """Create the storage backend described by ``config``.

    Missing keys take the values in :data:`DEFAULTS`; empty strings count
    as missing, since environment variables cannot express ``None``.

    Args:
        config: The application config (or any mapping of the keys above).

    Returns:
        A :class:`LocalStorage` or :class:`S3Storage`.

    Raises:
        ValueError: If a value is missing or malformed; the message names
            the config key.
        StorageError: If the local media root cannot be created.
    """
    backend = _get(config, "MEDIA_BACKEND")
    if not isinstance(backend, str) or backend.strip().lower() not in ("local", "s3"):
        raise ValueError(f"MEDIA_BACKEND must be 'local' or 's3', not {backend!r}")
    if backend.strip().lower() == "local":
        root = _get(config, "MEDIA_ROOT")
        if not isinstance(root, str | os.PathLike):
            raise ValueError(f"MEDIA_ROOT must be a directory path, not {root!r}")
        return LocalStorage(root)

    bucket = _get(config, "S3_BUCKET")
    if bucket is None:
        raise ValueError("S3_BUCKET is required when MEDIA_BACKEND is 's3'")
    endpoint_url = _get(config, "S3_ENDPOINT_URL")
    public_base_url = _get(config, "S3_PUBLIC_BASE_URL")
    access_key = _get(config, "S3_ACCESS_KEY_ID")
    secret_key = _get(config, "S3_SECRET_ACCESS_KEY")
    if (access_key is None) != (secret_key is None):
        raise ValueError("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together")
    return S3Storage(
        check_bucket(bucket, "S3_BUCKET"),
        prefix=check_prefix(_get(config, "S3_PREFIX") or "", "S3_PREFIX"),
        endpoint_url=check_http_url(endpoint_url, "S3_ENDPOINT_URL") if endpoint_url else None,
        region=_optional_str(config, "S3_REGION"),
        access_key=_optional_str(config, "S3_ACCESS_KEY_ID"),
        secret_key=_optional_str(config, "S3_SECRET_ACCESS_KEY"),
        public_base_url=(
            check_http_url(public_base_url, "S3_PUBLIC_BASE_URL") if public_base_url else None
        ),
        presign_expires=_seconds(config, "S3_PRESIGN_EXPIRES"),
    )


def _get(config: Mapping[str, Any], name: str) -> Any:
    value = config.get(name)
    return DEFAULTS[name] if value is None or value == "" else value


def _optional_str(config: Mapping[str, Any], name: str) -> str | None:
    value = _get(config, name)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{name} must be a string, not {value!r}")
    return value


def _seconds(config: Mapping[str, Any], name: str) -> int:
    value = _get(config, name)
    # Environment variables arrive as strings.
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    return check_expires(value, name)
