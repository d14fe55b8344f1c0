"""Assemble policy sources and overlays into one checked, compiled :class:`PolicySet`.

Each source was checked on its own (:mod:`sources`); here what needs all of them together:
ids supplied twice (naming both suppliers), overlays applied in order, and every expression
checked against the parameters and functions of the whole set. Every problem of every source
is reported in one error, located in the file or record it came from; when a plugin supplied
the record concerned the error is a :class:`PluginError`, so nothing is evaluated without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import final

import attrs

from governance_core.errors import ExpressionError, PolicyError, Problem
from governance_core.expressions import (
    BUILTIN_FUNCTIONS,
    ExpressionSchema,
    FunctionRegistry,
    check_expression,
)
from governance_core.files import did_you_mean
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.loading.overlays import (
    Change,
    ChangeKind,
    ItemRemoval,
    ItemReplacement,
    OverlayFile,
    ParameterChanges,
    read_overlay,
)
from governance_core.loading.policy_set import PolicySet, Scoring
from governance_core.loading.sources import (
    PolicySource,
    coerced_values,
    range_problems,
    read_policy_file,
)
from governance_core.rules.common import Supplier, SupplierKind
from governance_core.rules.criteria.definition import CriteriaList, Criterion
from governance_core.rules.criteria.evaluation import CompiledList
from governance_core.rules.parameters import Parameter, overlapping
from governance_core.rules.points import Catalogue, PointItem, PointsScheme
from governance_core.rules.points.scheme import item_reference_problems
from governance_core.rules.points.scheme import reference_problems as points_reference_problems
from governance_core.rules.procedures.assembly import assemble_processes, process_drafts
from governance_core.rules.provenance import Origin, Problems, unique
from governance_core.rules.scoring import GradePolicy, Rubric, VoteRule
from governance_core.rules.scoring.checks import reference_problems

__all__ = ["assemble", "load_policies", "read_files"]


@final
@attrs.define(slots=True)
class _Draft:
    """A list being assembled: the criteria so far and where each item came from."""

    criteria: CriteriaList
    origin: Origin
    items: list[tuple[Criterion, Origin]]


def _drafts(sources: Sequence[PolicySource], problems: Problems) -> dict[str, _Draft]:
    drafts: dict[str, _Draft] = {}
    for source in sources:
        for i, criteria in enumerate(source.policy.lists):
            origin = Origin(source.supplier, source.located, ("lists", i))
            first = drafts.get(criteria.id)
            if first is not None:
                problems.at(
                    origin,
                    ("id",),
                    f"duplicate id {criteria.id!r}",
                    criteria.id,
                    f"also supplied at {first.origin.where()}",
                )
                continue
            items = [
                (item, Origin(source.supplier, source.located, ("lists", i, "items", j)))
                for j, item in enumerate(criteria.items)
            ]
            drafts[criteria.id] = _Draft(criteria, origin, items)
    return drafts


def _item_key(item: PointItem) -> str:
    # a town may have its own item of an id the county has; one record per town and id
    return f"{item.scheme}/{item.town or '*'}/{item.id}"


def _catalogues(
    schemes: Mapping[str, tuple[PointsScheme, Origin]],
    items: Mapping[str, tuple[PointItem, Origin]],
    parameters: Mapping[str, tuple[Parameter, Origin]],
    problems: Problems,
) -> dict[str, Catalogue]:
    kinds = {k: p.kind for k, (p, _) in parameters.items()}
    for scheme, origin in schemes.values():
        for sub, message, hint in points_reference_problems(scheme, kinds):
            problems.at(origin, sub, message, scheme.id, hint)
    known = {k: s for k, (s, _) in schemes.items()}
    by_scheme: dict[str, dict[tuple[str | None, str], PointItem]] = {k: {} for k in known}
    for item, origin in items.values():
        found = list(item_reference_problems(item, known))
        for sub, message, hint in found:
            problems.at(origin, sub, message, item.id, hint)
        if not found:
            by_scheme[item.scheme][(item.town, item.id)] = item
    return {k: Catalogue(known[k], by_scheme[k]) for k in known}


@final
class _Overlaying:
    """Applies overlays one after another to the drafts and parameters, recording changes."""

    def __init__(
        self,
        drafts: dict[str, _Draft],
        parameters: dict[str, tuple[Parameter, Origin]],
        problems: Problems,
    ) -> None:
        self.drafts = drafts
        self.parameters = parameters
        self.problems = problems
        self.changes: list[Change] = []
        self.touched: dict[str, Origin] = {}  # rule id → the overlay entry that changed it

    def apply(self, overlay: OverlayFile) -> None:
        supplier = overlay.supplier
        for i, changes in enumerate(overlay.overlay.lists):
            origin = Origin(supplier, overlay.located, ("lists", i))
            draft = self.drafts.get(changes.list)
            if draft is None:
                self.problems.at(
                    origin,
                    ("list",),
                    f"no list {changes.list!r} to change",
                    changes.list,
                    did_you_mean(changes.list, self.drafts)
                    or "check `governance check` for the loaded lists",
                )
                continue
            self._add(draft, origin, changes.add)
            self._replace(draft, origin, changes.replace)
            self._remove(draft, origin, changes.remove)
        for i, values in enumerate(overlay.overlay.parameters):
            self._set_values(Origin(supplier, overlay.located, ("parameters", i)), values)

    def _claim(self, origin: Origin, sub: DataPath, rule_id: str) -> bool:
        """One overlay may change a base rule; a second is a conflict naming both."""
        other = self.touched.get(rule_id)
        if other is not None and other.supplier != origin.supplier:
            self.problems.at(
                origin,
                sub,
                f"{rule_id} is changed by two overlays",
                rule_id,
                f"also changed at {other.where()}; merge the changes into one overlay",
            )
            return False
        self.touched[rule_id] = origin
        return True

    def _target(self, draft: _Draft, origin: Origin, sub: DataPath, item_id: str) -> int | None:
        """The index of the base item an entry replaces or removes, once it is claimed for
        this overlay; None (with the problem recorded) when it cannot be."""
        rule = f"{draft.criteria.id}.{item_id}"
        if not self._claim(origin, sub, rule):
            return None
        for k, (item, _) in enumerate(draft.items):
            if item.id == item_id:
                return k
        ids = [item.id for item, _ in draft.items]
        self.problems.at(
            origin,
            (*sub, "item"),
            f"list {draft.criteria.id!r} has no item {item_id!r}",
            rule,
            did_you_mean(item_id, ids) or f"its items: {', '.join(ids) or 'none'}",
        )
        return None

    def _add(self, draft: _Draft, origin: Origin, added: Sequence[Criterion]) -> None:
        list_id = draft.criteria.id
        for j, item in enumerate(added):
            item_origin = attrs.evolve(origin, path=(*origin.path, "add", j))
            rule = f"{list_id}.{item.id}"
            existing = next((o for i, o in draft.items if i.id == item.id), None)
            if existing is not None:
                self.problems.at(
                    item_origin,
                    ("id",),
                    f"item {item.id!r} is in the list already",
                    rule,
                    f"supplied at {existing.where()}; to change it, use replace with a reason",
                )
                continue
            self._check_number(draft, item_origin, item)
            self.problems.add(
                item_origin,
                range_problems(
                    item_origin.located,
                    item_origin.path,
                    rule,
                    item.effective_from,
                    item.effective_to,
                ),
            )
            draft.items.append((item, item_origin))
            self.changes.append(Change(ChangeKind.ADDED, rule, origin.supplier))
        if len(draft.items) > draft.criteria.declared_size:
            self.problems.at(
                origin,
                ("add",),
                f"the list would have {len(draft.items)} items but its source declares "
                f"{draft.criteria.declared_size}",
                list_id,
                "remove or replace items instead of adding, or check the base list",
            )

    def _check_number(self, draft: _Draft, origin: Origin, item: Criterion) -> None:
        if item.number is None:
            return
        rule = f"{draft.criteria.id}.{item.id}"
        size = draft.criteria.declared_size
        if not 1 <= item.number <= size:
            self.problems.at(
                origin, ("number",), f"number {item.number} is outside 1..{size}", rule
            )
        taken = next(
            (i for i, _ in draft.items if i.number == item.number and i.id != item.id), None
        )
        if taken is not None:
            self.problems.at(
                origin, ("number",), f"number {item.number} is item {taken.id!r} already", rule
            )

    def _replace(
        self, draft: _Draft, origin: Origin, replacements: Sequence[ItemReplacement]
    ) -> None:
        for j, replacement in enumerate(replacements):
            sub: DataPath = ("replace", j)
            rule = f"{draft.criteria.id}.{replacement.item}"
            k = self._target(draft, origin, sub, replacement.item)
            if k is None:
                continue
            new = replacement.criterion
            new_origin = attrs.evolve(origin, path=(*origin.path, *sub, "criterion"))
            if new.id != replacement.item:
                self.problems.at(
                    new_origin,
                    ("id",),
                    f"the replacement's id {new.id!r} differs from the item it replaces",
                    rule,
                    "keep the id, or remove the item and add a new one",
                )
                continue
            self._check_number(draft, new_origin, new)
            draft.items[k] = (new, new_origin)
            self.changes.append(
                Change(ChangeKind.REPLACED, rule, origin.supplier, replacement.reason)
            )

    def _remove(self, draft: _Draft, origin: Origin, removals: Sequence[ItemRemoval]) -> None:
        for j, removal in enumerate(removals):
            sub: DataPath = ("remove", j)
            rule = f"{draft.criteria.id}.{removal.item}"
            k = self._target(draft, origin, sub, removal.item)
            if k is None:
                continue
            del draft.items[k]
            self.changes.append(Change(ChangeKind.REMOVED, rule, origin.supplier, removal.reason))

    def _set_values(self, origin: Origin, changes: ParameterChanges) -> None:
        name = changes.parameter
        base = self.parameters.get(name)
        if base is None:
            self.problems.at(
                origin,
                ("parameter",),
                f"no parameter {name!r} to set",
                name,
                did_you_mean(name, self.parameters) or "overlays set parameters a policy defines",
            )
            return
        if not self._claim(origin, (), name):
            return
        parameter, base_origin = base
        if changes.replace and not changes.reason:
            self.problems.at(
                origin, ("replace",), "replacing published values needs a reason", name
            )
        cited = tuple(
            v if v.citation is not None else attrs.evolve(v, citation=changes.citation)
            for v in changes.values
        )
        values, found = coerced_values(
            origin.located, origin.path, attrs.evolve(parameter, values=cited)
        )
        self.problems.add(origin, found)
        if not changes.replace:
            kept = len(parameter.values)
            for i, j in overlapping((*parameter.values, *values)):
                if i < kept <= j:
                    self.problems.at(
                        origin,
                        ("values", j - kept),
                        f"value {j - kept + 1} overlaps a value the base gives",
                        name,
                        f"base values at {base_origin.where()}; to change them, set replace: true "
                        "with a reason",
                    )
            values = (*parameter.values, *values)
        kind = ChangeKind.VALUES_REPLACED if changes.replace else ChangeKind.VALUES_ADDED
        self.parameters[name] = (attrs.evolve(parameter, values=values), base_origin)
        self.changes.append(Change(kind, name, origin.supplier, changes.reason))


def _compile(draft: _Draft, schema: ExpressionSchema, problems: Problems) -> CompiledList | None:
    """Check every item's expression where it was written; compile when all pass."""
    # explicit order, never registration order: the source's numbers first, then as supplied
    items = sorted(draft.items, key=lambda pair: (pair[0].number is None, pair[0].number or 0))
    checked = []
    for item, origin in items:
        try:
            checked.append(
                check_expression(
                    item.expression,
                    schema,
                    file=origin.located.file,
                    rule_id=f"{draft.criteria.id}.{item.id}",
                    locate=partial(origin.located.text_position, (*origin.path, "expression")),
                )
            )
        except ExpressionError as exc:
            problems.add(origin, exc.problems)
    if len(checked) < len(items):
        return None
    criteria = attrs.evolve(draft.criteria, items=tuple(item for item, _ in items))
    return CompiledList(
        criteria, checked, [origin.supplier for _, origin in items], draft.origin.supplier
    )


def assemble(
    sources: Sequence[PolicySource],
    overlays: Sequence[OverlayFile] = (),
    *,
    functions: FunctionRegistry = BUILTIN_FUNCTIONS,
) -> PolicySet:
    """One policy set from ``sources``, with ``overlays`` applied in order.

    Raises :class:`PluginError` when a plugin's record is concerned in any problem, else
    :class:`PolicyError`; either lists every problem found. The sources are not changed.
    """
    problems = Problems()
    drafts = _drafts(sources, problems)
    parameters: dict[str, tuple[Parameter, Origin]] = unique(sources, "parameters", problems)
    rubrics: dict[str, tuple[Rubric, Origin]] = unique(sources, "rubrics", problems)
    votes: dict[str, tuple[VoteRule, Origin]] = unique(sources, "votes", problems)
    gradings: dict[str, tuple[GradePolicy, Origin]] = unique(sources, "grade_policies", problems)
    overlaying = _Overlaying(drafts, parameters, problems)
    for overlay in overlays:
        overlaying.apply(overlay)
    for name, (_, origin) in parameters.items():
        if name in functions:  # a plugin's function may take a name a parameter has
            problems.at(
                origin,
                ("id",),
                f"parameter id {name!r} is also the name of an expression function",
                name,
                "rename the parameter",
            )
    schema = ExpressionSchema({k: p.kind.expr_type for k, (p, _) in parameters.items()}, functions)
    lists = {}
    for list_id, draft in drafts.items():
        compiled = _compile(draft, schema, problems)
        if compiled is not None:
            lists[list_id] = compiled
    known_rubrics = {k: r for k, (r, _) in rubrics.items()}
    for grading, origin in gradings.values():
        for sub, message, hint in reference_problems(
            grading, known_rubrics, votes, drafts, parameters
        ):
            problems.at(origin, sub, message, grading.id, hint)
    process_changes = [
        (changes, Origin(overlay.supplier, overlay.located, ("processes", i)))
        for overlay in overlays
        for i, changes in enumerate(overlay.overlay.processes)
    ]
    found_processes = process_drafts(sources, problems)
    process_names = set(found_processes)
    processes, changed = assemble_processes(
        found_processes,
        sources,
        process_changes,
        schema=schema,
        lists=drafts,
        parameters={k: p.kind for k, (p, _) in parameters.items()},
        rubrics=known_rubrics,
        problems=problems,
    )
    for draft in drafts.values():
        named = draft.criteria.procedure
        if named is not None and named not in process_names:
            problems.at(
                draft.origin,
                ("procedure",),
                f"the list opens procedure {named!r}, which is not loaded",
                draft.criteria.id,
                did_you_mean(named, process_names) or "load the plugin or file that defines it",
            )
    catalogues = _catalogues(
        unique(sources, "points_schemes", problems),
        unique(sources, "point_items", problems, _item_key),
        parameters,
        problems,
    )
    problems.raise_any()
    return PolicySet(
        lists,
        {k: p for k, (p, _) in parameters.items()},
        schema,
        (*overlaying.changes, *changed),
        {k: origin.supplier for k, (_, origin) in parameters.items()},
        Scoring(
            known_rubrics,
            {k: v for k, (v, _) in votes.items()},
            {k: g for k, (g, _) in gradings.items()},
            catalogues,
        ),
        processes,
    )


def _read(
    policies: Iterable[str | Path], overlays: Iterable[str | Path]
) -> tuple[list[PolicySource], list[OverlayFile], list[Problem]]:
    problems: list[Problem] = []
    sources = []
    for path in policies:
        try:
            sources.append(read_policy_file(path, Supplier(SupplierKind.FILE, str(path))))
        except PolicyError as exc:
            problems += exc.problems
    read = []
    for path in overlays:
        try:
            read.append(read_overlay(path))
        except PolicyError as exc:
            problems += exc.problems
    return sources, read, problems


def read_files(
    policies: Iterable[str | Path], overlays: Iterable[str | Path] = ()
) -> tuple[list[PolicySource], list[OverlayFile]]:
    """Read policy files (each its own supplier, named by its path) and overlay files;
    PolicyError lists every problem of every file."""
    sources, read, problems = _read(policies, overlays)
    if problems:
        raise PolicyError(problems)
    return sources, read


def load_policies(
    paths: Iterable[str | Path],
    *,
    overlays: Iterable[str | Path] = (),
    functions: FunctionRegistry = BUILTIN_FUNCTIONS,
) -> PolicySet:
    """Read policy files and overlay files and assemble them, without plugins; PolicyError
    lists every problem of every file: those of the files that could not be read, and those
    that only assembling the others finds (expressions, duplicate ids)."""
    sources, read, problems = _read(paths, overlays)
    try:
        policies = assemble(sources, read, functions=functions)
    except PolicyError as exc:
        problems += exc.problems
    if problems:
        raise PolicyError(problems)
    return policies
