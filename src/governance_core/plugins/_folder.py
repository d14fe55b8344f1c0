"""Data-only plugins: a district plugin that is a ``pyproject.toml`` and YAML files, no Python.

Its entry point (group ``governance_core``) names a package that holds policy files and no
code, e.g. ``shizhong = "governance_shizhong.policies"``; every ``*.yaml`` file of that
package's folder is one of its policy files, in name order, read exactly as the files a Python
plugin returns from ``governance_policy_files``. A plugin that needs code (expression
functions, observers) keeps a module with hook implementations instead.
"""

from __future__ import annotations

import stat
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import final

from governance_core.messages import _
from governance_core.plugins.hookspecs import PROJECT, hookimpl

__all__ = ["FolderError", "PolicyFolder", "data_only"]


class FolderError(Exception):
    """A data-only plugin's folder holds a ``*.yaml`` entry that is not a regular file inside
    it (a FIFO would hang every command that names the plugin; a link out of the folder reads
    a file the plugin does not own)."""


@final
class PolicyFolder:
    """A plugin whose policies are the YAML files of one folder."""

    __slots__ = ("files",)

    def __init__(self, files: tuple[Path, ...]) -> None:
        self.files = files

    @hookimpl
    def governance_policy_files(self) -> list[Path]:
        """The folder's ``*.yaml`` files, in name order."""
        return list(self.files)

    def __repr__(self) -> str:
        return f"PolicyFolder({len(self.files)} files)"


def _has_hooks(module: ModuleType) -> bool:
    # pluggy marks an implementation with "<project>_impl"
    return any(hasattr(getattr(module, name), f"{PROJECT}_impl") for name in dir(module))


def data_only(loaded: object) -> PolicyFolder | None:
    """The plugin for an entry point that names a package with policy files and no hooks;
    None when ``loaded`` is a plugin with hooks of its own (or not a package)."""
    if not isinstance(loaded, ModuleType) or not hasattr(loaded, "__path__"):
        return None
    if _has_hooks(loaded):
        return None
    folder = resources.files(loaded)
    files = sorted(
        (Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".yaml")),
        key=lambda path: path.name,
    )
    for path in files:
        _regular_inside(path, path.parent.resolve())
    return PolicyFolder(tuple(files))


def _regular_inside(path: Path, root: Path) -> None:
    """FolderError unless ``path`` is a regular file, itself or where its link leads, inside
    ``root``."""
    real = path.resolve()
    if not real.is_relative_to(root):
        raise FolderError(
            _("{name} leads out of the plugin's folder (to {target})").format(
                name=path.name, target=real
            )
        )
    try:
        regular = stat.S_ISREG(real.stat().st_mode)
    except OSError:
        regular = False
    if not regular:
        raise FolderError(_("{name} is not a regular file").format(name=path.name))
