"""How a kind of rule plugs into loading.

A kind (criteria lists, scoring, points, procedures, …) declares, in its own package:

- the **sections** of a policy file it reads (``lists:``, ``rubrics:``, …), each with its record
  type, the check every record gets on its own, the field that names the rule in a problem,
  and the plugin hook that supplies such records from Python, if any;
- the sections an **overlay** file may hold for it (``lists:`` of changes, ``processes:``);
- how the records of every source, and the overlays, are **assembled** into what the policy
  set holds for it (``assemble``), reporting every problem where it was written;
- the **titles** of its records and fields in the published JSON Schemas (``titles``), and the
  **hook specifications** of the plugin hooks its sections name (``hookspecs``).

Loading (:mod:`governance_core.loading`) loops over the registered kinds: it builds the policy
file's and the overlay file's form from their sections, hands plugins' records to the right
section, and calls each kind's ``assemble`` in registration order. A kind refers to another
kind's records by section name only (``assembly.declared("lists")``), so kinds stay independent
of each other. Kinds are registered under the entry-point group :data:`KIND_GROUP`, the
library's own as any other distribution's: adding a kind is a package and one entry point
(docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar, final

import attrs
import pluggy

from governance_core.errors import Problem
from governance_core.expressions import BUILTIN_FUNCTIONS, ExpressionSchema, FunctionRegistry
from governance_core.files import Located
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.messages import _
from governance_core.rules.common import Supplier, Title
from governance_core.rules.parameters import Parameter
from governance_core.rules.provenance import Change, Origin, Problems

__all__ = [
    "KIND_GROUP",
    "PROJECT",
    "Assembly",
    "PolicyKind",
    "RecordSource",
    "SchemaTitles",
    "Section",
    "hookspec",
    "no_titles",
]

PROJECT = "governance_core"
"""The pluggy project name and the entry-point group plugins are published under."""

KIND_GROUP = "governance_core.kinds"
"""The entry-point group kinds of rule are registered under (``name = "module:KIND"``)."""

hookspec = pluggy.HookspecMarker(PROJECT)
"""Mark a hook specification; a kind's hooks are specified in its own package."""

R = TypeVar("R")
T_co = TypeVar("T_co", covariant=True)


def _unchecked(_located: Located, _path: DataPath, record: Any) -> tuple[Any, list[Problem]]:
    return record, []


def _by_id(record: Any) -> str:
    return str(record.id)


@final
@attrs.frozen(slots=True)
class Section(Generic[R]):
    """One section of a policy or overlay file: ``name:`` holds a list of ``record``.

    ``check`` checks one record on its own (where it was written: ``located`` and ``path``)
    and returns it fixed (values coerced) with its problems. ``key`` is what must be unique
    across every source (the id); ``unique=False`` collects the records instead (extensions
    of another supplier's record). ``rule_field`` names the rule in a problem located in the
    record; ``rule_of`` may name a finer one from the path below the record (a list's item).
    ``hook`` is the plugin hook that returns such records from Python. ``title`` names the
    section in reports (``governance plugins``), in Chinese and English.
    """

    name: str
    record: type[R]
    title: Title | None = None
    check: Callable[[Located, DataPath, R], tuple[R, list[Problem]]] = _unchecked
    key: Callable[[R], str] = _by_id
    unique: bool = True
    rule_field: str = "id"
    rule_of: Callable[[Mapping[str, Any], DataPath], str] | None = None
    hook: str | None = None

    def title_in(self, lang: str) -> str:
        """The section's name in ``lang`` (``zh`` or ``en``)."""
        return self.title.in_language(lang) if self.title is not None else self.name

    def rule(self, entry: Mapping[str, Any], below: DataPath) -> str:
        """The rule a problem at ``below`` inside ``entry`` (raw data) belongs to."""
        if self.rule_of is not None:
            return self.rule_of(entry, below)
        return str(entry[self.rule_field])


class RecordSource(Protocol):
    """A policy file, a plugin's records or an overlay: its sections' records, with where
    each value was written and who supplied it."""

    @property
    def located(self) -> Located: ...

    @property
    def supplier(self) -> Supplier: ...

    def records(self, section: str) -> tuple[Any, ...]: ...


@final
class Assembly:
    """What a kind's ``assemble`` works with: every source's records by section (each with
    its origin), the overlays in order, the parameters after overlays and the expression
    schema of the whole set; it records problems and the changes overlays made."""

    __slots__ = (
        "_claimed",
        "_later",
        "_records",
        "changes",
        "overlays",
        "parameters",
        "problems",
        "schema",
        "sources",
    )

    def __init__(
        self,
        sources: Sequence[RecordSource],
        overlays: Sequence[RecordSource],
        problems: Problems,
        functions: FunctionRegistry = BUILTIN_FUNCTIONS,
    ) -> None:
        self.sources = sources
        self.overlays = overlays
        self.problems = problems
        # set by loading once overlays have set the parameters' values, before any kind runs
        self.parameters: Mapping[str, Parameter] = {}
        self.schema = ExpressionSchema({}, functions)
        self.changes: list[Change] = []
        self._records: dict[str, dict[str, tuple[Any, Origin]]] = {}
        self._claimed: dict[str, Origin] = {}
        self._later: list[Callable[[Mapping[str, object]], None]] = []

    def records(self, section: Section[R]) -> Mapping[str, tuple[R, Origin]]:
        """The section's records of every source by key; a key supplied twice is a problem
        naming both places (reported once, however often this is asked)."""
        found = self._records.get(section.name)
        if found is None:
            found = self._records[section.name] = {}
            for record, origin in self.collected(section):
                name = section.key(record)
                if name in found:
                    self.problems.at(
                        origin,
                        ("id",),
                        _("duplicate id {name!r}").format(name=name),
                        name,
                        _("also supplied at {value}").format(value=found[name][1].where()),
                    )
                    continue
                found[name] = (record, origin)
        return found

    def collected(self, section: Section[R]) -> list[tuple[R, Origin]]:
        """Every record of the section, in the order of the sources."""
        return [
            (record, Origin(source.supplier, source.located, (section.name, i)))
            for source in self.sources
            for i, record in enumerate(source.records(section.name))
        ]

    def overlay_entries(self, section: Section[R]) -> list[tuple[R, Origin]]:
        """Every overlay's entries of the section, in the order the overlays apply."""
        return [
            (entry, Origin(overlay.supplier, overlay.located, (section.name, i)))
            for overlay in self.overlays
            for i, entry in enumerate(overlay.records(section.name))
        ]

    def declared(self, section: str) -> Collection[str]:
        """The ids a section holds across every source (another kind's, by name: a kind
        refers to lists, rubrics or procedures without importing their package)."""
        return self._records.get(section, {}).keys()

    def declared_record(self, section: str, rule_id: str) -> object | None:
        """Another kind's record by section name and id, untyped (None when not declared):
        for a check that reads one of its fields without importing its package."""
        found = self._records.get(section, {}).get(rule_id)
        return None if found is None else found[0]

    def origins(self, section: str) -> Mapping[str, Origin]:
        """Where each record of a unique section was written, by id."""
        return {k: origin for k, (_, origin) in self._records.get(section, {}).items()}

    def supplied(self, section: str) -> Mapping[str, Supplier]:
        """Who supplied each record of a unique section, by id."""
        return {k: origin.supplier for k, (_, origin) in self._records.get(section, {}).items()}

    def later(self, check: Callable[[Mapping[str, object]], None]) -> None:
        """Run ``check`` once every kind has assembled, with what each assembled by kind name:
        for a reference to what only another kind's assembly makes (a step that a plugin's
        extension or an overlay adds to a procedure)."""
        self._later.append(check)

    def finish(self, built: Mapping[str, object]) -> None:
        """Run the checks :meth:`later` deferred (loading calls it after the last kind)."""
        for check in self._later:
            check(built)

    def procedure_steps(self, built: Mapping[str, object]) -> dict[str, tuple[str, ...]]:
        """Each procedure's step ids as assembled, with the steps plugins' extensions and
        overlays added (as declared when its assembly failed, so one problem is not reported
        twice); read by field name, the procedures kind is not imported."""
        found = {
            process_id: tuple(s.id for s in getattr(record, "steps", ()))
            for process_id in self.declared("processes")
            if (record := self.declared_record("processes", process_id)) is not None
        }
        assembled = built.get("procedures")
        if isinstance(assembled, Mapping):
            for process_id, definition in assembled.items():
                found[process_id] = tuple(s.id for s in getattr(definition, "steps", ()))
        return found

    def claim(self, origin: Origin, sub: DataPath, rule_id: str) -> bool:
        """One overlay may change a base rule; a second is a conflict naming both."""
        other = self._claimed.get(rule_id)
        if other is not None and other.supplier != origin.supplier:
            self.problems.at(
                origin,
                sub,
                _("{rule_id} is changed by two overlays").format(rule_id=rule_id),
                rule_id,
                _("also changed at {value}; merge the changes into one overlay").format(
                    value=other.where()
                ),
            )
            return False
        self._claimed[rule_id] = origin
        return True


@final
@attrs.frozen(slots=True)
class SchemaTitles:
    """A kind's titles in the published JSON Schemas, in the current language: its records' by
    class name, its fields' by field name (or ``Record.field`` where one record means another
    thing by it)."""

    records: Mapping[str, str]
    fields: Mapping[str, str]


def no_titles() -> SchemaTitles:
    """The titles of a kind whose records have none of their own."""
    return SchemaTitles({}, {})


class PolicyKind(Protocol[T_co]):
    """A kind of rule: its sections in policy and overlay files, and its assembly into
    what the policy set holds for it (``PolicySet.of(kind)``)."""

    @property
    def name(self) -> str:
        """A short English name (``criteria``), used in messages and reports."""
        ...

    @property
    def sections(self) -> tuple[Section[Any], ...]:
        """The sections of a policy file this kind reads."""
        ...

    @property
    def overlay_sections(self) -> tuple[Section[Any], ...]:
        """The sections of an overlay file this kind reads."""
        ...

    @property
    def titles(self) -> Callable[[], SchemaTitles]:
        """Its records' and fields' titles in the current language (loading/schemas.py)."""
        ...

    @property
    def hookspecs(self) -> type | None:
        """The class holding the ``@hookspec`` of each hook its sections name; None when no
        section of it is supplied from Python."""
        ...

    def assemble(self, assembly: Assembly) -> T_co:
        """What the policy set holds for this kind, from every source and overlay; every
        problem is recorded in ``assembly.problems``, located."""
        ...
