"""The plugin: the district's policy files, registered through ``governance_policy_files``."""

from __future__ import annotations

from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from governance_core.plugins import hookimpl

__all__ = ["POLICY_FOLDER", "__version__", "governance_policy_files"]

try:
    __version__ = version("governance-jiaxiang")
except PackageNotFoundError:  # imported from a source tree that is not installed
    __version__ = "0+unknown"

POLICY_FOLDER = Path(str(resources.files("governance_jiaxiang") / "policies"))


@hookimpl
def governance_policy_files() -> list[Path]:
    """Every policy file of the district, in name order."""
    return sorted(POLICY_FOLDER.glob("*.yaml"))
