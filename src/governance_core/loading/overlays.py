"""Overlays: a district completes or adjusts published policies with a YAML file, no Python.

An overlay adds the unpublished items of a list (the other six of the nine 有错无为
conditions), replaces or removes an item (only explicitly, with a reason), sets the values
of a parameter the source names without publishing (任职年限), and adds steps, guards and
evidence to a procedure. It derives a new policy set and
never changes the one it is applied to (as OpenFisca's reforms do); every change is recorded
as a :class:`Change`, and every item a verdict shows says which file supplied it.

The format is in docs/overlays.md.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from pathlib import Path
from typing import Any, final

import attrs

from governance_core.errors import PolicyError
from governance_core.files import Located, load_yaml, structure_located
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.model import converter
from governance_core.rules.common import Citation, Supplier, SupplierKind, Title
from governance_core.rules.criteria.definition import Criterion
from governance_core.rules.parameters import ParameterValue
from governance_core.rules.procedures.definition import ProcessChanges

__all__ = [
    "Change",
    "ChangeKind",
    "ItemRemoval",
    "ItemReplacement",
    "ListChanges",
    "Overlay",
    "OverlayFile",
    "OverlayHeader",
    "ParameterChanges",
    "read_overlay",
]


@final
@attrs.frozen(slots=True)
class OverlayHeader:
    """Who issues the overlay: its id, title and version (shown in every verdict it touches)."""

    id: str
    title: Title
    version: str
    note: str | None = None


@final
@attrs.frozen(slots=True)
class ItemReplacement:
    """Replace base item ``item`` by ``criterion``; the reason is kept in the provenance."""

    item: str
    reason: str
    criterion: Criterion


@final
@attrs.frozen(slots=True)
class ItemRemoval:
    """Remove base item ``item``; the reason is kept in the provenance."""

    item: str
    reason: str


@final
@attrs.frozen(slots=True)
class ListChanges:
    """Changes to one base list, named by ``list``."""

    list: str
    add: tuple[Criterion, ...] = ()
    replace: tuple[ItemReplacement, ...] = ()
    remove: tuple[ItemRemoval, ...] = ()


@final
@attrs.frozen(slots=True)
class ParameterChanges:
    """Values for base parameter ``parameter``, cited. They are added to the base's values,
    which they must not overlap, unless ``replace`` (with a reason) drops the base's values."""

    parameter: str
    citation: Citation
    values: tuple[ParameterValue, ...]
    replace: bool = False
    reason: str | None = None


@final
@attrs.frozen(slots=True)
class Overlay:
    """The top level of an overlay file."""

    overlay: OverlayHeader
    lists: tuple[ListChanges, ...] = ()
    parameters: tuple[ParameterChanges, ...] = ()
    processes: tuple[ProcessChanges, ...] = ()


@final
@attrs.frozen(slots=True)
class OverlayFile:
    """An overlay read from a file, with the position of every value."""

    located: Located
    overlay: Overlay

    @property
    def supplier(self) -> Supplier:
        header = self.overlay.overlay
        return Supplier(SupplierKind.OVERLAY, f"{header.id} ({self.located.file})", header.version)


class ChangeKind(enum.Enum):
    """What an overlay did to a base rule."""

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


def _rule_of(data: Any) -> Callable[[DataPath], str | None]:
    keys = {"lists": "list", "parameters": "parameter", "processes": "process"}

    def rule(path: DataPath) -> str | None:
        if len(path) < 2 or path[0] not in keys:
            return None
        try:
            return str(data[path[0]][path[1]][keys[str(path[0])]])
        except (KeyError, IndexError, TypeError):
            return None

    return rule


def read_overlay(path: str | Path) -> OverlayFile:
    """Read one overlay file; PolicyError lists every problem of its form. What it refers to
    is checked when it is applied to a policy set."""
    located = load_yaml(path, PolicyError)
    overlay = structure_located(converter, located, Overlay, PolicyError, _rule_of(located.data))
    return OverlayFile(located, overlay)
