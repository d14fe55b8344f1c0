"""The questions the analysis asks z3, bounded: each has a time limit, and the whole analysis
a budget (:func:`budget`) past which nothing more is asked. A question not answered — timed
out, or past the budget — claims nothing: it counts as "possible", so no "never" is reported
without a proof."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any

import z3

from governance_core.analysis._facts import Facts
from governance_core.analysis._witness import dossier_of

__all__ = ["QUESTION_MS", "Solver", "budget", "exhausted", "over_budget"]

QUESTION_MS = 2_000  # a hostile expression cannot hold one question up longer
_deadline: ContextVar[float | None] = ContextVar("analysis_deadline", default=None)
_exhausted: ContextVar[list[bool]] = ContextVar("analysis_exhausted")


@contextmanager
def budget(seconds: float) -> Iterator[None]:
    """Ask nothing more once ``seconds`` have passed in the block."""
    deadline = _deadline.set(time.monotonic() + seconds)
    flag = _exhausted.set([False])
    try:
        yield
    finally:
        _deadline.reset(deadline)
        _exhausted.reset(flag)


def exhausted() -> bool:
    """Whether the current budget ran out (some questions were not asked)."""
    return _exhausted.get([False])[0]


def over_budget() -> bool:
    """Whether the budget has run out (then said by :func:`exhausted`): checked between
    questions, before the work of building the next one, so that a policy of thousands of
    items stops near its budget and not a million questions later."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        _exhausted.get([False])[0] = True
        return True
    return False


def _question_ms() -> int:
    """A question's time limit: its own, or what is left of the budget if less."""
    deadline = _deadline.get()
    if deadline is None:
        return QUESTION_MS
    return max(1, min(QUESTION_MS, int((deadline - time.monotonic()) * 1000)))


class Solver:
    """Whether terms can hold together for some dossier recording ``facts``, and a model of
    them as a dossier on ``as_of``."""

    def __init__(self, facts: Facts, as_of: date) -> None:
        self.facts = facts
        self.as_of = as_of

    def _check(self, terms: tuple[z3.BoolRef, ...]) -> tuple[Any, z3.Solver | None]:
        if over_budget():
            return z3.unknown, None
        solver = z3.Solver()
        solver.set("timeout", _question_ms())
        solver.add(*terms, *self.facts.constraints())
        return solver.check(), solver

    def model(self, *terms: z3.BoolRef) -> z3.ModelRef | None:
        answer, solver = self._check(terms)
        return solver.model() if solver is not None and answer == z3.sat else None

    def possible(self, *terms: z3.BoolRef) -> bool:
        answer, _solver = self._check(terms)
        return bool(answer != z3.unsat)

    def dossier(self, *terms: z3.BoolRef) -> Any:
        found = self.model(*terms)
        return None if found is None else dossier_of(found, self.facts, self.as_of)
