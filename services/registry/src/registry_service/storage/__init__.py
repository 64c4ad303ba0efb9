"""Object storage of the registry: a local-folder and an S3 backend behind one interface."""

from registry_service.storage.base import (
    InvalidKeyError,
    ObjectNotFoundError,
    ObjectStore,
    ObjectTooLargeError,
    StorageError,
    StorageUnavailableError,
    StoredObject,
    content_disposition,
    generate_dated_key,
    generate_key,
    key_created_at,
)
from registry_service.storage.factory import make_store, minio_client
from registry_service.storage.local import LocalStore
from registry_service.storage.s3 import S3Store
from registry_service.storage.sniff import ALLOWED_TYPES, SNIFF_BYTES, sniff_content_type

__all__ = [
    "ALLOWED_TYPES",
    "SNIFF_BYTES",
    "InvalidKeyError",
    "LocalStore",
    "ObjectNotFoundError",
    "ObjectStore",
    "ObjectTooLargeError",
    "S3Store",
    "StorageError",
    "StorageUnavailableError",
    "StoredObject",
    "content_disposition",
    "generate_dated_key",
    "generate_key",
    "key_created_at",
    "make_store",
    "minio_client",
    "sniff_content_type",
]
