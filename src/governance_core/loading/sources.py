"""Policy sources: a policy file or a plugin's records, read and checked on their own.

A source is the lists and parameters one supplier gives, with the position of every value:
a YAML file keeps its lines and columns; records a plugin builds in Python are turned back into
plain data and structured again, so a malformed record is caught by the same checks as a
malformed file and reported under the supplier's name. What needs every source together
(duplicate ids, overlays, expressions against all parameters) is in :mod:`assembly`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, final

import attrs

from governance_core.errors import PolicyError, Problem, ProblemsError
from governance_core.expressions import BUILTIN_FUNCTIONS, RECORD_NAMES
from governance_core.files import Located, load_yaml, structure_located
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.model import converter
from governance_core.rules.common import Supplier
from governance_core.rules.criteria.definition import CriteriaList, Effect
from governance_core.rules.parameters import Parameter, overlapping
from governance_core.rules.points import PointItem, PointsScheme, checked_item
from governance_core.rules.points.scheme import scheme_problems
from governance_core.rules.procedures.definition import ProcessChanges, ProcessDefinition
from governance_core.rules.scoring import GradePolicy, Rubric, VoteRule, rubric_problems
from governance_core.rules.scoring.checks import Found, grade_policy_problems, vote_problems

__all__ = [
    "PolicyFile",
    "PolicySource",
    "range_problems",
    "read_policy_file",
    "records_source",
]


@final
@attrs.frozen(slots=True)
class PolicyFile:
    """The top level of a policy file: dated parameters, criteria lists, and for scoring:
    rubrics, votes and grade policies; points schemes and their items; procedures and
    extensions of other suppliers' procedures."""

    parameters: tuple[Parameter, ...] = ()
    lists: tuple[CriteriaList, ...] = ()
    rubrics: tuple[Rubric, ...] = ()
    votes: tuple[VoteRule, ...] = ()
    grade_policies: tuple[GradePolicy, ...] = ()
    points_schemes: tuple[PointsScheme, ...] = ()
    point_items: tuple[PointItem, ...] = ()
    processes: tuple[ProcessDefinition, ...] = ()
    process_extensions: tuple[ProcessChanges, ...] = ()


@final
@attrs.frozen(slots=True)
class PolicySource:
    """One supplier's policies, checked on their own, with where each value came from."""

    located: Located
    policy: PolicyFile
    supplier: Supplier


def _rule_of(data: Any) -> Any:
    def rule(path: DataPath) -> str | None:
        if len(path) < 2 or path[0] not in SECTIONS:
            return None
        try:
            entry = data[path[0]][path[1]]
            name = str(entry["process" if path[0] == "process_extensions" else "id"])
            if path[0] == "lists" and len(path) >= 4 and path[2] == "items":
                name += "." + str(entry["items"][path[3]]["id"])
        except (KeyError, IndexError, TypeError):
            return None
        return name

    return rule


SECTIONS = (
    "parameters",
    "lists",
    "rubrics",
    "votes",
    "grade_policies",
    "points_schemes",
    "point_items",
    "processes",
    "process_extensions",
)


def range_problems(
    located: Located, path: DataPath, rule: str, start: date | None, end: date | None
) -> Iterator[Problem]:
    """A date range that ends before it starts."""
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
    yield from range_problems(located, base, rule, criteria.effective_from, criteria.effective_to)
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
        yield from range_problems(located, path, item_rule, item.effective_from, item.effective_to)


def parameter_problems(
    located: Located, base: DataPath, parameter: Parameter
) -> tuple[Parameter, list[Problem]]:
    """The parameter with its values coerced to its kind, and what is wrong with it."""
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
    values, found = coerced_values(located, base, parameter)
    return attrs.evolve(parameter, values=values), problems + found


def coerced_values(
    located: Located, base: DataPath, parameter: Parameter
) -> tuple[tuple[Any, ...], list[Problem]]:
    """``parameter.values`` coerced to its kind; problems for wrong kinds, bad ranges and
    overlaps (a parameter has one value a day)."""
    problems: list[Problem] = []
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
        problems += range_problems(
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
    return tuple(values), problems


def _located(
    located: Located, base: DataPath, rule: str, found: Iterable[Found]
) -> Iterator[Problem]:
    for sub, message, hint in found:
        yield located.problem((*base, *sub), message, rule_id=rule, hint=hint)


def _checked(located: Located, supplier: Supplier, error: type[ProblemsError]) -> PolicySource:
    policy = structure_located(converter, located, PolicyFile, error, _rule_of(located.data))
    problems: list[Problem] = []
    parameters = []
    for i, parameter in enumerate(policy.parameters):
        fixed, found = parameter_problems(located, ("parameters", i), parameter)
        parameters.append(fixed)
        problems += found
    for i, criteria in enumerate(policy.lists):
        problems += _list_problems(located, i, criteria)
    for i, rubric in enumerate(policy.rubrics):
        problems += rubric_problems(located, ("rubrics", i), rubric)
    for i, vote in enumerate(policy.votes):
        problems += _located(located, ("votes", i), vote.id, vote_problems(vote))
    for i, grading in enumerate(policy.grade_policies):
        problems += _located(
            located, ("grade_policies", i), grading.id, grade_policy_problems(grading)
        )
        problems += range_problems(
            located, ("grade_policies", i), grading.id, grading.effective_from, grading.effective_to
        )
    items = []
    for i, item in enumerate(policy.point_items):
        fixed_item, found_item = checked_item(item)
        items.append(fixed_item)
        problems += _located(located, ("point_items", i), item.id, found_item)
        problems += range_problems(
            located, ("point_items", i), item.id, item.effective_from, item.effective_to
        )
    for i, scheme in enumerate(policy.points_schemes):
        problems += _located(located, ("points_schemes", i), scheme.id, scheme_problems(scheme))
    for i, process in enumerate(policy.processes):
        problems += range_problems(
            located, ("processes", i), process.id, process.effective_from, process.effective_to
        )
    if problems:
        raise error(problems)
    checked = attrs.evolve(policy, parameters=tuple(parameters), point_items=tuple(items))
    return PolicySource(located, checked, supplier)


def read_policy_file(path: str | Path, supplier: Supplier) -> PolicySource:
    """Read and check one policy file; PolicyError lists every problem found in it."""
    return _checked(load_yaml(path, PolicyError), supplier, PolicyError)


def records_source(
    policy: PolicyFile, supplier: Supplier, error: type[ProblemsError] = PolicyError
) -> PolicySource:
    """Check records built in Python (a plugin's) as if they had been read from a file.

    The records are unstructured to plain data and structured again, so a field of the wrong
    type, which attrs does not check, is a problem here, reported under ``str(supplier)``.
    """
    try:
        data = converter.unstructure(policy)
    except Exception as exc:  # anything a malformed record makes cattrs raise
        raise error(
            [Problem(f"records that cannot be read: {type(exc).__name__}: {exc}", str(supplier))]
        ) from None
    return _checked(Located(data, str(supplier), {}, {}), supplier, error)
