"""Build the configured object store from the registry's settings."""

from __future__ import annotations

from urllib.parse import urlsplit

from minio import Minio

from registry_service.settings import RegistrySettings
from registry_service.storage.base import ObjectStore
from registry_service.storage.local import LocalStore
from registry_service.storage.s3 import S3Store


def minio_client(settings: RegistrySettings) -> Minio:
    """`REGISTRY_S3_ENDPOINT` is `host:port`, or a URL whose scheme overrides `S3_SECURE`."""
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


def make_store(settings: RegistrySettings) -> ObjectStore:
    """No I/O here: the S3 client connects on first use (call it in the lifespan)."""
    if settings.storage_backend == "s3":
        return S3Store(minio_client(settings), settings.s3_bucket)
    return LocalStore(settings.storage_dir)
