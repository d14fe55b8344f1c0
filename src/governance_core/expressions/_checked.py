"""A checked expression: its tree, its type, and what each name and call in it resolved to —
what the code generator (:mod:`.codegen`) and the explainer (:mod:`.explain`) read."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any, final

import attrs

from governance_core.expressions._functions import ExprFunction
from governance_core.expressions._types import ExprType

__all__ = ["Call", "Checked", "Const", "Param", "PersonField", "Record", "Resolution"]


# What a name or call resolved to.
@final
@attrs.frozen(slots=True)
class Record:
    name: str  # canonical: "as_of"


@final
@attrs.frozen(slots=True)
class Param:
    name: str


@final
@attrs.frozen(slots=True)
class PersonField:
    field: str  # canonical field of model.Person


@final
@attrs.frozen(slots=True)
class Call:
    function: ExprFunction
    args: tuple[ast.expr | None, ...]  # in declared order; None = optional, not given


@final
@attrs.frozen(slots=True)
class Const:
    value: Any  # a folded pure call, an exact float literal, or a list literal


Resolution = Record | Param | PersonField | Call | Const


@final
@attrs.frozen(slots=True)
class Checked:
    """A validated expression: its tree, what each node resolved to, its type.

    ``parsed`` is the text the tree's positions refer to (``source`` wrapped in brackets).
    """

    source: str
    parsed: str
    tree: ast.expr
    type: ExprType
    resolved: Mapping[int, Resolution]  # id(node) → resolution; the tree keeps ids alive
    parameters: frozenset[str]
    rule_id: str | None = None
    # each node's text, found once: ast.get_source_segment splits the whole source on every
    # call, and an explanation asks for the same nodes for every person
    _segments: dict[int, str] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    def resolution(self, node: ast.AST) -> Resolution | None:
        return self.resolved.get(id(node))

    def segment(self, node: ast.AST) -> str:
        found = self._segments.get(id(node))
        if found is None:
            text = ast.get_source_segment(self.parsed, node) or type(node).__name__
            found = self._segments[id(node)] = " ".join(text.split())
        return found
