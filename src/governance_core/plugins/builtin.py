"""The policy files and example data shipped inside the package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from governance_core._version import __version__

__all__ = ["BUILTIN_SUPPLIER", "builtin_policy_files", "example_roster_file"]

BUILTIN_SUPPLIER = f"governance_core {__version__} (built-in examples)"

_EXAMPLES = resources.files("governance_core") / "examples"


def builtin_policy_files() -> list[tuple[Path, str]]:
    """The bundled example policy files, each with who supplied it, in name order."""
    folder = Path(str(_EXAMPLES / "policies"))
    return [(path, BUILTIN_SUPPLIER) for path in sorted(folder.glob("*.yaml"))]


def example_roster_file() -> Path:
    """The bundled, fictional example roster (市中区 names, invented people)."""
    return Path(str(_EXAMPLES / "roster.yaml"))
