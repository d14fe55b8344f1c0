"""Shared fixtures: a policy file writer, the example roster, the 市中区 plugin, a database.

Helpers that are not fixtures (dates, a policy file, a dossier factory) are in tests/support.py.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from governance_core import Engine, Roster, load_roster
from tests.support import ROOT

# the district plugins of plugins_contrib/: the core tests run without them (the unit lane)
DISTRICTS = frozenset(path.name for path in (ROOT / "plugins_contrib").iterdir() if path.is_dir())


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--without-districts",
        action="store_true",
        help="hide the contrib district plugins, as on a machine that has only the library "
        "installed; a test that still needs one fails (mark it `districts`)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("--without-districts"):
        return
    from governance_core.plugins import _loading
    from governance_core.testing import pytest_plugin

    def library_only(*, group: str) -> Any:
        return [e for e in entry_points(group=group) if e.name not in DISTRICTS]

    # the two places the library asks the environment which plugins are installed; for the
    # whole session, so never undone
    hiding = pytest.MonkeyPatch()
    hiding.setattr(_loading, "entry_points", library_only)
    hiding.setattr(pytest_plugin, "entry_points", library_only)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    def _write(text: str, name: str = "policy.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture(scope="session")
def example_roster() -> Roster:
    return load_roster(Engine.example_roster())


@pytest.fixture(scope="session")
def examples() -> Engine:
    """The 市中区 plugin (plugins_contrib/shizhong, installed by ./scripts/test): real lists
    for the engine's tests; the plugin's own tests cover its content."""
    return Engine.load(plugins=["shizhong"])


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty database: a SQLite file, or a database on the PostgreSQL server that
    ./scripts/test starts (its URL in GOVERNANCE_TEST_POSTGRES)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'governance.db'}"
        return
    server = os.environ.get("GOVERNANCE_TEST_POSTGRES")
    if not server:
        pytest.skip("GOVERNANCE_TEST_POSTGRES is not set; ./scripts/test starts a server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"{server.rsplit('/', 1)[0]}/{name}"
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
