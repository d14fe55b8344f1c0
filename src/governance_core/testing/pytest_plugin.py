"""pytest fixtures for tests of district plugins and policies, registered through the
``pytest11`` entry point: installing governance_core makes them available in any test.

- ``governance_engine(*plugins, overlays=(), policies=())``: an engine with the named
  installed plugins, built once per session for the same arguments;
- ``governance_plugins``: a plugin manager holding the built-in plugin only, which never
  reads the installed entry points;
- ``register_plugin(plugin, name=..., plugins=(), overlays=())``: an engine with a plugin
  object of your own registered for this one test, beside the named installed plugins only;
- ``governance_example_roster``: the bundled, fictional example roster.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from governance_core.engine import Engine
from governance_core.model import Roster, load_roster
from governance_core.plugins import BUILTIN_SUPPLIER, Plugins
from governance_core.plugins import builtin as builtin_plugin
from governance_core.rules.common import Supplier, SupplierKind

__all__ = [
    "governance_engine",
    "governance_example_roster",
    "governance_plugins",
    "register_plugin",
]

EngineFactory = Callable[..., Engine]


@pytest.fixture(scope="session")
def governance_engine() -> EngineFactory:
    """``governance_engine("shizhong", overlays=["my-overlay.yaml"])``: an engine with those
    installed plugins and files; the same arguments give the same engine within a session
    (an engine is never changed by use: overlays derive new ones)."""
    built: dict[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], Engine] = {}

    def make(
        *plugins: str, overlays: Sequence[str | Path] = (), policies: Sequence[str | Path] = ()
    ) -> Engine:
        key = (plugins, tuple(map(str, overlays)), tuple(map(str, policies)))
        if key not in built:
            built[key] = Engine.load(plugins=plugins, overlays=overlays, policies=policies)
        return built[key]

    return make


@pytest.fixture
def governance_plugins() -> Plugins:
    """A plugin manager with the built-in plugin only; register yours on it. It never looks
    at the installed entry points, so other districts' plugins cannot leak into a test."""
    manager = Plugins()
    manager.register(builtin_plugin, BUILTIN_SUPPLIER)
    return manager


@pytest.fixture
def register_plugin() -> EngineFactory:
    """``register_plugin(my_module, name="mydistrict")``: an engine with ``my_module``'s hook
    implementations registered for this test only, without installing it; ``plugins`` names
    installed plugins to load beside it (none by default)."""

    def make(
        plugin: object,
        *,
        name: str = "under_test",
        version: str = "0",
        plugins: Sequence[str] = (),
        overlays: Sequence[str | Path] = (),
    ) -> Engine:
        supplier = Supplier(SupplierKind.PLUGIN, name, version)
        installed = [e for e in entry_points(group="governance_core") if e.name in plugins]
        return Engine.load(
            plugins=plugins,
            overlays=overlays,
            register=[(plugin, supplier)],
            available=installed,
        )

    return make


@pytest.fixture(scope="session")
def governance_example_roster() -> Roster:
    """The bundled, fictional example roster (four people of 市中区)."""
    return load_roster(Engine.example_roster())
