"""Every table the registry's migrations manage (for `migrations/env.py`)."""

from __future__ import annotations

import sqlalchemy as sa

from registry_service.dik.models import DikEntry
from registry_service.documents.models import Document
from registry_service.feed.models import DipChange, FeedCounter
from registry_service.models import DipDecree, DipEntry, DipEntryVersion, DipPolicy

TABLES: list[sa.Table] = [
    DipEntry.metadata.tables[model.__tablename__]
    for model in (
        DipEntry,
        DipEntryVersion,
        DipPolicy,
        DipDecree,
        DikEntry,
        Document,
        DipChange,
        FeedCounter,
    )
]
