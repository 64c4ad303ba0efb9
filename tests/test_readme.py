"""The README covers what issue 2 asks: the commands, every setting, the layout, migrations."""

from __future__ import annotations

import re

from auth_service.settings import AuthSettings
from gateway.settings import GatewaySettings
from pydantic_settings import BaseSettings
from registry_service.settings import RegistrySettings
from requests_service.settings import RequestsSettings

from tools.services import GATEWAY, ROOT, SERVICES

README = (ROOT / "README.md").read_text()
SETTINGS: tuple[type[BaseSettings], ...] = (
    AuthSettings,
    RegistrySettings,
    RequestsSettings,
    GatewaySettings,
)
# Where the launcher and the apps read the environment directly (not through settings).
ENV_READERS = (
    ROOT / "tools" / "run.py",
    ROOT / "tools" / "devdb.py",
    *ROOT.glob("services/*/src/**/*.py"),
    *ROOT.glob("gateway/src/**/*.py"),
)


def section(title: str) -> str:
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert found is not None, f"no '## {title}' section"
    return found.group(1)


def documented_names() -> set[str]:
    return set(re.findall(r"`([A-Z<][A-Z0-9_<>*]+)`", section("Configuration")))


def is_documented(name: str, names: set[str]) -> bool:
    service = name.split("_", 1)
    generic = f"<SERVICE>_{service[1]}" if service[0] != "GATEWAY" else None
    wildcards = (n[:-1] for n in names if n.endswith("_*"))
    return name in names or generic in names or any(name.startswith(w) for w in wildcards)


def settings_variables() -> list[str]:
    variables = []
    for settings in SETTINGS:
        prefix = str(settings.model_config.get("env_prefix", ""))
        variables += [(prefix + field).upper() for field in settings.model_fields]
    return variables


def test_every_setting_is_documented() -> None:
    names = documented_names()
    variables = settings_variables()
    assert len(variables) > 100
    missing = [name for name in variables if not is_documented(name, names)]
    assert not missing, f"not in the README's Configuration: {missing}"


def test_every_variable_read_directly_is_documented() -> None:
    names = documented_names()
    read = {
        name
        for path in ENV_READERS
        for name in re.findall(r"environ\.get\(\s*[\"']([A-Z0-9_]+)[\"']", path.read_text())
    }
    read |= {f"PPID_{app.name.upper()}_PORT" for app in (*SERVICES, GATEWAY)}
    assert {"PPID_DATABASE_URL", "PPID_HOST", "PPID_PG_PORT"} <= read
    missing = sorted(name for name in read if not is_documented(name, names))
    assert not missing, f"not in the README's Configuration: {missing}"


def test_the_configuration_table_is_one_table() -> None:
    lines = section("Configuration").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| variable |"))
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("|"))
    rows = lines[start:end]
    assert all(row.count("|") - row.count("\\|") >= 4 for row in rows)
    assert not any(line.startswith("| `") for line in lines[end:]), "a blank line splits it"


def test_what_it_is_the_commands_the_layout_and_migrations() -> None:
    intro = README.split("\n## ", 1)[0]
    assert "UU 14/2008" in intro
    assert "PPID" in intro
    commands = section("The two commands")
    assert "make run" in commands
    assert "make test" in commands
    layout = section("Layout")
    for folder in ("services/kit/", "services/auth/", "gateway/", "openapi/", "tools/", "tests/"):
        assert folder in layout, folder
    migration = section("Adding a migration")
    assert "alembic revision --autogenerate" in migration
    assert "alembic upgrade head" in migration
