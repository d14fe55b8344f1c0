"""Settings: which plugins, overlays and policy files to use, from ``governance.toml`` or the
``[tool.governance]`` table of ``pyproject.toml``.

.. code-block:: toml

    # governance.toml (in pyproject.toml: the same keys under [tool.governance])
    plugins = ["shizhong>=0.1"]          # entry-point names, optional version specifiers
    overlays = ["overlays/exit.yaml"]    # applied in this order
    policies = ["policies/local.yaml"]   # extra policy files
    strict_parameters = false            # a parameter without a value: error, not unknown

Relative paths are read from the settings file's folder.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, final

import attrs

from governance_core.errors import ConfigError, Problem
from governance_core.files import Located, decode_text, read_bounded, structure_located
from governance_core.messages import _
from governance_core.model import converter

__all__ = ["Settings", "find_settings", "read_settings"]


@final
@attrs.frozen(slots=True)
class Settings:
    """What to load. ``origin`` is the file the settings were read from, if any."""

    plugins: tuple[str, ...] = ()
    overlays: tuple[Path, ...] = ()
    policies: tuple[Path, ...] = ()
    strict_parameters: bool = False
    origin: Path | None = None

    def merged(
        self,
        *,
        plugins: tuple[str, ...] = (),
        overlays: tuple[Path, ...] = (),
        policies: tuple[Path, ...] = (),
        strict_parameters: bool | None = None,
    ) -> Settings:
        """These settings with more plugins, overlays and policies (from the command line)."""
        return attrs.evolve(
            self,
            plugins=(*self.plugins, *plugins),
            overlays=(*self.overlays, *overlays),
            policies=(*self.policies, *policies),
            strict_parameters=self.strict_parameters
            if strict_parameters is None
            else strict_parameters,
        )


@final
@attrs.frozen(slots=True)
class _Table:
    plugins: tuple[str, ...] = ()
    overlays: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()
    strict_parameters: bool = False


_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def _load_toml(path: Path) -> dict[str, Any]:
    text = decode_text(read_bounded(path, ConfigError), str(path), ConfigError)
    try:
        return tomllib.loads(text)
    except RecursionError:  # tomllib reads nested arrays and tables recursively
        raise ConfigError(
            [
                Problem(
                    _("the file nests arrays or tables too deeply"),
                    str(path),
                    hint=_("flatten it"),
                )
            ]
        ) from None
    except tomllib.TOMLDecodeError as exc:
        at = _AT.search(str(exc))
        line, column = (int(at[1]), int(at[2])) if at else (None, None)
        message = _AT.sub("", str(exc)).strip()
        raise ConfigError(
            [
                Problem(
                    _("malformed TOML: {message}").format(message=message), str(path), line, column
                )
            ]
        ) from None


def read_settings(path: str | Path) -> Settings:
    """Settings from ``governance.toml``, or from ``[tool.governance]`` when ``path`` is a
    ``pyproject.toml`` (empty settings if it has no such table). ConfigError otherwise."""
    path = Path(path)
    data = _load_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("governance", {})
    table = structure_located(converter, Located(data, str(path), {}, {}), _Table, ConfigError)
    folder = path.parent
    return Settings(
        table.plugins,
        tuple(folder / p for p in table.overlays),
        tuple(folder / p for p in table.policies),
        table.strict_parameters,
        path,
    )


def find_settings(folder: str | Path = ".") -> Settings:
    """The settings of ``folder``: its ``governance.toml``, else the ``[tool.governance]``
    table of its ``pyproject.toml``, else none (no plugins)."""
    folder = Path(folder)
    for name in ("governance.toml", "pyproject.toml"):
        candidate = folder / name
        if candidate.is_file():
            settings = read_settings(candidate)
            if name == "governance.toml" or settings != Settings(origin=candidate):
                return settings
    return Settings()
