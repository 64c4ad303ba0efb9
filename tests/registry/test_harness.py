"""The harness itself: auth runs with the demo tree and signs with the key the minter uses."""

from __future__ import annotations

import httpx
from ppid_kit.unit_tree import UnitTree

from tests.registry.harness import DINKES_ID, DISDIK_ID, ROOT_ID, AuthStack, Minter


async def test_auth_serves_the_demo_tree_and_the_key_the_minter_signs_with(
    auth_stack: AuthStack, minter: Minter
) -> None:
    async with httpx.AsyncClient(base_url=auth_stack.url) as auth:
        tree = UnitTree.from_json((await auth.get("/v1/units/tree")).json())
        jwks = (await auth.get("/.well-known/jwks.json")).json()
    assert tree.contains(ROOT_ID, DINKES_ID)
    assert not tree.contains(DISDIK_ID, DINKES_ID)
    assert minter.kid in {key["kid"] for key in jwks["keys"]}
