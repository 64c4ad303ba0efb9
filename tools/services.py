"""The four apps of Terbuka as the launcher and the tests start them."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class App:
    name: str  # auth, registry, requests, gateway
    factory: str  # module:function for `uvicorn --factory`
    env_prefix: str
    default_port: int
    folder: Path

    @property
    def database(self) -> str:
        return f"terbuka_{self.name}"


SERVICES = (
    App("auth", "auth_service.main:create_app", "AUTH_", 8001, ROOT / "services" / "auth"),
    App(
        "registry",
        "registry_service.main:create_app",
        "REGISTRY_",
        8002,
        ROOT / "services" / "registry",
    ),
    App(
        "requests",
        "requests_service.main:create_app",
        "REQUESTS_",
        8003,
        ROOT / "services" / "requests",
    ),
)
GATEWAY = App("gateway", "gateway.main:create_app", "GATEWAY_", 8000, ROOT / "gateway")


def migrate(app: App, database_url: str) -> None:
    """Run the app's Alembic migrations up to head against `database_url`."""
    env = {**os.environ, f"{app.env_prefix}DATABASE_URL": database_url}
    subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(app.folder / "alembic.ini"), "upgrade", "head"],
        check=True,
        env=env,
        cwd=app.folder,
    )
