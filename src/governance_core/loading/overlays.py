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

import functools
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, final

import attrs

from governance_core.errors import PolicyError
from governance_core.files import Located, load_yaml, structure_located
from governance_core.loading._schema_titles import field_words
from governance_core.loading.kinds import overlay_sections
from governance_core.loading.sources import file_form, rule_of
from governance_core.model import converter
from governance_core.rules.common import Supplier, SupplierKind, Title
from governance_core.rules.criteria.overlay import ItemRemoval, ItemReplacement, ListChanges
from governance_core.rules.kinds import Section
from governance_core.rules.parameter_sections import ParameterChanges
from governance_core.rules.provenance import Change, ChangeKind

__all__ = [
    "Change",
    "ChangeKind",
    "ItemRemoval",
    "ItemReplacement",
    "ListChanges",
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


@functools.cache
def _overlay_form(sections: tuple[Section[Any], ...]) -> type[Any]:
    return file_form("Overlay", sections, overlay=attrs.field(type=OverlayHeader))


@final
@attrs.frozen(slots=True)
class OverlayFile:
    """An overlay read from a file, with the position of every value: its header and its
    entries by section (``lists:``, ``parameters:``, ``processes:``, … of the registered
    kinds)."""

    located: Located
    header: OverlayHeader
    sections: Mapping[str, tuple[Any, ...]]

    @property
    def supplier(self) -> Supplier:
        header = self.header
        return Supplier(SupplierKind.OVERLAY, f"{header.id} ({self.located.file})", header.version)

    def records(self, section: str) -> tuple[Any, ...]:
        """The entries of one section (none when the overlay has no such section)."""
        return self.sections.get(section, ())


def read_overlay(path: str | Path) -> OverlayFile:
    """Read one overlay file; PolicyError lists every problem of its form. What it refers to
    is checked when it is applied to a policy set."""
    located = load_yaml(path, PolicyError)
    known = overlay_sections()
    read = structure_located(
        converter,
        located,
        _overlay_form(known),
        PolicyError,
        rule_of(located.data, known),
        field_words,
    )
    sections = {s.name: getattr(read, s.name) for s in known if getattr(read, s.name)}
    return OverlayFile(located, read.overlay, MappingProxyType(sections))
