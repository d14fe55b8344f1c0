"""Parse, validate and type-check an expression; the result is run by codegen or explain.

The language is a whitelisted subset of Python expression syntax (grammar in
docs/expressions.md). CPython's own parser gives exact lines and columns and accepts Chinese
identifiers; this module then rejects every node outside the whitelist, resolves each name
against the schema (with a "did you mean"), checks types (a date never compares with a
number), enforces size and depth limits, and folds calls of pure functions on literals.
Every problem of an expression is reported, not only the first.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

from governance_core.errors import ExpressionError, Problem
from governance_core.expressions._checked import (
    Call,
    Checked,
    Const,
    Param,
    PersonField,
    Record,
    Resolution,
)
from governance_core.expressions._parsing import Locate, char_column, parse_wrapped
from governance_core.expressions._schema import PERSON_FIELDS, ExpressionSchema
from governance_core.expressions._types import ExprType
from governance_core.files import did_you_mean
from governance_core.files.limits import number_problem
from governance_core.messages import _

__all__ = ["check_expression"]


T = ExprType

_DISALLOWED: Mapping[type[ast.AST], str] = {
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.Subscript: "indexing (x[...]) is not allowed; use count(...), amount(...) or grade(...)",
    ast.NamedExpr: "':=' is not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.Starred: "'*' unpacking is not allowed",
    ast.Dict: "dict literals are not allowed",
    ast.Set: "set literals are not allowed; use a list [..]",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
    ast.Slice: "slices are not allowed",
}

_BINOPS: Mapping[type[ast.operator], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
}
_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


_NOT_CONST: Final = object()


class _Checker:
    def __init__(
        self,
        source: str,
        schema: ExpressionSchema,
        report: Callable[[ast.AST, str, str | None], None],
    ) -> None:
        self.source = source
        self.schema = schema
        self.report = report
        self.resolved: dict[int, Resolution] = {}
        self.parameters: set[str] = set()

    # Each visit returns (type or None when invalid, constant value or _NOT_CONST).
    def visit(self, node: ast.expr) -> tuple[ExprType | None, Any]:
        for kind, message in _DISALLOWED.items():
            if isinstance(node, kind):
                self.report(node, message, None)
                return None, _NOT_CONST
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            self.report(node, f"{type(node).__name__} is not allowed in an expression", None)
            return None, _NOT_CONST
        result: tuple[ExprType | None, Any] = method(node)
        return result

    def _Constant(self, node: ast.Constant) -> tuple[ExprType | None, Any]:
        value = node.value
        if isinstance(value, bool):
            return T.BOOL, value
        if isinstance(value, int | float):
            # exact: 0.1 means one tenth, so read the literal's text, not the binary float;
            # through Decimal, which bounds it before Fraction would compute 10**999999999
            text = ast.get_source_segment(self.source, node) or repr(value)
            try:
                literal = Decimal(text.replace("_", ""))
            except ArithmeticError:
                literal = Decimal("NaN")
            out_of_bounds = number_problem(literal)
            if out_of_bounds:
                self.report(node, out_of_bounds, _("write a smaller number"))
                return None, _NOT_CONST
            if isinstance(value, int):
                return T.NUMBER, value
            exact = Fraction(literal)
            self.resolved[id(node)] = Const(exact)
            return T.NUMBER, exact
        if isinstance(value, str):
            return T.TEXT, value
        self.report(
            node, f"the literal {value!r} is not allowed", "use a number, text or true/false"
        )
        return None, _NOT_CONST

    def _Name(self, node: ast.Name) -> tuple[ExprType | None, Any]:
        name = node.id
        if name.startswith("__"):
            self.report(node, f"names starting with '__' are not allowed ({name!r})", None)
            return None, _NOT_CONST
        record = self.schema.record(name)
        if record == "person":
            self.report(
                node, f"{name!r} is a record; read one of its fields", f"e.g. {name}.birth_date"
            )
            return None, _NOT_CONST
        if record is not None:
            self.resolved[id(node)] = Record(record)
            return T.DATE, _NOT_CONST
        if name in self.schema.parameters:
            self.resolved[id(node)] = Param(name)
            self.parameters.add(name)
            return self.schema.parameters[name], _NOT_CONST
        if name in self.schema.functions:
            self.report(node, f"{name!r} is a function; call it", f"{name}(...)")
            return None, _NOT_CONST
        if name in ("true", "false", "none", "null", "True", "False", "None"):
            hint = (
                "write True or False" if name.lower() in ("true", "false") else "there is no null"
            )
            self.report(node, f"unknown name {name!r}", hint)
            return None, _NOT_CONST
        self.report(node, f"unknown name {name!r}", did_you_mean(name, self.schema.names()))
        return None, _NOT_CONST

    def _Attribute(self, node: ast.Attribute) -> tuple[ExprType | None, Any]:
        if node.attr.startswith("__"):
            self.report(node, f"names starting with '__' are not allowed ({node.attr!r})", None)
            return None, _NOT_CONST
        base = node.value
        if not isinstance(base, ast.Name):
            self.report(node, "attribute chains are not allowed; only person.<field> is", None)
            return None, _NOT_CONST
        if self.schema.record(base.id) != "person":
            self.report(node, f"attribute access is only allowed on person, not {base.id!r}", None)
            return None, _NOT_CONST
        field = self.schema.person_field(node.attr)
        if field is None:
            hint = did_you_mean(node.attr, self.schema.person_fields())
            self.report(node, f"person has no field {node.attr!r}", hint)
            return None, _NOT_CONST
        self.resolved[id(node)] = PersonField(field)
        return PERSON_FIELDS[field][1], _NOT_CONST

    def _Call(self, node: ast.Call) -> tuple[ExprType | None, Any]:
        if not isinstance(node.func, ast.Name):
            self.report(node, "only functions of the registry can be called, by name", None)
            for part in (node.func, *node.args):
                self.visit(part)
            return None, _NOT_CONST
        name = node.func.id
        if name.startswith("__"):
            self.report(node, f"names starting with '__' are not allowed ({name!r})", None)
            return None, _NOT_CONST
        function = self.schema.functions.get(name)
        if function is None:
            known = list(self.schema.functions)
            self.report(node.func, f"unknown function {name!r}", did_you_mean(name, known))
            return None, _NOT_CONST
        given: dict[str, ast.expr] = {}
        ok = True
        if len(node.args) > len(function.params):
            self.report(
                node,
                f"{name}() takes at most {len(function.params)} arguments",
                function.signature(),
            )
            ok = False
        for param, arg in zip(function.params, node.args, strict=False):
            given[param.name] = arg
        names = [p.name for p in function.params]
        for kw in node.keywords:
            if kw.arg is None:
                self.report(node, "'**' is not allowed", None)
                ok = False
            elif kw.arg not in names:
                self.report(
                    kw.value,
                    f"{name}() has no parameter {kw.arg!r}",
                    did_you_mean(kw.arg, names) or function.signature(),
                )
                ok = False
            elif kw.arg in given:
                self.report(kw.value, f"{name}() got {kw.arg!r} twice", None)
                ok = False
            else:
                given[kw.arg] = kw.value
        values: list[Any] = []
        for param in function.params:
            given_arg = given.get(param.name)
            if given_arg is None:
                if param.required:
                    self.report(node, f"{name}() needs {param.name!r}", function.signature())
                    ok = False
                values.append(None)
                continue
            kind, value = self.visit(given_arg)
            if kind is None:
                ok = False
            elif kind not in param.types:
                wanted = " or ".join(t.value for t in param.types)
                self.report(
                    given_arg, f"{name}(): {param.name!r} must be {wanted}, not {kind.value}", None
                )
                ok = False
            elif param.validate is not None and value is not _NOT_CONST:
                try:
                    param.validate(value)
                except ValueError as refused:
                    self.report(given_arg, f"{name}(): {refused}", function.signature())
                    ok = False
            values.append(value)
        if not ok:
            return None, _NOT_CONST
        args = tuple(given.get(p.name) for p in function.params)
        if function.pure and all(v is not _NOT_CONST for v in values):
            try:
                folded = function.impl(*values)
            except (ValueError, TypeError, OverflowError) as exc:
                self.report(node, f"{name}(): {exc}", function.signature())
                return None, _NOT_CONST
            self.resolved[id(node)] = Const(folded)
            return function.returns, folded
        self.resolved[id(node)] = Call(function, args)
        return function.returns, _NOT_CONST

    def _UnaryOp(self, node: ast.UnaryOp) -> tuple[ExprType | None, Any]:
        kind, value = self.visit(node.operand)
        if kind is None:
            return None, _NOT_CONST
        if isinstance(node.op, ast.Not):
            if kind is not T.BOOL:
                self.report(node, f"'not' needs a bool, not {kind.value}", None)
                return None, _NOT_CONST
            return T.BOOL, _NOT_CONST
        if isinstance(node.op, ast.USub | ast.UAdd):
            if kind is not T.NUMBER:
                self.report(node, f"'-' needs a number, not {kind.value}", None)
                return None, _NOT_CONST
            if value is _NOT_CONST:
                return T.NUMBER, _NOT_CONST
            return T.NUMBER, -value if isinstance(node.op, ast.USub) else value
        self.report(node, "'~' is not allowed", None)
        return None, _NOT_CONST

    def _BoolOp(self, node: ast.BoolOp) -> tuple[ExprType | None, Any]:
        ok = True
        for operand in node.values:
            kind = self.visit(operand)[0]
            if kind is None:
                ok = False
            elif kind is not T.BOOL:
                word = "and" if isinstance(node.op, ast.And) else "or"
                self.report(operand, f"'{word}' needs bools, not {kind.value}", None)
                ok = False
        return (T.BOOL if ok else None), _NOT_CONST

    def _BinOp(self, node: ast.BinOp) -> tuple[ExprType | None, Any]:
        if isinstance(node.op, ast.Pow):
            self.report(node, "'**' is not allowed", "multiply explicitly")
            self.visit(node.left)
            self.visit(node.right)
            return None, _NOT_CONST
        symbol = _BINOPS.get(type(node.op))
        left = self.visit(node.left)[0]
        right = self.visit(node.right)[0]
        if symbol is None:
            self.report(
                node, f"the operator {type(node.op).__name__} is not allowed", "use + - * /"
            )
            return None, _NOT_CONST
        if left is None or right is None:
            return None, _NOT_CONST
        if left is T.NUMBER and right is T.NUMBER:
            return T.NUMBER, _NOT_CONST
        if symbol == "-" and left is T.DATE and right is T.SPAN:
            return T.DATE, _NOT_CONST
        self.report(node, f"cannot apply '{symbol}' to {left.value} and {right.value}", None)
        return None, _NOT_CONST

    def _Compare(self, node: ast.Compare) -> tuple[ExprType | None, Any]:
        kinds = [self.visit(node.left)[0]] + [self.visit(c)[0] for c in node.comparators]
        ok = all(k is not None for k in kinds)
        for i, op in enumerate(node.ops):
            left, right = kinds[i], kinds[i + 1]
            if left is None or right is None:
                continue
            at = node.comparators[i]
            if isinstance(op, ast.Is | ast.IsNot):
                self.report(node, "'is' is not allowed", "use == or !=")
                ok = False
            elif isinstance(op, ast.In | ast.NotIn):
                if right.element is None:
                    self.report(
                        at,
                        f"'in' needs a list on its right, not {right.value}",
                        'e.g. x in ["a", "b"]',
                    )
                    ok = False
                elif right.element is not left:
                    self.report(node, f"cannot look for a {left.value} in a {right.value}", None)
                    ok = False
            elif left is not right or left in (T.PERSON, T.SPAN):
                self.report(node, f"cannot compare {left.value} with {right.value}", None)
                ok = False
            elif isinstance(op, _ORDERING) and not left.ordered:
                self.report(
                    node, f"{left.value} values cannot be ordered with < or >", "use == or !="
                )
                ok = False
        return (T.BOOL if ok else None), _NOT_CONST

    def _IfExp(self, node: ast.IfExp) -> tuple[ExprType | None, Any]:
        test = self.visit(node.test)[0]
        body = self.visit(node.body)[0]
        orelse = self.visit(node.orelse)[0]
        if test is not None and test is not T.BOOL:
            self.report(node.test, f"the condition of 'if' must be a bool, not {test.value}", None)
            return None, _NOT_CONST
        if None in (test, body, orelse):
            return None, _NOT_CONST
        if body is not orelse:
            self.report(
                node,
                f"both branches must have one type, not {body.value if body else '?'} and {orelse.value if orelse else '?'}",
                None,
            )
            return None, _NOT_CONST
        return body, _NOT_CONST

    def _List(self, node: ast.List | ast.Tuple) -> tuple[ExprType | None, Any]:
        if not node.elts:
            self.report(node, "an empty list is not allowed", None)
            return None, _NOT_CONST
        items = [self.visit(e) for e in node.elts]
        kinds = {k for k, _ in items}
        if None in kinds:
            return None, _NOT_CONST
        if any(v is _NOT_CONST for _, v in items):
            self.report(node, "a list may hold only literals", None)
            return None, _NOT_CONST
        if len(kinds) != 1 or next(iter(kinds)) not in (T.TEXT, T.NUMBER):
            self.report(node, "a list holds text only or numbers only", None)
            return None, _NOT_CONST
        value = tuple(v for _, v in items)
        self.resolved[id(node)] = Const(value)
        return (T.TEXTS if kinds == {T.TEXT} else T.NUMBERS), value

    _Tuple = _List


def check_expression(
    source: str,
    schema: ExpressionSchema,
    *,
    expected: ExprType | None = ExprType.BOOL,
    file: str | None = None,
    rule_id: str | None = None,
    locate: Locate | None = None,
) -> Checked:
    """Validate ``source``; raise :class:`ExpressionError` listing every problem."""
    problems: list[Problem] = []

    def at(line: int, column: int, message: str, hint: str | None) -> None:
        file_line: int | None
        file_column: int | None
        if locate is None:
            file_line, file_column = line, column + 1
        else:
            file_line, file_column = locate(line, column)
        problems.append(
            Problem(message, file or "<expression>", file_line, file_column, rule_id, hint)
        )

    def report(node: ast.AST, message: str, hint: str | None) -> None:
        line = getattr(node, "lineno", 2)
        column = char_column(wrapped, line, getattr(node, "col_offset", 0))
        at(max(line - 1, 1), column, message, hint)

    def fail() -> ExpressionError:
        return ExpressionError(problems)

    parsed = parse_wrapped(source, at)
    if parsed is None:
        raise fail()
    wrapped, tree = parsed
    checker = _Checker(wrapped, schema, report)
    kind, _constant = checker.visit(tree.body)
    if kind is not None and expected is not None and kind is not expected:
        report(
            tree.body,
            f"the expression must be a {expected.value}, not {kind.value}",
            "compare it with something",
        )
    if problems:
        raise fail()
    assert kind is not None  # no problems means the checker typed the whole tree
    return Checked(
        source, wrapped, tree.body, kind, checker.resolved, frozenset(checker.parameters), rule_id
    )
