"""Plugins: the hook specifications, the typed facade that calls them, loading by name from
the entry-point group ``governance_core``, settings, and what the library itself supplies.

Writing a plugin: docs/plugins.md. Every hook: :class:`GovernanceSpecs`.
"""

from governance_core.plugins._loading import installed_plugins, load_named
from governance_core.plugins._manager import PluginInfo, Plugins
from governance_core.plugins._operation import Operation, OperationKind
from governance_core.plugins._settings import (
    DeliverySettings,
    RoleDelivery,
    Settings,
    find_settings,
    read_settings,
)
from governance_core.plugins.builtin import (
    BUILTIN_SUPPLIER,
    example_roster_file,
    example_settings_file,
)
from governance_core.plugins.delivery import Delivery
from governance_core.plugins.hookspecs import PROJECT, GovernanceSpecs, hookimpl, hookspec

__all__ = [
    "BUILTIN_SUPPLIER",
    "PROJECT",
    "Delivery",
    "DeliverySettings",
    "GovernanceSpecs",
    "Operation",
    "OperationKind",
    "PluginInfo",
    "Plugins",
    "RoleDelivery",
    "Settings",
    "example_roster_file",
    "example_settings_file",
    "find_settings",
    "hookimpl",
    "hookspec",
    "installed_plugins",
    "load_named",
    "read_settings",
]
