"""Build the configured object store from a service's `StorageSettings`."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import certifi
import urllib3
from minio import Minio
from urllib3.util import Retry, Timeout

from ppid_kit.storage.base import ObjectStore
from ppid_kit.storage.local import LocalStore
from ppid_kit.storage.s3 import S3Store
from ppid_kit.storage.settings import StorageSettings


def minio_client(settings: StorageSettings, endpoint: str | None = None) -> Minio:
    """A client of `endpoint` (default `<PREFIX>S3_ENDPOINT`): `host:port`, or a URL whose
    scheme overrides `S3_SECURE`."""
    endpoint, secure = endpoint or settings.s3_endpoint, settings.s3_secure
    if "://" in endpoint:
        parts = urlsplit(endpoint)
        endpoint, secure = parts.netloc, parts.scheme == "https"
    return Minio(
        endpoint,
        access_key=settings.s3_access_key or None,
        secret_key=settings.s3_secret_key.get_secret_value() or None,
        secure=secure,
        region=settings.s3_region or None,
        http_client=http_pool(settings),
    )


def http_pool(settings: StorageSettings) -> urllib3.PoolManager:
    """minio's own pool, with our timeouts and retries (its defaults: a 5-minute connect
    timeout and 5 retries, about 6 s of back-off before an outage is reported)."""
    return urllib3.PoolManager(
        timeout=Timeout(
            connect=settings.s3_connect_timeout_seconds, read=settings.s3_read_timeout_seconds
        ),
        maxsize=10,
        cert_reqs="CERT_REQUIRED",
        ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
        retries=Retry(
            total=settings.s3_retries,
            backoff_factor=0.2,
            status_forcelist=[500, 502, 503, 504],
        ),
    )


def make_store(settings: StorageSettings) -> ObjectStore:
    """No I/O here: the S3 client connects on first use (call it in the lifespan)."""
    if settings.storage_backend == "s3":
        # Presigning is local computation (the region is set), so the public address need
        # not be reachable from the service.
        public = settings.s3_public_endpoint
        presigner = minio_client(settings, public) if public else None
        return S3Store(minio_client(settings), settings.s3_bucket, presigner=presigner)
    return LocalStore(settings.storage_dir)
