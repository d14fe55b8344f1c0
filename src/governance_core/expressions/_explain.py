"""The explaining interpreter: three-valued evaluation that records why.

It walks the checked tree, giving every sub-expression a value. A fact that is missing makes
its sub-expression *unknown* (never false), and unknown propagates by Kleene's logic:
``False and unknown`` is False, ``True or unknown`` is True, anything else touching unknown
is unknown. It records what each read found (observations, with evidence ids) and what each
comparison compared (checks), which verdicts render as "任职年限 = 2, requires ≥ 3".
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any, final

import attrs

from governance_core.expressions._checked import (
    Call,
    Checked,
    Const,
    Param,
    PersonField,
    Record,
)
from governance_core.expressions._values import (
    UNKNOWN,
    MissingFact,
    Span,
    arithmetic,
    divide,
    render_value,
)
from governance_core.model import Dossier, converter

__all__ = ["Check", "Explanation", "Observation", "explain"]

_COMPARE: Mapping[type[ast.cmpop], tuple[str, Callable[[Any, Any], bool]]] = {
    ast.Eq: ("==", operator.eq),
    ast.NotEq: ("!=", operator.ne),
    ast.Lt: ("<", operator.lt),
    ast.LtE: ("<=", operator.le),
    ast.Gt: (">", operator.gt),
    ast.GtE: (">=", operator.ge),
    ast.In: ("in", lambda a, b: a in b),
    ast.NotIn: ("not in", lambda a, b: a not in b),
}

_ARITHMETIC: Mapping[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: divide,
}


@final
@attrs.frozen(slots=True)
class Observation:
    """A value read from the dossier, a parameter, or a function of them."""

    expression: str
    value: str
    known: bool = True
    reason: str | None = None  # why it is unknown
    evidence: tuple[str, ...] = ()


@final
@attrs.frozen(slots=True)
class Check:
    """One comparison: ``left`` (= ``left_value``) ``op`` ``right`` (= ``right_value``)."""

    left: str
    left_value: str
    op: str
    right: str
    right_value: str
    right_is_literal: bool
    outcome: str


@final
@attrs.frozen(slots=True)
class Explanation:
    """The value of an expression with everything that decided it, in evaluation order."""

    value: Any
    observations: tuple[Observation, ...]
    checks: tuple[Check, ...]

    @property
    def evidence(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e for o in self.observations for e in o.evidence))


# an explanation's value is whatever the expression gave: the third truth value is null in
# JSON (`process allowed -f json` and /allowed show guards' explanations)
converter.register_unstructure_hook(type(UNKNOWN), lambda _unknown: None)


class _Interpreter:
    def __init__(self, checked: Checked, dossier: Dossier, parameters: Mapping[str, Any]) -> None:
        self.checked = checked
        self.dossier = dossier
        self.parameters = parameters
        self.observations: list[Observation] = []
        self.checks: list[Check] = []

    def value(self, node: ast.expr) -> Any:
        resolved = self.checked.resolution(node)
        if isinstance(resolved, Const):
            return resolved.value
        if resolved is not None:
            return self._read(node, resolved)
        method: Callable[[Any], Any] = getattr(self, f"_{type(node).__name__}")
        return method(node)

    def _read(self, node: ast.expr, resolved: Record | Param | PersonField | Call) -> Any:
        evidence: tuple[str, ...] = ()
        try:
            if isinstance(resolved, Record):
                result = getattr(self.dossier, resolved.name)
            elif isinstance(resolved, Param):
                result = self.parameters[resolved.name]
            elif isinstance(resolved, PersonField):
                result = getattr(self.dossier.person, resolved.field)
                if result is None:
                    raise MissingFact(f"person.{resolved.field}")
            else:
                args = [None if a is None else self.value(a) for a in resolved.args]
                if any(a is UNKNOWN for a in args):
                    result = UNKNOWN
                else:
                    function = resolved.function
                    before = (self.dossier,) if function.reads_dossier else ()
                    result = function.impl(*before, *args)
                    if function.evidence is not None:
                        evidence = function.evidence(*before, *args)
        except MissingFact as missing:
            self._observe(node, UNKNOWN, missing.what)
            return UNKNOWN
        self._observe(node, result, None, evidence)
        return result

    def _observe(
        self, node: ast.expr, value: Any, reason: str | None, evidence: tuple[str, ...] = ()
    ) -> None:
        if value is UNKNOWN and reason is None:
            reason = "an argument is unknown"
        self.observations.append(
            Observation(
                self.checked.segment(node),
                render_value(value),
                value is not UNKNOWN,
                reason,
                evidence,
            )
        )

    def _Constant(self, node: ast.Constant) -> Any:
        return node.value

    def _BoolOp(self, node: ast.BoolOp) -> Any:
        # Kleene logic, short-circuiting only on a decisive known value (as Python would).
        decisive = isinstance(node.op, ast.Or)
        unknown = False
        for operand in node.values:
            result = self.value(operand)
            if result is UNKNOWN:
                unknown = True
            elif result is decisive:
                return decisive
        return UNKNOWN if unknown else not decisive

    def _UnaryOp(self, node: ast.UnaryOp) -> Any:
        operand = self.value(node.operand)
        if operand is UNKNOWN:
            return UNKNOWN
        if isinstance(node.op, ast.Not):
            return not operand
        return -operand if isinstance(node.op, ast.USub) else operand

    def _BinOp(self, node: ast.BinOp) -> Any:
        left, right = self.value(node.left), self.value(node.right)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        if isinstance(right, Span):
            return right.before(left)
        if isinstance(node.op, ast.Div):
            return divide(left, right)
        return arithmetic(_ARITHMETIC[type(node.op)], left, right)

    def _Compare(self, node: ast.Compare) -> Any:
        # a < b < c is (a < b) and (b < c), with Kleene's "and"
        left_node, left = node.left, self.value(node.left)
        unknown = False
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.value(right_node)
            symbol, compare = _COMPARE[type(op)]
            outcome = UNKNOWN if UNKNOWN in (left, right) else compare(left, right)
            self.checks.append(
                Check(
                    self.checked.segment(left_node),
                    render_value(left),
                    symbol,
                    self.checked.segment(right_node),
                    render_value(right),
                    _is_literal(self.checked, right_node),
                    render_value(outcome),
                )
            )
            if outcome is False:
                return False
            unknown = unknown or outcome is UNKNOWN
            left_node, left = right_node, right
        return UNKNOWN if unknown else True

    def _IfExp(self, node: ast.IfExp) -> Any:
        test = self.value(node.test)
        if test is UNKNOWN:
            return UNKNOWN
        return self.value(node.body if test else node.orelse)


def _is_literal(checked: Checked, node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant):
        return True
    resolved = checked.resolution(node)
    return isinstance(resolved, Const)


def explain(checked: Checked, dossier: Dossier, parameters: Mapping[str, Any]) -> Explanation:
    """Evaluate ``checked`` for ``dossier`` with three-valued logic, recording why."""
    interpreter = _Interpreter(checked, dossier, parameters)
    value = interpreter.value(checked.tree)
    return Explanation(value, tuple(interpreter.observations), tuple(interpreter.checks))
