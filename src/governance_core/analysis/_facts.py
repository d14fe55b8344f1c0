"""What an expression can read about a person, as solver variables: one variable per fact
(``has_finding("涉黑涉恶")``, ``age()``, ``person.gender``), with what is true of every real
dossier between them (a count is a whole number of at least 0; ``has_finding(k)`` is
``count_findings(k) >= 1``; a finding in the last year is a finding; a post held for a year
is a post held).

A fact keeps its function's name and constant arguments, so the witness builder
(:mod:`._witness`) can turn a model back into the dossier that has those facts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, final

import attrs
import z3

from governance_core.expressions import ExprType, Span

__all__ = ["Fact", "Facts", "sort_of"]

# Functions whose facts the witness builder knows how to put in a dossier; any other
# function's call is a free variable of its type (an over-approximation, said in the finding).
MODELLED = frozenset(
    {
        "has_finding",
        "count_findings",
        "count",
        "amount",
        "has_document",
        "holds_post",
        "holds_post_in",
        "years_in_post",
        "grade",
        "rank",
        "age",
    }
)
# Bounds every real dossier keeps, so a model never asks for a 500-year-old secretary.
MAX_AGE = 120
MAX_COUNT = 10_000


@final
@attrs.frozen(slots=True)
class Fact:
    """One thing a dossier holds: ``function(*args)``, or ``person.<field>`` (function
    ``person``, the field as its one argument)."""

    function: str
    args: tuple[Any, ...]
    type: ExprType

    def __str__(self) -> str:
        if self.function == "person":
            return f"person.{self.args[0]}"
        return f"{self.function}({', '.join(map(_shown, self.args))})"


def _shown(arg: Any) -> str:
    if isinstance(arg, tuple):
        return "[" + ", ".join(map(_shown, arg)) + "]"
    if isinstance(arg, Span):
        return f"{arg}"
    return repr(arg) if isinstance(arg, str) else str(arg)


def sort_of(tp: ExprType) -> z3.SortRef:
    if tp is ExprType.BOOL:
        return z3.BoolSort()
    if tp is ExprType.TEXT:
        return z3.StringSort()
    if tp is ExprType.DATE:
        return z3.IntSort()  # a date's ordinal
    return z3.RealSort()  # numbers are exact: integers and fractions


class Facts:
    """The solver variables of every fact read so far, and the constraints between them."""

    def __init__(self) -> None:
        self.variables: dict[Fact, z3.ExprRef] = {}
        self._free = 0
        self._constraints: list[z3.BoolRef] | None = None  # built once per set of facts

    def variable(self, fact: Fact) -> z3.ExprRef:
        found = self.variables.get(fact)
        if found is None:
            self._constraints = None
            found = self.variables[fact] = z3.Const(str(fact), sort_of(fact.type))
            if fact.function == "has_finding":  # has_finding(k) is count_findings(k) >= 1
                self.variable(Fact("count_findings", fact.args, ExprType.NUMBER))
        return found

    def free(self, tp: ExprType) -> z3.ExprRef:
        """A value the encoding does not model (an over-approximation)."""
        self._free += 1
        return z3.Const(f"unmodelled#{self._free}", sort_of(tp))

    def constraints(self) -> list[z3.BoolRef]:
        """What every real dossier keeps between the facts read so far (every question of
        a list asks with them: made once until another fact is read)."""
        if self._constraints is None:
            self._constraints = list(self._between())
        return self._constraints

    def _between(self) -> Iterator[z3.BoolRef]:
        for fact, v in self.variables.items():
            yield from _bounds(fact, v)
            if fact.function == "has_finding":
                yield v == (
                    self.variables[
                        attrs.evolve(fact, function="count_findings", type=ExprType.NUMBER)
                    ]
                    >= 1
                )
            if fact.function == "count_findings" and fact.args[1] is not None:
                # a finding within a span is a finding
                whole = Fact("count_findings", (fact.args[0], None), ExprType.NUMBER)
                if whole in self.variables:
                    yield v <= self.variables[whole]
            if fact.function in ("years_in_post", "holds_post_in"):
                held = self.variables.get(Fact("holds_post", fact.args[:1], ExprType.BOOL))
                if held is not None:
                    yield z3.Implies(v >= 1 if fact.function == "years_in_post" else v, held)


def _bounds(fact: Fact, v: z3.ExprRef) -> Iterator[z3.BoolRef]:
    if fact.function in ("count_findings", "count"):
        yield z3.And(z3.IsInt(v), v >= 0, v <= MAX_COUNT)
    elif fact.function in ("years_in_post", "age"):
        yield z3.And(z3.IsInt(v), v >= 0, v <= MAX_AGE)
    elif fact.function == "rank":
        yield z3.And(z3.IsInt(v), v >= 1, v <= MAX_COUNT)
