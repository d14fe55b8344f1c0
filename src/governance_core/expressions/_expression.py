"""A compiled expression: the fast compiled path and the explaining path, behind one object."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, final

from governance_core.expressions._checked import Checked
from governance_core.expressions._checker import check_expression
from governance_core.expressions._codegen import CompiledFunction, compile_one
from governance_core.expressions._explain import Explanation, explain
from governance_core.expressions._parsing import Locate
from governance_core.expressions._schema import ExpressionSchema
from governance_core.expressions._types import ExprType
from governance_core.expressions._values import MissingFact
from governance_core.model import Dossier

__all__ = ["Expression", "compile_expression"]

_NO_PARAMETERS: Mapping[str, Any] = MappingProxyType({})


@final
class Expression:
    """A validated expression, compiled once, evaluated for many dossiers.

    Use :func:`compile_expression` to make one.
    """

    __slots__ = ("checked", "function")

    def __init__(self, checked: Checked) -> None:
        self.checked = checked
        self.function: CompiledFunction = compile_one(checked)

    @property
    def source(self) -> str:
        return self.checked.source

    @property
    def type(self) -> ExprType:
        return self.checked.type

    @property
    def parameters(self) -> frozenset[str]:
        """The parameter names the expression reads."""
        return self.checked.parameters

    def evaluate(self, dossier: Dossier, parameters: Mapping[str, Any] = _NO_PARAMETERS) -> Any:
        """The value for ``dossier``: compiled speed, or ``UNKNOWN`` when a fact is missing."""
        try:
            return self.function(dossier, parameters)
        except MissingFact:
            return explain(self.checked, dossier, parameters).value

    def explain(
        self, dossier: Dossier, parameters: Mapping[str, Any] = _NO_PARAMETERS
    ) -> Explanation:
        """The value with every observation and comparison that decided it."""
        return explain(self.checked, dossier, parameters)

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"


def compile_expression(
    source: str,
    schema: ExpressionSchema | None = None,
    *,
    expected: ExprType | None = ExprType.BOOL,
    file: str | None = None,
    rule_id: str | None = None,
    locate: Locate | None = None,
) -> Expression:
    """Parse, validate, type-check and compile ``source``.

    Raises :class:`~governance_core.errors.ExpressionError` listing every problem, each with
    its line and column (mapped into ``file`` by ``locate`` when the expression sits in one).

    >>> from governance_core.expressions import compile_expression
    >>> compile_expression('years_between(date("2020-01-01"), as_of) >= 3').type.value
    'bool'
    """
    checked = check_expression(
        source,
        schema or ExpressionSchema(),
        expected=expected,
        file=file,
        rule_id=rule_id,
        locate=locate,
    )
    return Expression(checked)
