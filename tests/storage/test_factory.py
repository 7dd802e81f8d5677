"""create_storage: config keys, defaults and clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from mediahub.storage import LocalStorage, S3Storage, create_storage

S3_CONFIG: dict[str, Any] = {
    "MEDIA_BACKEND": "s3",
    "S3_BUCKET": "hub-media",
    "S3_ACCESS_KEY_ID": "AKIDEXAMPLE",
    "S3_SECRET_ACCESS_KEY": "secret",
    "S3_REGION": "eu-central-1",
}


def test_local_is_the_default_with_media_below_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    storage = create_storage({})

    assert isinstance(storage, LocalStorage)
    assert storage.root == tmp_path / "media"


def test_local_with_media_root(tmp_path: Path) -> None:
    storage = create_storage({"MEDIA_BACKEND": "local", "MEDIA_ROOT": str(tmp_path / "m")})

    assert isinstance(storage, LocalStorage)
    assert storage.root == tmp_path / "m"


def test_s3_from_environment_style_strings() -> None:
    config = {
        **S3_CONFIG,
        "MEDIA_BACKEND": "S3",
        "S3_PREFIX": "/hub/media/",
        "S3_ENDPOINT_URL": "https://s3.example.net",
        "S3_PRESIGN_EXPIRES": "600",
        "S3_PUBLIC_BASE_URL": "",
    }

    storage = create_storage(config)

    assert isinstance(storage, S3Storage)
    assert (storage.bucket, storage.prefix) == ("hub-media", "hub/media")
    url = storage.url("ep/a.mp3")
    assert url is not None
    assert url.startswith("https://s3.example.net/hub-media/hub/media/ep/a.mp3?")
    assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["600"]


def test_s3_public_base_url() -> None:
    storage = create_storage({**S3_CONFIG, "S3_PUBLIC_BASE_URL": "https://cdn.example.org"})

    assert storage.url("ep/a.mp3") == "https://cdn.example.org/ep/a.mp3"


@pytest.mark.parametrize(
    ("overrides", "named_key"),
    [
        ({"MEDIA_BACKEND": "ftp"}, "MEDIA_BACKEND"),
        ({"MEDIA_BACKEND": "local", "MEDIA_ROOT": 42}, "MEDIA_ROOT"),
        ({"S3_BUCKET": None}, "S3_BUCKET"),
        ({"S3_BUCKET": "Hub_Media"}, "S3_BUCKET"),
        ({"S3_PREFIX": "../up"}, "S3_PREFIX"),
        ({"S3_ENDPOINT_URL": "localhost:9000"}, "S3_ENDPOINT_URL"),
        ({"S3_PUBLIC_BASE_URL": "cdn.example.org"}, "S3_PUBLIC_BASE_URL"),
        ({"S3_PRESIGN_EXPIRES": "soon"}, "S3_PRESIGN_EXPIRES"),
        ({"S3_PRESIGN_EXPIRES": 0}, "S3_PRESIGN_EXPIRES"),
        ({"S3_PRESIGN_EXPIRES": 8 * 24 * 3600}, "S3_PRESIGN_EXPIRES"),
        ({"S3_SECRET_ACCESS_KEY": None}, "S3_SECRET_ACCESS_KEY"),
        ({"S3_REGION": 1}, "S3_REGION"),
    ],
)
def test_bad_config_names_the_key(overrides: dict[str, Any], named_key: str) -> None:
    with pytest.raises(ValueError, match=named_key):
        create_storage({**S3_CONFIG, **overrides})
