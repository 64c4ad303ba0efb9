"""What the notifications need beyond a session, bound to the app's engine.

`on_request_event` is called by `core.history.record_event` with a session only
(docs/requests-contract.md), so the lifespan binds the app's tracking-link base and
unit-tree cache to its engine, as auth binds its token config: each app (and each
test app with its own settings) writes its own links.
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from ppid_kit.unit_tree import UnitTree, UnitTreeCache
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from requests_service.settings import RequestsSettings


@dataclass(frozen=True)
class NotifyConfig:
    tracking_link_base: str
    trees: UnitTreeCache | None = None  # units' names in emails, when a tree is held

    @classmethod
    def from_settings(
        cls, settings: RequestsSettings, trees: UnitTreeCache | None = None
    ) -> NotifyConfig:
        return cls(tracking_link_base=settings.tracking_link_base, trees=trees)

    def tree(self) -> UnitTree | None:
        """The tree held now, never fetched here: an email must not wait on auth."""
        return None if self.trees is None else self.trees.tree


# Sessions on an engine no app configured (tools, tests) link to the default base.
DEFAULT = NotifyConfig(
    tracking_link_base=str(RequestsSettings.model_fields["tracking_link_base"].default)
)
_CONFIGS: WeakKeyDictionary[AsyncEngine, NotifyConfig] = WeakKeyDictionary()


def bind_config(engine: AsyncEngine, config: NotifyConfig) -> None:
    """Make `config` the one used by every session on `engine` (called from the lifespan)."""
    _CONFIGS[engine] = config


def config_for(session: AsyncSession) -> NotifyConfig:
    engine = session.bind
    found = _CONFIGS.get(engine) if isinstance(engine, AsyncEngine) else None
    return DEFAULT if found is None else found
