"""Build the configured object store from a service's `StorageSettings`."""

from __future__ import annotations

from urllib.parse import urlsplit

from minio import Minio

from ppid_kit.storage.base import ObjectStore
from ppid_kit.storage.local import LocalStore
from ppid_kit.storage.s3 import S3Store
from ppid_kit.storage.settings import StorageSettings


def minio_client(settings: StorageSettings) -> Minio:
    """`<PREFIX>S3_ENDPOINT` is `host:port`, or a URL whose scheme overrides `S3_SECURE`."""
    endpoint, secure = settings.s3_endpoint, settings.s3_secure
    if "://" in endpoint:
        parts = urlsplit(endpoint)
        endpoint, secure = parts.netloc, parts.scheme == "https"
    return Minio(
        endpoint,
        access_key=settings.s3_access_key or None,
        secret_key=settings.s3_secret_key.get_secret_value() or None,
        secure=secure,
        region=settings.s3_region or None,
    )


def make_store(settings: StorageSettings) -> ObjectStore:
    """No I/O here: the S3 client connects on first use (call it in the lifespan)."""
    if settings.storage_backend == "s3":
        return S3Store(minio_client(settings), settings.s3_bucket)
    return LocalStore(settings.storage_dir)
