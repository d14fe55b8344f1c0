"""Where an assembled record came from, what overlays changed, and the problems found while
assembling.

Shared by the assembly of every kind of rule: every problem is located in the file or plugin
record that supplied the element concerned, and the error raised names a plugin whenever a
plugin's record is at fault, so nothing is evaluated without it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from typing import final

import attrs

from governance_core.errors import PluginError, PolicyError, Problem
from governance_core.files import Located
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.messages import _
from governance_core.rules.common import Supplier, SupplierKind

__all__ = ["Change", "ChangeKind", "Found", "Origin", "Problems", "located_problems"]

Found = tuple[DataPath, str, str | None]
"""A problem a check found in a record: the path below the record, the message, a hint. The
caller locates it in whatever file or plugin record the record came from."""


def located_problems(
    located: Located, base: DataPath, rule: str, found: Iterable[Found]
) -> Iterator[Problem]:
    """``found`` (paths below ``base``) as problems located in ``located``."""
    for sub, message, hint in found:
        yield located.problem((*base, *sub), message, rule_id=rule, hint=hint)


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
            found,
            hint="; ".join(
                filter(
                    None, (found.hint, _("supplied by {supplier}").format(supplier=self.supplier))
                )
            ),
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


class ChangeKind(enum.Enum):
    """What an overlay (or a plugin's extension) did to a base rule."""

    ADDED = "added"
    REPLACED = "replaced"
    REMOVED = "removed"
    VALUES_ADDED = "values_added"
    VALUES_REPLACED = "values_replaced"
    EXTENDED = "extended"


@final
@attrs.frozen(slots=True)
class Change:
    """One change an overlay made: to which rule, by whom, and why (for replacements and
    removals, which must give a reason)."""

    kind: ChangeKind
    rule_id: str
    supplier: Supplier
    reason: str | None = None
