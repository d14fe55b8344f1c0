"""A loaded, checked set of policies: criteria lists and dated parameters by id."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import final

from governance_core.errors import UnknownPolicyError
from governance_core.files import did_you_mean
from governance_core.policy.evaluation import CompiledList
from governance_core.policy.expressions import ExpressionSchema, MissingFact
from governance_core.policy.parameters import Parameter, ParameterValues

__all__ = ["PolicySet"]


@final
class PolicySet:
    """Lists and parameters, all expressions checked against one schema. Immutable."""

    __slots__ = ("lists", "parameters", "schema")

    def __init__(
        self,
        lists: Mapping[str, CompiledList],
        parameters: Mapping[str, Parameter],
        schema: ExpressionSchema,
    ) -> None:
        self.lists: Mapping[str, CompiledList] = MappingProxyType(dict(sorted(lists.items())))
        self.parameters: Mapping[str, Parameter] = MappingProxyType(
            dict(sorted(parameters.items()))
        )
        self.schema = schema

    def list(self, list_id: str) -> CompiledList:
        """The list with this id; UnknownPolicyError (with a "did you mean") otherwise."""
        try:
            return self.lists[list_id]
        except KeyError:
            hint = (
                did_you_mean(list_id, self.lists)
                or f"loaded lists: {', '.join(self.lists) or 'none'}"
            )
            raise UnknownPolicyError("criteria list", list_id, hint) from None

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
