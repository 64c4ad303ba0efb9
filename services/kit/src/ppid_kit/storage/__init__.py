"""Object storage: a local-folder and an S3 backend behind one interface.

`make_store(settings)` builds the one a service's `StorageSettings` configure.
"""

from ppid_kit.storage.base import (
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
from ppid_kit.storage.factory import make_store, minio_client
from ppid_kit.storage.local import LocalStore
from ppid_kit.storage.s3 import S3Store
from ppid_kit.storage.settings import StorageSettings
from ppid_kit.storage.sniff import ALLOWED_TYPES, SNIFF_BYTES, sniff_content_type

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
    "StorageSettings",
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
