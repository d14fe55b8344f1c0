"""What the library itself supplies, registered through the same hooks as district plugins:
the built-in expression functions and procedures common to every district (四议两公开). And
the fictional example roster the main job reads."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from governance_core._version import __version__
from governance_core.expressions import BUILTIN_FUNCTIONS, ExprFunction
from governance_core.plugins.hookspecs import hookimpl
from governance_core.rules.common import Supplier, SupplierKind

__all__ = ["BUILTIN_SUPPLIER", "example_roster_file", "example_settings_file"]

BUILTIN_SUPPLIER = Supplier(SupplierKind.BUILT_IN, "governance_core", __version__)

_EXAMPLES = resources.files("governance_core") / "examples"
_PROCEDURES = resources.files("governance_core") / "procedures"


@hookimpl
def governance_expression_functions() -> tuple[ExprFunction, ...]:
    """The built-in functions: has_finding, count, years_in_post, … (docs/expressions.md)."""
    return BUILTIN_FUNCTIONS.functions()


@hookimpl
def governance_policy_files() -> list[Path]:
    """The built-in procedures (docs/procedures.md), in name order."""
    return sorted(Path(str(_PROCEDURES)).glob("*.yaml"))


def example_roster_file() -> Path:
    """The bundled, fictional example roster (市中区 place names, invented people)."""
    return Path(str(_EXAMPLES / "roster.yaml"))


def example_settings_file() -> Path:
    """The settings ``governance run`` uses when none are given: the 市中区 plugin."""
    return Path(str(_EXAMPLES / "governance.toml"))
