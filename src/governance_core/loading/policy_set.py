"""A loaded, checked set of policies: dated parameters, the expression schema, and what each
registered kind of rule assembled (criteria lists, scoring, points, procedures, …), reached
by the kind: ``policies.of(CRITERIA)``. The set knows no kind by name, so adding one leaves
it as it is."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import Any, TypeVar, final

from governance_core._version import __version__
from governance_core.expressions import ExpressionSchema, MissingFact
from governance_core.loading import kinds as registry
from governance_core.loading.manifest import Manifest
from governance_core.rules.common import Supplier
from governance_core.rules.kinds import Assembly, PolicyKind
from governance_core.rules.parameters import Parameter, ParameterValues
from governance_core.rules.provenance import Change, Origin, Problems

__all__ = ["PolicySet"]

T = TypeVar("T")


@final
class PolicySet:
    """Parameters, every expression checked against one schema, each kind's assembled rules
    (``of(kind)``), who supplied each record, and the changes overlays made to reach them.
    Immutable: an overlay derives a new set.

    ``built`` holds each kind's result by the kind's name; a kind left out holds nothing (its
    assembly from no source), so a set for one procedure needs only that.
    """

    __slots__ = (
        "_built",
        "_origins",
        "changes",
        "manifest",
        "parameters",
        "schema",
        "suppliers",
    )

    def __init__(
        self,
        parameters: Mapping[str, Parameter],
        schema: ExpressionSchema,
        built: Mapping[str, Any],
        suppliers: Mapping[str, Mapping[str, Supplier]] | None = None,
        changes: Sequence[Change] = (),
        origins: Mapping[str, Mapping[str, Origin]] | None = None,
        manifest: Manifest | None = None,
    ) -> None:
        self.parameters: Mapping[str, Parameter] = MappingProxyType(
            dict(sorted(parameters.items()))
        )
        self.schema = schema
        self._built: Mapping[str, Any] = MappingProxyType(
            {
                k.name: built[k.name] if k.name in built else self._nothing(k)
                for k in registry.registered()
            }
        )
        # who supplied each record, by section and id (for `governance plugins`)
        self.suppliers: Mapping[str, Mapping[str, Supplier]] = MappingProxyType(
            {name: MappingProxyType(dict(found)) for name, found in (suppliers or {}).items()}
        )
        # what overlays added, replaced and removed, in the order they were applied
        self.changes: tuple[Change, ...] = tuple(changes)
        # where each record was written, by section and id (for findings about a rule)
        self._origins: Mapping[str, Mapping[str, Origin]] = origins or {}
        # what the set was made of, and its digest (a decision carries it: loading/manifest.py)
        self.manifest = manifest if manifest is not None else Manifest(__version__, {}, "")

    def position(self, section: str, record: str, path: tuple[str | int, ...] = ()) -> str:
        """``file:line:column`` of record ``record`` of ``section`` (or of the value at
        ``path`` below it); the supplier's name when the record has no file position."""
        origin = self._origins.get(section, {}).get(record)
        if origin is None:
            supplier = self.suppliers.get(section, {}).get(record)
            return str(supplier) if supplier is not None else section
        found = origin.located.position((*origin.path, *path))
        if found is None:
            return f"{origin.located.file}"
        return f"{found.file or origin.located.file}:{found.line}:{found.column}"

    def _nothing(self, kind: PolicyKind[T]) -> T:
        """What ``kind`` assembles from no source (only for a set built without it)."""
        empty = Assembly((), (), Problems(), self.schema.functions)
        empty.parameters, empty.schema = self.parameters, self.schema
        return kind.assemble(empty)

    def of(self, kind: PolicyKind[T]) -> T:
        """What ``kind`` assembled, the one way to reach a kind's rules: ``of(CRITERIA)`` is
        the compiled lists by id (``of(CRITERIA).find(id)`` explains a miss), ``of(SCORING)``
        the rubrics, votes and grade policies."""
        result: T = self._built[kind.name]
        return result

    @property
    def parameter_suppliers(self) -> Mapping[str, Supplier]:
        """Who supplied each parameter."""
        return self.suppliers.get("parameters", {})

    def provided_by(self, supplier: Supplier) -> dict[str, tuple[str, ...]]:
        """The ids ``supplier`` gave, by section (``lists``, ``rubrics``, …), sections it gave
        nothing of left out."""
        found = {
            section: tuple(sorted(k for k, s in by_id.items() if s == supplier))
            for section, by_id in self.suppliers.items()
        }
        return {section: ids for section, ids in found.items() if ids}

    def unvalued(self, as_of: date) -> tuple[Parameter, ...]:
        """Parameters with no value in effect on ``as_of`` (unpublished, or out of range)."""
        missing = []
        for parameter in self.parameters.values():
            try:
                parameter.value_on(as_of)
            except MissingFact:
                missing.append(parameter)
        return tuple(missing)

    def values_on(self, as_of: date, *, strict: bool = False) -> ParameterValues:
        """Parameter values as of ``as_of``; strict raises for a value that is missing."""
        return ParameterValues(self.parameters, as_of, strict=strict)
