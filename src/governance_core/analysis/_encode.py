"""A checked expression as a solver term over :class:`~._facts.Facts`, for one as-of date.

What is constant on that date is computed here, in Python, by the functions themselves:
literals, ``as_of``, parameters at their value on the date, pure functions of constants
(``year(as_of) - 1``), ``date - span``. What a dossier holds becomes a fact variable. The
encoding is exact for the built-in functions with constant arguments; anything else — a
plugin's function, a call whose arguments read the dossier, a date minus a span that is not
constant — is a free variable of its type, so the encoding may admit more than the engine
does (an over-approximation): a claim that something can never happen stays true, and a
witness of something that can is always run through the engine before it is reported.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import z3

from governance_core.analysis._facts import MODELLED, Fact, Facts
from governance_core.expressions import UNKNOWN, Checked, ExprType, MissingFact, Span
from governance_core.expressions.resolutions import Call, Const, Param, PersonField, Record

__all__ = ["Encoder", "NoValueError"]


class NoValueError(Exception):
    """The expression reads a parameter with no value on the date: it is unknown for
    everyone, whatever the dossier holds."""

    def __init__(self, parameter: str) -> None:
        super().__init__(parameter)
        self.parameter = parameter


class _NotConstantError(Exception):
    pass


def _z3_constant(value: Any) -> z3.ExprRef:
    if isinstance(value, bool):
        return z3.BoolVal(value)
    if isinstance(value, str):
        return z3.StringVal(value)
    if isinstance(value, date):
        return z3.IntVal(value.toordinal())
    if isinstance(value, int | Fraction | Decimal):
        exact = Fraction(value)
        return z3.RealVal(f"{exact.numerator}/{exact.denominator}")
    raise _NotConstantError


class Encoder:
    """Encodes expressions read on ``as_of`` with ``parameters`` (their values that day)."""

    def __init__(self, facts: Facts, as_of: date, parameters: Mapping[str, Any]) -> None:
        self.facts = facts
        self.as_of = as_of
        self.parameters = parameters
        self.approximated: set[str] = set()  # what was left free, in words
        self.divisors: list[Any] = []  # every divisor met: a zero one fails the evaluation

    def encode(self, checked: Checked) -> z3.BoolRef:
        term: z3.BoolRef = self._term(checked, checked.tree)
        return term

    # --- constants ---------------------------------------------------------------------

    def _constant(self, checked: Checked, node: ast.expr) -> Any:
        resolved = checked.resolution(node)
        if isinstance(resolved, Const):
            return resolved.value
        if isinstance(resolved, Record):
            return self.as_of
        if isinstance(resolved, Param):
            try:
                value = self.parameters[resolved.name]
            except MissingFact:
                raise NoValueError(resolved.name) from None
            if value is UNKNOWN:
                raise NoValueError(resolved.name)
            return value
        if isinstance(resolved, Call):
            function = resolved.function
            if function.reads_dossier:
                raise _NotConstantError
            args = [None if a is None else self._constant(checked, a) for a in resolved.args]
            return function.impl(*args)
        if resolved is not None or not isinstance(
            node, ast.Constant | ast.BinOp | ast.UnaryOp | ast.List
        ):
            raise _NotConstantError
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.List):
            return tuple(self._constant(checked, e) for e in node.elts)
        if isinstance(node, ast.UnaryOp):
            return -self._constant(checked, node.operand)
        left, right = self._constant(checked, node.left), self._constant(checked, node.right)
        if isinstance(right, Span):
            return right.before(left)
        a, b = Fraction(left), Fraction(right)
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        if b == 0:
            raise _NotConstantError  # the engine refuses it for the dossier; leave it to the solver
        return a / b

    # --- terms -------------------------------------------------------------------------

    def _term(self, checked: Checked, node: ast.expr) -> Any:
        try:
            value = self._constant(checked, node)
        except _NotConstantError:
            pass
        else:
            return value if isinstance(value, tuple | Span) else _z3_constant(value)
        resolved = checked.resolution(node)
        if isinstance(resolved, PersonField):
            tp = ExprType.DATE if resolved.field.endswith(("_date", "_since")) else ExprType.TEXT
            return self.facts.variable(Fact("person", (resolved.field,), tp))
        if isinstance(resolved, Call):
            return self._call(checked, resolved)
        method = getattr(self, f"_{type(node).__name__}")
        return method(checked, node)

    def _call(self, checked: Checked, call: Call) -> z3.ExprRef:
        function = call.function
        try:
            args = tuple(None if a is None else self._constant(checked, a) for a in call.args)
        except _NotConstantError:
            self.approximated.add(f"{function.name}(…) with an argument read from the dossier")
            return self.facts.free(function.returns)
        if function.name not in MODELLED:
            self.approximated.add(f"{function.name}() (not modelled)")
            return self.facts.free(function.returns)
        if function.name in ("has_finding", "count_findings"):
            kinds = args[0] if isinstance(args[0], tuple) else (args[0],)
            args = (tuple(sorted(kinds)), args[1] if len(args) > 1 else None)
        if function.name == "grade":
            args = (int(Fraction(str(args[0]))),)
        return self.facts.variable(Fact(function.name, args, function.returns))

    def _BoolOp(self, checked: Checked, node: ast.BoolOp) -> z3.BoolRef:
        parts = [self._term(checked, v) for v in node.values]
        return z3.Or(*parts) if isinstance(node.op, ast.Or) else z3.And(*parts)

    def _UnaryOp(self, checked: Checked, node: ast.UnaryOp) -> z3.ExprRef:
        operand = self._term(checked, node.operand)
        if isinstance(node.op, ast.Not):
            return z3.Not(operand)
        return -operand if isinstance(node.op, ast.USub) else operand

    def _BinOp(self, checked: Checked, node: ast.BinOp) -> z3.ExprRef:
        left, right = self._term(checked, node.left), self._term(checked, node.right)
        if isinstance(right, Span):  # a date read from the dossier, minus a span
            self.approximated.add("a date read from the dossier minus a span")
            return self.facts.free(ExprType.DATE)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        self.divisors.append(right)
        return left / right

    def _Compare(self, checked: Checked, node: ast.Compare) -> z3.BoolRef:
        parts = []
        left = self._term(checked, node.left)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self._term(checked, right_node)
            parts.append(_compare(op, left, right))
            left = right
        return z3.And(*parts) if len(parts) > 1 else parts[0]

    def _IfExp(self, checked: Checked, node: ast.IfExp) -> z3.ExprRef:
        return z3.If(
            self._term(checked, node.test),
            self._term(checked, node.body),
            self._term(checked, node.orelse),
        )


def _compare(op: ast.cmpop, left: Any, right: Any) -> z3.BoolRef:
    if isinstance(op, ast.In | ast.NotIn):
        members = right if isinstance(right, tuple) else ()
        found = z3.Or(*(left == _z3_constant(m) for m in members)) if members else z3.BoolVal(False)
        return found if isinstance(op, ast.In) else z3.Not(found)
    if isinstance(op, ast.Eq):
        return left == right
    if isinstance(op, ast.NotEq):
        return left != right
    if isinstance(op, ast.Lt):
        return left < right
    if isinstance(op, ast.LtE):
        return left <= right
    if isinstance(op, ast.Gt):
        return left > right
    return left >= right
