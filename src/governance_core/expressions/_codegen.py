"""Compile checked expressions to Python code objects: the fast path, without explanations.

The validated tree is rewritten into plain Python over two arguments, the dossier ``_d`` and
the parameter values ``_P``; every function, folded constant and helper is bound in the
code's globals (with empty ``__builtins__``), so nothing but whitelisted operations can run.
A whole criteria list compiles into *one* function returning a tuple of its items' values:
one Python call per record instead of one per item, and a call that several items make with
the same arguments (``years_in_post("党组织书记")`` in three items) made once per record.

A missing fact raises :class:`MissingFact`; the caller then re-evaluates with the explaining
interpreter, which implements the three-valued logic. Short-circuiting in the compiled code
agrees with that logic (``True or unknown`` is True, ``False and unknown`` is False).
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from governance_core.expressions._checked import (
    Call,
    Checked,
    Const,
    Param,
    PersonField,
    Record,
)
from governance_core.expressions._types import ExprType
from governance_core.expressions._values import Span, arithmetic, divide, fact
from governance_core.model import Dossier

_OPERATORS: dict[type[ast.operator], Any] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
}

__all__ = ["CompiledFunction", "compile_many", "compile_one"]

CompiledFunction = Callable[[Dossier, Mapping[str, Any]], Any]


def _before(span: Any, day: Any) -> Any:
    return span.before(day)


class _Emitter:
    def __init__(self) -> None:
        self.globals: dict[str, Any] = {
            "__builtins__": {},
            "_fact": fact,
            "_div": divide,
            "_before": _before,
            "_arith": arithmetic,
        }
        self._names: dict[int, str] = {}

    def bind(self, value: Any) -> ast.Name:
        """A global name for ``value`` (functions and constants are bound once)."""
        name = self._names.get(id(value))
        if name is None:
            name = f"_g{len(self._names)}"
            self._names[id(value)] = name
            self.globals[name] = value
        return ast.Name(name, ast.Load())

    def emit(self, checked: Checked, node: ast.expr) -> ast.expr:
        resolved = checked.resolution(node)
        if isinstance(resolved, Const):
            return (
                self.bind(resolved.value)
                if not _is_plain(resolved.value)
                else ast.Constant(resolved.value)
            )
        if isinstance(resolved, Record):
            return ast.Attribute(ast.Name("_d", ast.Load()), resolved.name, ast.Load())
        if isinstance(resolved, Param):
            return ast.Subscript(
                ast.Name("_P", ast.Load()), ast.Constant(resolved.name), ast.Load()
            )
        if isinstance(resolved, PersonField):
            person = ast.Attribute(ast.Name("_d", ast.Load()), "person", ast.Load())
            read = ast.Attribute(person, resolved.field, ast.Load())
            return _call("_fact", [read, ast.Constant(f"person.{resolved.field}")])
        if isinstance(resolved, Call):
            args: list[ast.expr] = (
                [ast.Name("_d", ast.Load())] if resolved.function.reads_dossier else []
            )
            args += [
                ast.Constant(None) if a is None else self.emit(checked, a) for a in resolved.args
            ]
            return ast.Call(self.bind(resolved.function.impl), args, [])
        return self._structural(checked, node)

    def _structural(self, checked: Checked, node: ast.expr) -> ast.expr:
        def sub(child: ast.expr) -> ast.expr:
            return self.emit(checked, child)

        if isinstance(node, ast.BoolOp):
            return ast.BoolOp(node.op, [sub(v) for v in node.values])
        if isinstance(node, ast.UnaryOp):
            return ast.UnaryOp(node.op, sub(node.operand))
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Div):
                return _call("_div", [sub(node.left), sub(node.right)])
            if isinstance(node.op, ast.Sub) and _is_span_subtraction(checked, node):
                return _call("_before", [sub(node.right), sub(node.left)])
            return _call(
                "_arith", [self.bind(_OPERATORS[type(node.op)]), sub(node.left), sub(node.right)]
            )
        if isinstance(node, ast.Compare):
            return ast.Compare(sub(node.left), node.ops, [sub(c) for c in node.comparators])
        if isinstance(node, ast.IfExp):
            return ast.IfExp(sub(node.test), sub(node.body), sub(node.orelse))
        if isinstance(node, ast.Constant):
            return ast.Constant(node.value)
        raise AssertionError(f"unchecked node {type(node).__name__}")  # the checker rejects it


def _is_plain(value: Any) -> bool:
    return isinstance(value, bool | int | str) or value is None


def _is_span_subtraction(checked: Checked, node: ast.BinOp) -> bool:
    right = checked.resolution(node.right)
    if isinstance(right, Const):
        return isinstance(right.value, Span)
    return isinstance(right, Call) and right.function.returns is ExprType.SPAN


def _call(name: str, args: list[ast.expr]) -> ast.Call:
    return ast.Call(ast.Name(name, ast.Load()), args, [])


def _function(body: ast.expr, emitter: _Emitter, filename: str) -> CompiledFunction:
    arguments = ast.arguments(
        posonlyargs=[],
        args=[ast.arg("_d"), ast.arg("_P")],
        kwonlyargs=[],
        kw_defaults=[],
        defaults=[],
    )
    tree = ast.fix_missing_locations(ast.Expression(ast.Lambda(arguments, body)))
    code = compile(tree, filename, "eval")
    function: CompiledFunction = eval(code, emitter.globals)
    return function


def compile_one(checked: Checked) -> CompiledFunction:
    """One expression as ``f(dossier, parameters) -> value``."""
    emitter = _Emitter()
    return _function(emitter.emit(checked, checked.tree), emitter, f"<rule {checked.rule_id}>")


def compile_many(expressions: Sequence[Checked], name: str) -> CompiledFunction:
    """Several expressions as one ``f(dossier, parameters) -> tuple of values``, a call
    repeated across them made once."""
    emitter = _Emitter()
    body = ast.Tuple([emitter.emit(c, c.tree) for c in expressions], ast.Load())
    return _function(_SharedCalls(_repeated_calls(body)).visit(body), emitter, f"<list {name}>")


def _children(node: ast.expr, conditional: bool) -> list[tuple[str, int | None, ast.expr, bool]]:
    """``node``'s operands as (field, index in the field's list, operand, may be skipped), in
    the order Python evaluates them: each is evaluated whole before the next one starts. What
    short-circuits (the later operands of ``and``/``or``, a chained comparison's later parts,
    the branches of ``x if c else y``) may be skipped, and so may everything beneath it."""
    children: list[tuple[str, int | None, ast.expr, bool]] = []
    for field, value in ast.iter_fields(node):  # fields come in evaluation order
        values = value if isinstance(value, list) else [value]
        for index, child in enumerate(values):
            if not isinstance(child, ast.expr):
                continue
            skipped = (
                (isinstance(node, ast.BoolOp) and index > 0)
                or (isinstance(node, ast.Compare) and field == "comparators" and index > 0)
                or (isinstance(node, ast.IfExp) and field != "test")
            )
            at = index if isinstance(value, list) else None
            children.append((field, at, child, conditional or skipped))
    return children


def _repeated_calls(body: ast.expr) -> frozenset[str]:
    """The calls (by their code) made more than once in ``body``."""
    seen: set[str] = set()
    repeated: set[str] = set()
    for node in ast.walk(body):
        if isinstance(node, ast.Call):
            code = ast.dump(node)
            (repeated if code in seen else seen).add(code)
    return frozenset(repeated)


class _SharedCalls:
    """Rewrite each repeated call: its first evaluation that cannot be skipped keeps the value
    (``(_s0 := f(...))``) and every later one reads it. A repetition before that point, or
    one that may be skipped with no kept value before it, is left as it is. The functions are
    pure (they read the dossier and their arguments only), so the value is the same; a
    MissingFact raised earlier than before only sends the record to the interpreter, which
    settles it as the uncompiled code would."""

    def __init__(self, repeated: frozenset[str]) -> None:
        self._repeated = repeated
        self._kept: dict[str, str] = {}

    def visit(self, body: ast.expr) -> ast.expr:
        return self._rewrite(body, conditional=False) if self._repeated else body

    def _rewrite(self, node: ast.expr, conditional: bool) -> ast.expr:
        if isinstance(node, ast.Call):
            code = ast.dump(node)
            if code in self._kept:
                return ast.Name(self._kept[code], ast.Load())
            if code in self._repeated and not conditional:
                name = self._kept[code] = f"_s{len(self._kept)}"
                return ast.NamedExpr(ast.Name(name, ast.Store()), node)
        for field, index, child, skipped in _children(node, conditional):
            rewritten = self._rewrite(child, skipped)
            if index is None:
                setattr(node, field, rewritten)
            else:
                getattr(node, field)[index] = rewritten
        return node
