"""`python -m registry_service.demo`: the demo DIP over auth's demo units, idempotent."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from ppid_kit.storage import make_store
from registry_service.demo.__main__ import main
from registry_service.demo.data import UNIT_CODES
from registry_service.settings import RegistrySettings

from tests.registry.harness import DINKES_ID, ROOT_ID, AuthStack
from tests.services.support import CURSOR_SECRET, database_session, one_row
from tests.support.procs import run_module

COUNTS = (
    "SELECT (SELECT count(*) FROM dip_entries), (SELECT count(*) FROM dip_entry_versions), "
    "(SELECT count(*) FROM dik_entries), (SELECT count(*) FROM documents), "
    "(SELECT count(*) FROM dip_changes), (SELECT count(*) FROM dip_policies), "
    "(SELECT count(*) FROM dip_decrees), (SELECT count(*) FROM audit_log)"
)


def seed_command(database_url: str, storage: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "REGISTRY_DATABASE_URL": database_url,
        "REGISTRY_CURSOR_SECRET": CURSOR_SECRET,
        "REGISTRY_STORAGE_DIR": str(storage),
    }
    return run_module("registry_service.demo", "--yes-demo", env=env)


def test_refuses_without_being_asked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("REGISTRY_DEMO", raising=False)
    assert main([]) == 2
    assert "Refusing" in capsys.readouterr().err


async def test_demo_dip_is_rich_consistent_and_idempotent(
    registry: httpx.AsyncClient,
    registry_database: str,
    auth_stack: AuthStack,
    tmp_path: Path,
) -> None:
    storage = tmp_path / "objects"
    first = seed_command(registry_database, storage)
    assert first.returncode == 0, first.stderr
    assert "Demo DIP" in first.stdout
    after_first = await one_row(registry_database, COUNTS)
    async with database_session(registry_database) as session:
        per_unit = dict(
            (
                await session.execute(
                    sa.text("SELECT unit_id, count(*) FROM dip_entries GROUP BY unit_id")
                )
            ).all()
        )
        categories = set(
            (await session.scalars(sa.text("SELECT DISTINCT category FROM dip_entries"))).all()
        )
        statuses = set(
            (await session.scalars(sa.text("SELECT DISTINCT status FROM dip_entries"))).all()
        )
        published = (
            await session.execute(
                sa.text("SELECT count(*) FROM dip_entries WHERE status = 'published'")
            )
        ).scalar_one()
        keys = (await session.scalars(sa.text("SELECT object_key FROM documents"))).all()
        roots = set(
            (await session.scalars(sa.text("SELECT DISTINCT root_id FROM dip_entries"))).all()
        )
    assert sum(per_unit.values()) >= 40
    assert len(per_unit) >= 5
    assert categories == {"berkala", "serta_merta", "setiap_saat"}
    assert {"published", "draft", "proposed"} <= statuses
    assert roots == {ROOT_ID}
    assert after_first[2] == 2  # two DIK entries
    assert after_first[3] >= 3  # documents
    assert after_first[4] == published  # one feed change per published entry
    assert after_first[5] == after_first[6] == 1  # the policy and this year's decree
    store = make_store(RegistrySettings(storage_dir=storage))
    assert keys
    for key in keys:
        assert await store.exists(key)

    # The units are auth's demo units (the same ids through ppid_kit.demo).
    async with httpx.AsyncClient(base_url=auth_stack.url) as auth:
        tree = (await auth.get("/v1/units/tree", params={"root": str(ROOT_ID)})).json()
    auth_ids = {unit["id"] for unit in tree["units"]}
    assert {str(unit) for unit in per_unit} <= auth_ids
    assert DINKES_ID in per_unit
    assert len(UNIT_CODES) == 6

    # Visible through the API: the public DIK and the feed.
    dik = await registry.get("/v1/dik/entries", params={"root": str(ROOT_ID)})
    assert len(dik.json()["items"]) == 2
    changes = await registry.get("/v1/dip/changes", params={"limit": 200})
    assert changes.status_code == 200
    assert len(changes.json()["items"]) == published

    second = seed_command(registry_database, storage)
    assert second.returncode == 0, second.stderr
    assert await one_row(registry_database, COUNTS) == after_first
