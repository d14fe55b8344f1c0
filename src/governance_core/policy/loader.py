"""Load policy files: every problem of every file, located, in one PolicyError.

A policy file holds ``parameters`` and ``lists`` (see docs/policy-files.md). Loading runs in
stages, and each stage reports all it finds before the next would be misled: YAML syntax and
duplicate keys; structure (unknown or missing fields, wrong types, with "did you mean");
meaning (duplicate ids, numbers outside the declared size, date ranges that end before they
start, overlapping parameter values); and the expressions, checked against the record schema
and the parameters of *all* files loaded together.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, final

import attrs

from governance_core.errors import ExpressionError, PolicyError, Problem
from governance_core.files import Located, load_yaml, structure_located
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.model import converter
from governance_core.policy.criteria import CriteriaList, Effect
from governance_core.policy.evaluation import CompiledList
from governance_core.policy.expressions import (
    BUILTIN_FUNCTIONS,
    RECORD_NAMES,
    ExpressionSchema,
    FunctionRegistry,
    check_expression,
)
from governance_core.policy.parameters import Parameter, overlapping
from governance_core.policy.policy_set import PolicySet

__all__ = ["PolicyFile", "load_policies"]


@final
@attrs.frozen(slots=True)
class PolicyFile:
    """The top level of a policy file."""

    parameters: tuple[Parameter, ...] = ()
    lists: tuple[CriteriaList, ...] = ()


@final
@attrs.frozen(slots=True)
class _Read:
    located: Located
    policy: PolicyFile
    supplied_by: str


def _rule_of(data: Any) -> Any:
    def rule(path: DataPath) -> str | None:
        if len(path) < 2 or path[0] not in ("lists", "parameters"):
            return None
        try:
            entry = data[path[0]][path[1]]
            name = str(entry["id"])
            if path[0] == "lists" and len(path) >= 4 and path[2] == "items":
                name += "." + str(entry["items"][path[3]]["id"])
        except (KeyError, IndexError, TypeError):
            return None
        return name

    return rule


def _range_problems(
    located: Located, path: DataPath, rule: str, start: date | None, end: date | None
) -> Iterator[Problem]:
    if start is not None and end is not None and end < start:
        yield located.problem(
            (*path, "effective_to"),
            f"the date range ends ({end}) before it starts ({start})",
            rule_id=rule,
            hint="swap the dates or fix the typo",
        )


def _list_problems(located: Located, index: int, criteria: CriteriaList) -> Iterator[Problem]:
    base: DataPath = ("lists", index)
    rule = criteria.id
    if criteria.declared_size < 1:
        yield located.problem(
            (*base, "declared_size"), "declared_size must be at least 1", rule_id=rule
        )
    if len(criteria.items) > criteria.declared_size:
        yield located.problem(
            (*base, "items"),
            f"{len(criteria.items)} items are encoded but the source declares {criteria.declared_size}",
            rule_id=rule,
            hint="check declared_size against the source",
        )
    if (criteria.effect is Effect.OPENS_PROCEDURE) != (criteria.procedure is not None):
        yield located.problem(
            base,
            "a list whose effect is opens_procedure names its procedure, and only such a list does",
            rule_id=rule,
        )
    yield from _range_problems(located, base, rule, criteria.effective_from, criteria.effective_to)
    seen_ids: dict[str, int] = {}
    seen_numbers: dict[int, int] = {}
    for j, item in enumerate(criteria.items):
        path: DataPath = (*base, "items", j)
        item_rule = f"{rule}.{item.id}"
        if item.id in seen_ids:
            yield located.problem(
                (*path, "id"),
                f"duplicate item id {item.id!r}",
                rule_id=item_rule,
                hint=f"item {seen_ids[item.id] + 1} of the list has it already",
            )
        seen_ids.setdefault(item.id, j)
        if item.number is not None:
            if not 1 <= item.number <= criteria.declared_size:
                yield located.problem(
                    (*path, "number"),
                    f"number {item.number} is outside 1..{criteria.declared_size}",
                    rule_id=item_rule,
                )
            elif item.number in seen_numbers:
                yield located.problem(
                    (*path, "number"), f"number {item.number} is used twice", rule_id=item_rule
                )
            seen_numbers.setdefault(item.number, j)
        yield from _range_problems(located, path, item_rule, item.effective_from, item.effective_to)


def _parameter_problems(
    located: Located, index: int, parameter: Parameter
) -> tuple[Parameter, list[Problem]]:
    base: DataPath = ("parameters", index)
    problems: list[Problem] = []
    if not parameter.id.isidentifier() or parameter.id.startswith("_"):
        problems.append(
            located.problem(
                (*base, "id"),
                f"parameter id {parameter.id!r} must be a name usable in expressions",
                rule_id=parameter.id,
                hint="letters (Chinese too), digits and _, not starting with _ or a digit",
            )
        )
    elif parameter.id in RECORD_NAMES or parameter.id in BUILTIN_FUNCTIONS:
        problems.append(
            located.problem(
                (*base, "id"),
                f"parameter id {parameter.id!r} is a reserved name",
                rule_id=parameter.id,
            )
        )
    values = []
    for k, v in enumerate(parameter.values):
        try:
            values.append(attrs.evolve(v, value=parameter.kind.coerce(v.value)))
        except ValueError as exc:
            problems.append(
                located.problem(
                    (*base, "values", k, "value"),
                    str(exc),
                    rule_id=parameter.id,
                    hint=f"the parameter's kind is {parameter.kind.value}",
                )
            )
        problems += _range_problems(
            located, (*base, "values", k), parameter.id, v.effective_from, v.effective_to
        )
    for i, j in overlapping(parameter.values):
        problems.append(
            located.problem(
                (*base, "values", j),
                f"value {j + 1} is in effect on days value {i + 1} also covers",
                rule_id=parameter.id,
                hint="a parameter has one value a day; make the ranges disjoint",
            )
        )
    return attrs.evolve(parameter, values=tuple(values)), problems


def _read(path: str | Path, supplied_by: str, problems: list[Problem]) -> _Read | None:
    try:
        located = load_yaml(path, PolicyError)
        policy = structure_located(
            converter, located, PolicyFile, PolicyError, _rule_of(located.data)
        )
    except PolicyError as exc:
        problems.extend(exc.problems)
        return None
    parameters = []
    for i, parameter in enumerate(policy.parameters):
        fixed, found = _parameter_problems(located, i, parameter)
        parameters.append(fixed)
        problems.extend(found)
    for i, criteria in enumerate(policy.lists):
        problems.extend(_list_problems(located, i, criteria))
    return _Read(located, attrs.evolve(policy, parameters=tuple(parameters)), supplied_by)


def _duplicate_ids(reads: Sequence[_Read], section: str) -> Iterator[Problem]:
    first: dict[str, tuple[_Read, int]] = {}
    for read in reads:
        for i, entry in enumerate(getattr(read.policy, section)):
            if entry.id in first:
                other, k = first[entry.id]
                where = other.located.position((section, k))
                line = f":{where.line}" if where else ""
                yield read.located.problem(
                    (section, i, "id"),
                    f"duplicate id {entry.id!r}",
                    rule_id=entry.id,
                    hint=f"first defined at {other.located.file}{line} (supplied by {other.supplied_by})",
                )
            else:
                first[entry.id] = (read, i)


def _compile_lists(
    read: _Read, schema: ExpressionSchema, problems: list[Problem]
) -> Iterator[CompiledList]:
    """Check every expression of the file's lists; a list whose expressions all pass compiles."""
    for i, criteria in enumerate(read.policy.lists):
        checked = []
        for j, item in enumerate(criteria.items):
            expression_path: DataPath = ("lists", i, "items", j, "expression")
            try:
                checked.append(
                    check_expression(
                        item.expression,
                        schema,
                        file=read.located.file,
                        rule_id=f"{criteria.id}.{item.id}",
                        locate=partial(read.located.text_position, expression_path),
                    )
                )
            except ExpressionError as exc:
                problems.extend(exc.problems)
        if len(checked) == len(criteria.items):
            yield CompiledList(criteria, checked, read.supplied_by)


def load_policies(
    sources: Iterable[str | Path | tuple[str | Path, str]],
    *,
    functions: FunctionRegistry = BUILTIN_FUNCTIONS,
) -> PolicySet:
    """Load policy files into one :class:`PolicySet`.

    ``sources`` are paths, or (path, supplied_by) pairs naming who supplied each file (shown
    in every verdict). Raises :class:`PolicyError` listing every problem of every file.
    """
    problems: list[Problem] = []
    reads = []
    for source in sources:
        path, supplied_by = source if isinstance(source, tuple) else (source, str(source))
        read = _read(path, str(supplied_by), problems)
        if read is not None:
            reads.append(read)
    problems += _duplicate_ids(reads, "parameters")
    problems += _duplicate_ids(reads, "lists")
    parameters = {p.id: p for r in reads for p in r.policy.parameters}
    schema = ExpressionSchema({k: p.kind.expr_type for k, p in parameters.items()}, functions)
    lists: dict[str, CompiledList] = {}
    for read in reads:
        for compiled in _compile_lists(read, schema, problems):
            lists.setdefault(compiled.id, compiled)
    if problems:
        raise PolicyError(problems)
    return PolicySet(lists, parameters, schema)
