"""Where an assembled record came from, and the problems found while assembling.

Shared by the assembly of lists, scoring policies and procedures: every problem is located in
the file or plugin record that supplied the element concerned, and the error raised names a
plugin whenever a plugin's record is at fault, so nothing is evaluated without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, final

import attrs

from governance_core.errors import PluginError, PolicyError, Problem
from governance_core.files import Located
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.loading.sources import PolicySource
from governance_core.rules.common import Supplier, SupplierKind

__all__ = ["Origin", "Problems", "unique"]

_PLUGGED = (SupplierKind.PLUGIN, SupplierKind.BUILT_IN)


@final
@attrs.frozen(slots=True)
class Origin:
    """Where a list or an item came from: its supplier and its place in a located file."""

    supplier: Supplier
    located: Located
    path: DataPath

    def problem(
        self, sub: DataPath, message: str, rule_id: str, hint: str | None = None
    ) -> Problem:
        found = self.located.problem((*self.path, *sub), message, rule_id=rule_id, hint=hint)
        if self.supplier.kind not in _PLUGGED or found.file == str(self.supplier):
            return found
        # a plugin's problem names the plugin and version, wherever its file lies
        return attrs.evolve(
            found, hint="; ".join(filter(None, (found.hint, f"supplied by {self.supplier}")))
        )

    def where(self) -> str:
        position = self.located.position(self.path)
        line = f":{position.line}" if position else ""
        return f"{self.located.file}{line} ({self.supplier})"


@final
class Problems:
    """Problems found so far, and whether a plugin is to blame for any."""

    __slots__ = ("blames_plugin", "found")

    def __init__(self) -> None:
        self.found: list[Problem] = []
        self.blames_plugin = False

    def add(self, origin: Origin, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.found.append(problem)
            self.blames_plugin |= origin.supplier.kind in _PLUGGED

    def at(
        self, origin: Origin, sub: DataPath, message: str, rule_id: str, hint: str | None = None
    ) -> None:
        self.add(origin, [origin.problem(sub, message, rule_id, hint)])

    def raise_any(self) -> None:
        if self.found:
            raise (PluginError if self.blames_plugin else PolicyError)(self.found)


def unique(
    sources: Sequence[PolicySource],
    section: str,
    problems: Problems,
    key: Callable[[Any], str] = lambda record: str(record.id),
) -> dict[str, tuple[Any, Origin]]:
    """The records of one section of every source by key (the id); a key supplied twice
    names both places."""
    found: dict[str, tuple[Any, Origin]] = {}
    for source in sources:
        for i, record in enumerate(getattr(source.policy, section)):
            origin = Origin(source.supplier, source.located, (section, i))
            name = key(record)
            if name in found:
                problems.at(
                    origin,
                    ("id",),
                    f"duplicate id {name!r}",
                    record.id,
                    f"also supplied at {found[name][1].where()}",
                )
                continue
            found[name] = (record, origin)
    return found
