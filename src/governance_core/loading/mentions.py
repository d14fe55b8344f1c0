"""What expressions mention: the strings and whole numbers they compare against, with the
values of the parameters they read on a date, and the kinds of fact their functions read.

The testing toolkit draws dossiers from these (so that hits are frequent), and the example
district gives its people findings of the kinds its lists name.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from governance_core.expressions import MissingFact
from governance_core.loading.policy_set import PolicySet
from governance_core.rules.criteria.kind import CRITERIA

__all__ = ["Mentions", "add_mentions", "mentions", "values_read_by"]


# the kind of fact each built-in function reads (docs/expressions.md), by name and alias
_READS = {
    **dict.fromkeys(
        ("has_finding", "存在认定", "count_findings", "认定次数", "finding_date", "认定日期"),
        "findings",
    ),
    **dict.fromkeys(("has_document", "有材料", "document_date", "材料日期"), "documents"),
    **dict.fromkeys(
        ("holds_post", "担任职务", "holds_post_in", "担任职务于", "years_in_post", "任职年限"),
        "posts",
    ),
    **dict.fromkeys(("grade", "年度等次"), "grades"),
    **dict.fromkeys(("count", "次数"), "counts"),
    **dict.fromkeys(("barred_from", "受限于", "has_effect", "受到后果"), "effects"),
}


class Mentions:
    """The strings and whole numbers a set of expressions mention, parameters resolved."""

    __slots__ = ("missing", "numbers", "reads", "strings")

    def __init__(self) -> None:
        self.strings: set[str] = set()
        self.numbers: set[int] = set()
        self.missing: set[str] = set()  # parameters read that have no value on the date
        self.reads: set[str] = set()  # kinds of fact the built-in functions called read

    def add(self, value: Any) -> None:
        if isinstance(value, bool):
            return
        if isinstance(value, str):
            self.strings.add(value)
        elif isinstance(value, int | Decimal):
            self.numbers.add(int(value))
        elif isinstance(value, list | tuple | set | frozenset):
            for v in value:
                self.add(v)


def add_mentions(found: Mentions, expression: str, values: Mapping[str, Any]) -> None:
    """Add what ``expression`` mentions to ``found``, its parameters read from ``values``."""
    for node in ast.walk(ast.parse(expression, mode="eval")):
        if isinstance(node, ast.Constant):
            found.add(node.value)
        elif isinstance(node, ast.Name):
            if node.id in _READS:
                found.reads.add(_READS[node.id])
            try:
                found.add(values[node.id])
            except KeyError:  # a field or function, not a parameter
                continue
            except MissingFact:
                found.missing.add(node.id)


def mentions(policies: PolicySet, list_id: str, as_of: date, item: str | None = None) -> Mentions:
    """What the items of ``list_id`` (or the one ``item``) mention, on ``as_of``."""
    values = policies.values_on(as_of)
    found = Mentions()
    for criterion in policies.of(CRITERIA).find(list_id).criteria.items:
        if item is None or criterion.id == item:
            add_mentions(found, criterion.expression, values)
    return found


def _reads(node: ast.AST, kind: str) -> bool:
    """Whether ``node`` calls a built-in function that reads facts of ``kind``."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and _READS.get(node.func.id) == kind
    )


def values_read_by(policies: PolicySet, kind: str, as_of: date) -> list[str]:
    """The texts the loaded lists look for in facts of ``kind`` ("findings", "grades",
    "documents", "posts") on ``as_of``: the arguments of the functions that read them
    (``has_finding("处分")``) and what their results are compared with (``grade(...) in
    qualifying_grades``), parameters resolved. What a district records beyond them no rule
    reads; a template offers these as the usual choices."""
    values = policies.values_on(as_of)
    found = Mentions()

    def add(node: ast.AST) -> None:
        if isinstance(node, ast.Constant):
            found.add(node.value)
        elif isinstance(node, ast.Name):
            try:
                found.add(values[node.id])
            except (KeyError, MissingFact):  # a field, or a parameter without a value
                return
        elif isinstance(node, ast.List | ast.Tuple | ast.Set):
            for element in node.elts:
                add(element)

    for compiled in policies.of(CRITERIA).values():
        for criterion in compiled.criteria.items:
            for node in ast.walk(ast.parse(criterion.expression, mode="eval")):
                if _reads(node, kind):
                    assert isinstance(node, ast.Call)
                    for argument in node.args:
                        add(argument)
                elif isinstance(node, ast.Compare):
                    sides = [node.left, *node.comparators]
                    if any(_reads(side, kind) for side in sides):
                        for side in sides:
                            add(side)
    return sorted(found.strings)
