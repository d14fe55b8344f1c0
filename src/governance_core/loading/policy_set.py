"""A loaded, checked set of policies by id: criteria lists, dated parameters, scoring policies
and procedures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import TypeVar, final

import attrs

from governance_core.errors import UnknownPolicyError
from governance_core.expressions import ExpressionSchema, MissingFact
from governance_core.files import did_you_mean
from governance_core.loading.overlays import Change
from governance_core.rules.common import Supplier
from governance_core.rules.criteria.evaluation import CompiledList
from governance_core.rules.parameters import Parameter, ParameterValues
from governance_core.rules.points import Catalogue
from governance_core.rules.procedures import ProcessDefinition
from governance_core.rules.scoring import GradePolicy, Rubric, VoteRule

__all__ = ["PolicySet", "Scoring"]

T = TypeVar("T")


@final
@attrs.frozen(slots=True)
class Scoring:
    """The scoring policies of a set, by id: rubrics, votes and grade policies, and points
    schemes with their items (catalogues)."""

    rubrics: Mapping[str, Rubric] = attrs.field(factory=dict)
    votes: Mapping[str, VoteRule] = attrs.field(factory=dict)
    grade_policies: Mapping[str, GradePolicy] = attrs.field(factory=dict)
    catalogues: Mapping[str, Catalogue] = attrs.field(factory=dict)

    def rubric(self, rubric_id: str) -> Rubric:
        """The rubric with this id; UnknownPolicyError (with a "did you mean")."""
        return _find("rubric", "rubrics", self.rubrics, rubric_id)

    def grade_policy(self, policy_id: str) -> GradePolicy:
        """The grade policy with this id; UnknownPolicyError (with a "did you mean")."""
        return _find("grade policy", "grade policies", self.grade_policies, policy_id)

    def catalogue(self, scheme_id: str) -> Catalogue:
        """The points scheme with this id and its items; UnknownPolicyError otherwise."""
        return _find("points scheme", "points schemes", self.catalogues, scheme_id)


def _find(kind: str, kinds: str, loaded: Mapping[str, T], wanted: str) -> T:
    try:
        return loaded[wanted]
    except KeyError:
        hint = did_you_mean(wanted, loaded) or (
            f"loaded {kinds}: {', '.join(sorted(loaded)) or 'none'}"
        )
        raise UnknownPolicyError(kind, wanted, hint) from None


@final
class PolicySet:
    """Lists and parameters, all expressions checked against one schema, and the changes
    overlays made to reach them. Immutable: an overlay derives a new set."""

    __slots__ = (
        "changes",
        "lists",
        "parameter_suppliers",
        "parameters",
        "processes",
        "schema",
        "scoring",
    )

    def __init__(
        self,
        lists: Mapping[str, CompiledList],
        parameters: Mapping[str, Parameter],
        schema: ExpressionSchema,
        changes: Sequence[Change] = (),
        parameter_suppliers: Mapping[str, Supplier] | None = None,
        scoring: Scoring | None = None,
        processes: Mapping[str, ProcessDefinition] | None = None,
    ) -> None:
        self.lists: Mapping[str, CompiledList] = MappingProxyType(dict(sorted(lists.items())))
        self.parameters: Mapping[str, Parameter] = MappingProxyType(
            dict(sorted(parameters.items()))
        )
        self.schema = schema
        # what overlays added, replaced and removed, in the order they were applied
        self.changes: tuple[Change, ...] = tuple(changes)
        self.parameter_suppliers: Mapping[str, Supplier] = MappingProxyType(
            dict(parameter_suppliers or {})
        )
        self.scoring = scoring or Scoring()
        self.processes: Mapping[str, ProcessDefinition] = MappingProxyType(
            dict(sorted((processes or {}).items()))
        )

    def list(self, list_id: str) -> CompiledList:
        """The list with this id; UnknownPolicyError (with a "did you mean") otherwise."""
        return _find("criteria list", "lists", self.lists, list_id)

    def process(self, process_id: str) -> ProcessDefinition:
        """The procedure with this id, merged and checked; UnknownPolicyError otherwise."""
        return _find("procedure", "procedures", self.processes, process_id)

    def incomplete(self) -> tuple[CompiledList, ...]:
        """Lists with fewer items encoded than their source declares."""
        return tuple(c for c in self.lists.values() if not c.criteria.complete)

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
