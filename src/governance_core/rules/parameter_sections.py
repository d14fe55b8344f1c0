"""Dated parameters as files hold them: the ``parameters:`` section of a policy file, each
parameter checked on its own, and the ``parameters:`` section of an overlay, whose values are
added to (or, with a reason, replace) the published ones.

Parameters are shared by every kind of rule (their values are what expressions read), so
loading applies them before any kind is assembled.
"""

from __future__ import annotations

from typing import Any, final

import attrs

from governance_core.errors import Problem
from governance_core.expressions import BUILTIN_FUNCTIONS, RECORD_NAMES
from governance_core.files import Located, did_you_mean
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.messages import _
from governance_core.rules.common import Citation, Title, range_problems
from governance_core.rules.kinds import Assembly, Section
from governance_core.rules.parameters import Parameter, ParameterValue, overlapping
from governance_core.rules.provenance import Change, ChangeKind, Origin

__all__ = [
    "PARAMETERS",
    "PARAMETER_CHANGES",
    "ParameterChanges",
    "apply_parameter_changes",
    "coerced_values",
    "parameter_problems",
]


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
                    hint=_("the parameter's kind is {value}").format(value=parameter.kind.value),
                )
            )
        problems += range_problems(
            located, (*base, "values", k), parameter.id, v.effective_from, v.effective_to
        )
    for i, j in overlapping(parameter.values):
        problems.append(
            located.problem(
                (*base, "values", j),
                _("value {later} is in effect on days value {earlier} also covers").format(
                    later=j + 1, earlier=i + 1
                ),
                rule_id=parameter.id,
                hint=_("a parameter has one value a day; make the ranges disjoint"),
            )
        )
    return tuple(values), problems


def parameter_problems(
    located: Located, base: DataPath, parameter: Parameter
) -> tuple[Parameter, list[Problem]]:
    """The parameter with its values coerced to its kind, and what is wrong with it."""
    problems: list[Problem] = []
    if not parameter.id.isidentifier() or parameter.id.startswith("_"):
        problems.append(
            located.problem(
                (*base, "id"),
                _("parameter id {id!r} must be a name usable in expressions").format(
                    id=parameter.id
                ),
                rule_id=parameter.id,
                hint=_("letters (Chinese too), digits and _, not starting with _ or a digit"),
            )
        )
    elif parameter.id in RECORD_NAMES or parameter.id in BUILTIN_FUNCTIONS:
        problems.append(
            located.problem(
                (*base, "id"),
                _("parameter id {id!r} is a reserved name").format(id=parameter.id),
                rule_id=parameter.id,
            )
        )
    values, found = coerced_values(located, base, parameter)
    return attrs.evolve(parameter, values=values), problems + found


PARAMETERS = Section(
    "parameters",
    Parameter,
    title=Title("参数", "parameters"),
    check=parameter_problems,
    hook="governance_parameters",
)
"""The ``parameters:`` section of a policy file."""

PARAMETER_CHANGES = Section("parameters", ParameterChanges, rule_field="parameter")
"""The ``parameters:`` section of an overlay file."""


def apply_parameter_changes(
    assembly: Assembly, parameters: dict[str, tuple[Parameter, Origin]]
) -> None:
    """Apply every overlay's parameter values in order to ``parameters``, recording each
    change in ``assembly.changes``."""
    for changes, origin in assembly.overlay_entries(PARAMETER_CHANGES):
        _apply(assembly, parameters, changes, origin)


def _apply(
    assembly: Assembly,
    parameters: dict[str, tuple[Parameter, Origin]],
    changes: ParameterChanges,
    origin: Origin,
) -> None:
    problems = assembly.problems
    name = changes.parameter
    base = parameters.get(name)
    if base is None:
        problems.at(
            origin,
            ("parameter",),
            _("no parameter {name!r} to set").format(name=name),
            name,
            did_you_mean(name, parameters) or _("overlays set parameters a policy defines"),
        )
        return
    if not assembly.claim(origin, (), name):
        return
    parameter, base_origin = base
    if changes.replace and not changes.reason:
        problems.at(origin, ("replace",), _("replacing published values needs a reason"), name)
    cited = tuple(
        v if v.citation is not None else attrs.evolve(v, citation=changes.citation)
        for v in changes.values
    )
    values, found = coerced_values(
        origin.located, origin.path, attrs.evolve(parameter, values=cited)
    )
    problems.add(origin, found)
    if not changes.replace:
        kept = len(parameter.values)
        for i, j in overlapping((*parameter.values, *values)):
            if i < kept <= j:
                problems.at(
                    origin,
                    ("values", j - kept),
                    _("value {value} overlaps a value the base gives").format(value=j - kept + 1),
                    name,
                    _(
                        "base values at {value}; to change them, set replace: true with a reason"
                    ).format(value=base_origin.where()),
                )
        values = (*parameter.values, *values)
    kind = ChangeKind.VALUES_REPLACED if changes.replace else ChangeKind.VALUES_ADDED
    parameters[name] = (attrs.evolve(parameter, values=values), base_origin)
    assembly.changes.append(Change(kind, name, origin.supplier, changes.reason))
