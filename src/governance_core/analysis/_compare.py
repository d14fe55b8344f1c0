"""Properties of whole policy sets, proved for every dossier that records the facts the lists
read, or refuted by a dossier the engine confirms (as Cedar's symbolic compiler does for its
policies):

- **equivalence** of two sets (a base and one with an overlay): does anyone's outcome of any
  list change? And if it does, does the other set only **widen** (everyone hit before is
  still hit: it only ever restricts a disqualification) or **narrow** it?
- **disjointness** of two lists: can one person be hit by both?

A list's outcome is encoded three-valued — hit, not hit or unknown (an item reading a
parameter with no value that day is unknown) — so an overlay that gives an unpublished
threshold a value changes outcomes from unknown, and says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, final

import attrs
import z3

from governance_core.analysis._encode import Encoder, NoValueError
from governance_core.analysis._facts import Facts
from governance_core.analysis._lists import verdict_of
from governance_core.analysis._solver import Solver
from governance_core.analysis._witness import dossier_of
from governance_core.engine import Engine
from governance_core.model import converter
from governance_core.rules.criteria import HitPolicy, Outcome
from governance_core.rules.criteria.kind import CRITERIA

__all__ = ["Comparison", "compare", "disjoint"]


@final
@attrs.frozen(slots=True)
class Comparison:
    """How list ``list`` relates between two sets: ``equivalent``, ``wider`` (the other set
    hits everyone the base hits, and more), ``narrower``, ``different`` (each hits someone
    the other does not), ``added`` or ``removed``; ``disjoint`` or ``overlapping`` for two
    lists; ``undecided`` when the solver could not answer within its limits. ``witness``: a dossier on which the two differ (or meet), with each side's
    outcome as the engine gives it."""

    list: str
    relation: str
    witness: dict[str, Any] | None = None
    confirmed: bool = True


@final
@attrs.frozen(slots=True)
class _Outcome:
    hit: z3.BoolRef
    unknown: z3.BoolRef

    def same(self, other: _Outcome) -> z3.BoolRef:
        return z3.And(self.hit == other.hit, self.unknown == other.unknown)


def _outcome(engine: Engine, list_id: str, facts: Facts, as_of: date) -> _Outcome:
    """The list's outcome on ``as_of`` over ``facts`` (every fact recorded)."""
    compiled = engine.policies.of(CRITERIA)[list_id]
    criteria = compiled.criteria
    if not criteria.in_effect(as_of):
        return _Outcome(z3.BoolVal(False), z3.BoolVal(False))
    encoder = Encoder(facts, as_of, engine.policies.values_on(as_of))
    met: list[z3.BoolRef] = []
    unknown = 0
    for criterion, checked in compiled.checked_items():
        if criterion.in_effect(as_of):
            try:
                met.append(encoder.encode(checked))
            except NoValueError:
                unknown += 1
    if criteria.hit_policy is HitPolicy.ANY:
        hit = z3.Or(*met) if met else z3.BoolVal(False)
        return _Outcome(hit, z3.And(z3.Not(hit), z3.BoolVal(unknown > 0)))
    failed = z3.Or(*(z3.Not(m) for m in met)) if met else z3.BoolVal(False)
    everything = z3.BoolVal(unknown == 0)
    return _Outcome(z3.And(z3.Not(failed), everything), z3.And(z3.Not(failed), z3.Not(everything)))


def _verdict(engine: Engine, list_id: str, data: Any, as_of: date) -> str:
    return verdict_of(engine, list_id, data, as_of).outcome.value


def compare(base: Engine, other: Engine, as_of: date) -> Iterator[Comparison]:
    """Every list of either set, and how it relates from ``base`` to ``other`` on ``as_of``."""
    ours, theirs = base.policies.of(CRITERIA), other.policies.of(CRITERIA)
    for list_id in sorted(set(ours) | set(theirs)):
        if list_id not in theirs:
            yield Comparison(list_id, "removed")
            continue
        if list_id not in ours:
            yield Comparison(list_id, "added")
            continue
        facts = Facts()
        before = _outcome(base, list_id, facts, as_of)
        after = _outcome(other, list_id, facts, as_of)
        solver = Solver(facts, as_of)
        differ = solver.model(z3.Not(before.same(after)))
        if differ is None:  # proved, or not answered in time: then nothing is claimed
            proved = not solver.possible(z3.Not(before.same(after)))
            yield Comparison(list_id, "equivalent" if proved else "undecided")
            continue
        lost = solver.model(before.hit, z3.Not(after.hit))  # hit before, not after
        gained = solver.model(after.hit, z3.Not(before.hit))
        relation = (
            "different"
            if lost and gained
            else "narrower"
            if lost
            else "wider"
            if gained
            else "different"
        )
        shown = lost or gained or differ
        data = converter.unstructure(dossier_of(shown, facts, as_of))
        expect = {
            "base": Outcome.HIT.value if z3.is_true(shown.eval(before.hit, True)) else None,
            "other": Outcome.HIT.value if z3.is_true(shown.eval(after.hit, True)) else None,
        }
        got = {
            "base": _verdict(base, list_id, data, as_of),
            "other": _verdict(other, list_id, data, as_of),
        }
        confirmed = got["base"] != got["other"] and all(
            v is None or got[k] == v for k, v in expect.items()
        )
        witness = {"list": list_id, "as_of": as_of.isoformat(), "dossier": data, "outcomes": got}
        yield Comparison(list_id, relation, witness, confirmed)


def disjoint(engine: Engine, first: str, second: str, as_of: date) -> Comparison:
    """Whether anyone can be hit by both lists on ``as_of``: proved ``disjoint``, or
    ``overlapping`` with a dossier hit by both."""
    facts = Facts()
    a = _outcome(engine, first, facts, as_of)
    b = _outcome(engine, second, facts, as_of)
    solver = Solver(facts, as_of)
    both = solver.model(a.hit, b.hit)
    if both is None:  # proved, or not answered in time
        proved = not solver.possible(a.hit, b.hit)
        return Comparison(f"{first} & {second}", "disjoint" if proved else "undecided")
    data = converter.unstructure(dossier_of(both, facts, as_of))
    got = {
        first: _verdict(engine, first, data, as_of),
        second: _verdict(engine, second, data, as_of),
    }
    witness = {
        "lists": [first, second],
        "as_of": as_of.isoformat(),
        "dossier": data,
        "outcomes": got,
    }
    return Comparison(
        f"{first} & {second}",
        "overlapping",
        witness,
        all(v == Outcome.HIT.value for v in got.values()),
    )
