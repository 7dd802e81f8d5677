"""Media storage in an S3 or S3-compatible bucket (AWS, MinIO, Ceph, …)."""

from __future__ import annotations

import mimetypes
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

import boto3
from boto3.exceptions import Boto3Error, S3UploadFailedError
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionError,
    HTTPClientError,
    NoCredentialsError,
)

from mediahub.storage.base import Storage, check_expires
from mediahub.storage.errors import ObjectNotFound, StorageError
from mediahub.storage.keys import validate_key
from mediahub.storage.streaming import Readable

MiB = 1024 * 1024
#: S3 rejects multipart parts below 5 MiB (except the last one).
MIN_PART_SIZE = 5 * MiB

_BUCKET_RE = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_NOT_FOUND_CODES = frozenset({"404", "NoSuchKey", "NotFound"})
_DENIED_CODES = frozenset(
    {"403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken"}
)


def check_bucket(value: object, name: str) -> str:
    """Validate an S3 bucket name (the DNS-compatible subset).

    Raises:
        ValueError: Naming ``name`` if ``value`` is not a bucket name.
    """
    if not isinstance(value, str) or not _BUCKET_RE.fullmatch(value):
        raise ValueError(
            f"{name} must be an S3 bucket name (3-63 characters of a-z 0-9 . -), not {value!r}"
        )
    return value


def check_http_url(value: object, name: str) -> str:
    """Validate an ``http(s)://`` URL and strip its trailing slash.

    Raises:
        ValueError: Naming ``name`` if ``value`` is not an http(s) URL.
    """
    if not isinstance(value, str) or not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
        raise ValueError(f"{name} must be an http:// or https:// URL, not {value!r}")
    return value.rstrip("/")


def check_prefix(value: object, name: str) -> str:
    """Validate a key prefix such as ``"media"`` (surrounding slashes allowed).

    Raises:
        ValueError: Naming ``name`` if ``value`` is not usable as a prefix.
    """
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, not {value!r}")
    prefix = value.strip("/")
    if prefix:
        try:
            validate_key(prefix)
        except ValueError as exc:
            raise ValueError(f"{name} is not a valid key prefix: {exc}") from None
    return prefix


#: How long a :attr:`S3Storage.quick_client` waits for a connection.
QUICK_CONNECT_S = 2.0


def _check_settings(
    access_key: str | None, secret_key: str | None, max_attempts: int, chunksize: int
) -> None:
    if (access_key is None) != (secret_key is None):
        raise ValueError("access_key and secret_key must be given together")
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be >= 1, not {max_attempts}")
    if chunksize < MIN_PART_SIZE:
        raise ValueError(f"multipart_chunksize must be >= {MIN_PART_SIZE} bytes")


def _client_config(
    endpoint_url: str | None, connect_timeout: float, read_timeout: float, max_attempts: int
) -> Config:
    return Config(
        signature_version="s3v4",
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries={"mode": "standard", "total_max_attempts": max_attempts},
        # Most S3-compatible servers only support path-style addressing.
        s3={"addressing_style": "path" if endpoint_url else "auto"},
    )


def _client(
    keys: tuple[str | None, str | None], region: str | None, endpoint: str | None, config: Config
) -> Any:
    session = boto3.session.Session(
        aws_access_key_id=keys[0], aws_secret_access_key=keys[1], region_name=region
    )
    return session.client("s3", endpoint_url=endpoint, config=config)


def _clients(
    keys: tuple[str | None, str | None],
    region: str | None,
    endpoint: str | None,
    patience: tuple[float, float, int],
) -> tuple[Any, Any]:
    """The client for everything, and one that gives up soon: for reads a
    listener waits on (feeds), where an answer from what was kept beats
    waiting out every retry of an unreachable bucket."""
    connect_timeout, read_timeout, max_attempts = patience
    config = _client_config(endpoint, connect_timeout, read_timeout, max_attempts)
    quick_connect = min(connect_timeout, QUICK_CONNECT_S)
    quick = _client_config(endpoint, quick_connect, min(read_timeout, 10), 1)
    return _client(keys, region, endpoint, config), _client(keys, region, endpoint, quick)


def _transfer_config(threshold: int, chunksize: int, concurrency: int) -> TransferConfig:
    transfer = TransferConfig(
        multipart_threshold=threshold,
        multipart_chunksize=chunksize,
        max_concurrency=concurrency,
        # The CRT client would ignore these settings; stay predictable.
        preferred_transfer_client="classic",
    )
    # s3transfer buffers up to this many parts of a non-seekable stream.
    transfer.max_in_memory_upload_chunks = concurrency + 1
    return transfer


class S3Storage(Storage):
    """Store each key as an object in one bucket, below an optional prefix.

    Uploads use boto3's managed transfer: a single PUT below
    ``multipart_threshold``, a multipart upload above it. S3 only makes an
    object visible once the PUT or CompleteMultipartUpload succeeded, and a
    failed multipart upload is aborted, so writes are atomic.
    """

    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        public_base_url: str | None = None,
        presign_expires: int = 3600,
        connect_timeout: float = 5.0,
        read_timeout: float = 60.0,
        max_attempts: int = 4,
        multipart_threshold: int = 8 * MiB,
        multipart_chunksize: int = 8 * MiB,
        max_concurrency: int = 4,
        tmp_dir: str | Path | None = None,
    ) -> None:
        """Configure the bucket; no request is made here.

        Args:
            bucket: Bucket name.
            prefix: Folder inside the bucket that holds all keys.
            endpoint_url: For S3-compatible services (MinIO …); path-style
                addressing is used then. ``None`` means AWS.
            region: Region used for signing; required for AWS buckets
                outside ``us-east-1``.
            access_key: Access key id; ``None`` uses boto3's default
                credential chain (environment, instance profile).
            secret_key: Secret key, given together with ``access_key``.
            public_base_url: Public or CDN URL of the bucket root; when set,
                :meth:`url` returns ``public_base_url/prefix/key`` unsigned.
            presign_expires: Default lifetime of presigned URLs in seconds.
            connect_timeout: Seconds to wait for a TCP connection.
            read_timeout: Seconds to wait for data on an open connection.
            max_attempts: Attempts per request, first one included
                (botocore "standard" retry mode, exponential backoff).
            multipart_threshold: Uploads of at least this size go multipart.
            multipart_chunksize: Part size; memory per upload is bounded by
                about ``multipart_chunksize * (max_concurrency + 1)``.
            max_concurrency: Parallel part uploads / downloads per transfer.
            tmp_dir: Where :meth:`local_path` downloads go (None: the system's).

        Raises:
            ValueError: If an argument is out of range.
        """
        self.bucket = check_bucket(bucket, "bucket")
        self.prefix = check_prefix(prefix, "prefix")
        self.endpoint_url = check_http_url(endpoint_url, "endpoint_url") if endpoint_url else None
        self.public_base_url = (
            check_http_url(public_base_url, "public_base_url") if public_base_url else None
        )
        self.presign_expires = check_expires(presign_expires, "presign_expires")
        _check_settings(access_key, secret_key, max_attempts, multipart_chunksize)
        self.tmp_dir = Path(tmp_dir) if tmp_dir is not None else None
        patience = (connect_timeout, read_timeout, max_attempts)
        keys = (access_key, secret_key)
        self._client, self._quick_client = _clients(keys, region, self.endpoint_url, patience)
        self._transfer = _transfer_config(multipart_threshold, multipart_chunksize, max_concurrency)

    def __repr__(self) -> str:
        where = self.endpoint_url or "aws"
        return f"S3Storage(bucket={self.bucket!r}, prefix={self.prefix!r}, endpoint={where!r})"

    @property
    def client(self) -> Any:
        """The underlying boto3 S3 client (for diagnostics and tests)."""
        return self._client

    @property
    def quick_client(self) -> Any:
        """A boto3 client that gives up soon: one attempt, connecting for at
        most QUICK_CONNECT_S seconds (for reads with a fallback)."""
        return self._quick_client

    def close(self) -> None:
        """Close the clients' pooled connections."""
        self._client.close()
        self._quick_client.close()

    def object_name(self, key: str) -> str:
        """Return the bucket-level object name of ``key`` (prefix included).

        Raises:
            InvalidKey: If ``key`` is malformed.
        """
        validate_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    # -- backend hooks -------------------------------------------------------

    def _write(self, key: str, reader: Readable, content_type: str | None) -> None:
        content_type = content_type or mimetypes.guess_type(key)[0] or "application/octet-stream"
        with self._errors("store", key):
            self._client.upload_fileobj(
                reader,
                self.bucket,
                self.object_name(key),
                ExtraArgs={"ContentType": content_type},
                Config=self._transfer,
            )

    @contextmanager
    def _open(self, key: str) -> Iterator[BinaryIO]:
        with self._errors("read", key):
            body = self._client.get_object(Bucket=self.bucket, Key=self.object_name(key))["Body"]
            try:
                yield body
            finally:
                body.close()

    @contextmanager
    def _local_path(self, key: str) -> Iterator[Path]:
        temp_dir = Path(tempfile.mkdtemp(prefix="mediahub-s3-", dir=self.tmp_dir))
        try:
            path = temp_dir / key.rsplit("/", 1)[-1]
            with self._errors("download", key):
                self._client.download_file(
                    self.bucket, self.object_name(key), str(path), Config=self._transfer
                )
            yield path
        finally:
            shutil.rmtree(temp_dir, ignore_errors=True)

    def _delete(self, key: str) -> None:
        # S3 answers 204 for missing keys too, so this is idempotent.
        with self._errors("delete", key):
            self._client.delete_object(Bucket=self.bucket, Key=self.object_name(key))

    def _exists(self, key: str) -> bool:
        try:
            self._head(key)
        except ObjectNotFound:
            return False
        return True

    def _size(self, key: str) -> int:
        return int(self._head(key)["ContentLength"])

    def _url(self, key: str, *, expires_in: int | None, private: bool) -> str | None:
        name = self.object_name(key)
        if self.public_base_url and not private:
            return f"{self.public_base_url}/{quote(name)}"
        with self._errors("sign a URL for", key):
            url: str = self._client.generate_presigned_url(
                "get_object",
                Params={"Bucket": self.bucket, "Key": name},
                ExpiresIn=expires_in or self.presign_expires,
            )
        return url

    def _head(self, key: str) -> dict[str, Any]:
        with self._errors("inspect", key):
            head: dict[str, Any] = self._client.head_object(
                Bucket=self.bucket, Key=self.object_name(key)
            )
        return head

    @contextmanager
    def _errors(self, action: str, key: str) -> Iterator[None]:
        """Translate boto3/botocore failures into our exceptions."""
        try:
            yield
        except S3UploadFailedError as exc:
            # boto3 flattens the ClientError into a message; recover it.
            cause = exc.__context__
            if isinstance(cause, ClientError):
                raise self._client_error(cause, action, key) from exc
            raise StorageError(f"cannot {action} {key!r} in S3: {exc}") from exc
        except ClientError as exc:
            raise self._client_error(exc, action, key) from exc
        except NoCredentialsError as exc:
            raise StorageError(
                "no S3 credentials: set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY"
            ) from exc
        except ConnectionError as exc:
            raise StorageError(
                f"S3 is unreachable ({self._where()}): cannot {action} {key!r}: {exc}"
            ) from exc
        except HTTPClientError as exc:
            raise StorageError(
                f"connection to S3 ({self._where()}) failed: cannot {action} {key!r}: {exc}"
            ) from exc
        except (BotoCoreError, Boto3Error) as exc:
            raise StorageError(f"cannot {action} {key!r} in S3: {exc}") from exc

    def _client_error(self, exc: ClientError, action: str, key: str) -> StorageError:
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        if code in _NOT_FOUND_CODES:
            return ObjectNotFound(key)
        if code == "NoSuchBucket":
            return StorageError(f"S3 bucket {self.bucket!r} does not exist ({self._where()})")
        if code in _DENIED_CODES:
            return StorageError(
                f"S3 denied access to bucket {self.bucket!r} ({code}): check the credentials "
                "and the bucket policy"
            )
        message = error.get("Message") or exc
        return StorageError(f"S3 refused to {action} {key!r}: {code} {message}")

    def _where(self) -> str:
        return self.endpoint_url or f"AWS region {self._client.meta.region_name}"
