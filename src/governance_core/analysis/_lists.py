"""Criteria lists on one date: items that can never be met or are always met, items another
item implies, items that cannot hold together in a list that needs them all, and items that
stay unknown for everyone (a parameter with no value that day). Each finding carries a
dossier the engine has evaluated."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import date
from itertools import combinations
from typing import Any

import z3

from governance_core.analysis._defect import Defect, Severity, said
from governance_core.analysis._encode import Encoder, NoValueError
from governance_core.analysis._facts import Facts
from governance_core.analysis._solver import Solver, over_budget
from governance_core.engine import Engine
from governance_core.expressions import Checked
from governance_core.messages import _
from governance_core.model import Dossier, converter
from governance_core.rules.criteria import HitPolicy, ItemStatus, ListVerdict
from governance_core.rules.criteria.kind import CRITERIA

__all__ = ["list_defects"]


def _first_part(checked: Checked) -> ast.expr | None:
    tree = checked.tree
    if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And):
        return tree.values[0]
    return None


def list_defects(engine: Engine, as_of: date) -> Iterator[Defect]:
    policies = engine.policies
    values = policies.values_on(as_of)
    for list_id, compiled in policies.of(CRITERIA).items():
        if over_budget():
            return
        criteria = compiled.criteria
        if not criteria.in_effect(as_of):
            continue
        facts = Facts()
        encoder = Encoder(facts, as_of, values)
        solver = Solver(facts, as_of)
        terms: dict[str, z3.BoolRef] = {}  # the items that can be met and can fail
        places: dict[str, str] = {}
        for index, (criterion, checked) in enumerate(compiled.checked_items()):
            if over_budget():
                return
            if not criterion.in_effect(as_of):
                continue
            rule = f"{list_id}/{criterion.id}"
            where = places[criterion.id] = policies.position("lists", list_id, ("items", index))
            encoder.divisors.clear()
            try:
                terms[criterion.id] = encoder.encode(checked)
            except NoValueError as missing:
                yield _unknown(
                    engine, list_id, criterion.id, rule, where, missing.parameter, as_of, solver
                )
                continue
            term = terms[criterion.id]
            for divisor in encoder.divisors:  # "it can fail" needs a dossier on which it does
                if (zero := solver.dossier(divisor == 0)) is not None:
                    yield _zero(engine, list_id, criterion.id, rule, where, solver, zero, as_of)
                    break
            if not solver.possible(term):
                yield _never(
                    engine, list_id, criterion.id, rule, where, checked, encoder, solver, as_of
                )
                del terms[criterion.id]
            elif not solver.possible(z3.Not(term)):
                del terms[criterion.id]
                yield _checked(
                    engine,
                    list_id,
                    as_of,
                    Defect(
                        "always_met",
                        Severity.WARNING,
                        rule,
                        where,
                        said(lambda: _("the item is met by every dossier that records its facts")),
                        _witness(solver.dossier(term), {criterion.id: ItemStatus.MET}),
                    ),
                )
        yield from _pairs(engine, list_id, criteria.hit_policy, terms, places, solver, as_of)


def _pairs(
    engine: Engine,
    list_id: str,
    hit_policy: HitPolicy,
    terms: dict[str, z3.BoolRef],
    places: dict[str, str],
    solver: Solver,
    as_of: date,
) -> Iterator[Defect]:
    for a, b in combinations(terms, 2):
        if over_budget():  # a million pairs of a thousand items: stop asking, said once
            return
        ta, tb = terms[a], terms[b]
        if hit_policy is HitPolicy.ALL and not solver.possible(ta, tb):
            witness = {
                "dossiers": [_dossier_data(solver.dossier(ta)), _dossier_data(solver.dossier(tb))],
                "expect": [
                    {a: ItemStatus.MET.value, b: ItemStatus.NOT_MET.value},
                    {a: ItemStatus.NOT_MET.value, b: ItemStatus.MET.value},
                ],
            }
            yield _checked(
                engine,
                list_id,
                as_of,
                Defect(
                    "contradictory",
                    Severity.ERROR,
                    f"{list_id}/{b}",
                    places[b],
                    said(
                        lambda: _(
                            "items {a} and {b} cannot both be met, and the list needs all "
                            "its items: it is never met"
                        ),
                        a=a,
                        b=b,
                    ),
                    witness,
                ),
            )
            continue
        # in an any-list an item that implies another adds no hit; in an all-list an item
        # that another implies adds no condition
        for first, second in ((a, b), (b, a)):
            implied = not solver.possible(terms[first], z3.Not(terms[second]))
            if not implied:
                continue
            redundant = first if hit_policy is HitPolicy.ANY else second
            other = second if redundant == first else first
            yield _checked(
                engine,
                list_id,
                as_of,
                Defect(
                    "redundant",
                    Severity.WARNING,
                    f"{list_id}/{redundant}",
                    places[redundant],
                    said(
                        lambda: _(
                            "item {item} is redundant: {first} implies {second}, so it never changes "
                            "the outcome beside {other}"
                        ),
                        item=redundant,
                        first=first,
                        second=second,
                        other=other,
                    ),
                    _witness(
                        solver.dossier(terms[first]),
                        {first: ItemStatus.MET, second: ItemStatus.MET},
                    ),
                ),
            )
            break


def _never(
    engine: Engine,
    list_id: str,
    item: str,
    rule: str,
    where: str,
    checked: Checked,
    encoder: Encoder,
    solver: Solver,
    as_of: date,
) -> Defect:
    # the witness meets the item's first condition and shows the item still is not met
    part = _first_part(checked)
    dossier = None
    if part is not None:
        sub = Checked(
            checked.source, checked.parsed, part, checked.type, checked.resolved, checked.parameters
        )
        dossier = solver.dossier(encoder.encode(sub))
    dossier = dossier or solver.dossier()
    return _checked(
        engine,
        list_id,
        as_of,
        Defect(
            "never_met",
            Severity.ERROR,
            rule,
            where,
            said(lambda: _("the item can never be met: its conditions contradict each other")),
            _witness(dossier, {item: ItemStatus.NOT_MET}),
        ),
    )


def _zero(
    engine: Engine,
    list_id: str,
    item: str,
    rule: str,
    where: str,
    solver: Solver,
    dossier: Any,
    as_of: date,
) -> Defect:
    """An item that fails to evaluate for some dossier: it divides by a value that can be 0."""
    from governance_core.errors import EvaluationError

    data = _dossier_data(dossier)
    try:
        statuses(engine, list_id, data, as_of)
        failed = False
    except (EvaluationError, ZeroDivisionError):
        failed = True
    return Defect(
        "may_fail",
        Severity.ERROR,
        rule,
        where,
        said(
            lambda: _(
                "the item fails to evaluate for some dossiers: it divides by a value that can be 0"
            )
        ),
        {"dossier": data, "list": list_id, "as_of": as_of.isoformat(), "expect": {"fails": True}},
        confirmed=failed,
    )


def _unknown(
    engine: Engine,
    list_id: str,
    item: str,
    rule: str,
    where: str,
    parameter: str,
    as_of: date,
    solver: Solver,
) -> Defect:
    unpublished = not engine.policies.parameters[parameter].values  # the source's own gap
    if unpublished:
        words = said(
            lambda: _(
                "the item is unknown for everyone until the source's parameter "
                "{parameter} is given a value"
            ),
            parameter=parameter,
        )
    else:
        words = said(
            lambda: _(
                "the item is unknown for everyone on {day}: parameter {parameter} has no value then"
            ),
            day=as_of,
            parameter=parameter,
        )
    return _checked(
        engine,
        list_id,
        as_of,
        Defect(
            "always_unknown",
            Severity.INFO if unpublished else Severity.WARNING,
            rule,
            where,
            words,
            _witness(solver.dossier(), {item: ItemStatus.UNKNOWN}),
        ),
    )


def _dossier_data(dossier: Any) -> Any:
    return converter.unstructure(dossier) if dossier is not None else None


def _witness(dossier: Any, expect: dict[str, ItemStatus]) -> dict[str, Any]:
    return {"dossier": _dossier_data(dossier), "expect": {k: v.value for k, v in expect.items()}}


def dossier_from(data: Any) -> Dossier:
    """A witness's dossier from its JSON data (grades are keyed by year: text in JSON)."""
    grades = {int(year): grade for year, grade in (data.get("grades") or {}).items()}
    return converter.structure({**data, "grades": grades}, Dossier)


def verdict_of(engine: Engine, list_id: str, dossier_data: Any, as_of: date) -> ListVerdict:
    """What the engine gives ``list_id`` for a witness's dossier (its JSON data)."""
    (verdict,) = engine.evaluate(list_id, [dossier_from(dossier_data)], as_of, explain=False)
    return verdict


def statuses(engine: Engine, list_id: str, dossier_data: Any, as_of: date) -> dict[str, str]:
    """What the engine gives each item of ``list_id`` for a witness's dossier."""
    verdict = verdict_of(engine, list_id, dossier_data, as_of)
    return {item.id: item.status.value for item in verdict.items}


def _checked(engine: Engine, list_id: str, as_of: date, defect: Defect) -> Defect:
    """``defect`` with ``confirmed`` saying whether the engine gives what its witness
    expects, for every dossier of it."""
    import attrs

    witness = defect.witness
    pairs = (
        list(zip(witness["dossiers"], witness["expect"], strict=True))
        if "dossiers" in witness
        else [(witness["dossier"], witness["expect"])]
    )
    confirmed = all(
        data is not None
        and all(statuses(engine, list_id, data, as_of).get(k) == v for k, v in expect.items())
        for data, expect in pairs
    )
    return attrs.evolve(
        defect,
        witness={**witness, "list": list_id, "as_of": as_of.isoformat()},
        confirmed=confirmed,
    )


def can_conclude(
    engine: Engine, list_id: str, hit: bool, as_of: date, *, as_published: bool = True
) -> bool:
    """Whether some dossier gives ``list_id`` a conclusive hit (or, ``hit`` False, a
    conclusive miss) on ``as_of`` — what a guard needs to pass. ``as_published=False``
    asks as if the source had published everything it leaves out (every item, every
    parameter's value): whether the gap is the source's, or the rules'."""
    compiled = engine.policies.of(CRITERIA)[list_id]
    criteria = compiled.criteria
    if not criteria.in_effect(as_of):
        return False
    facts = Facts()
    encoder = Encoder(facts, as_of, engine.policies.values_on(as_of))
    solver = Solver(facts, as_of)
    known: list[z3.BoolRef] = []
    unknown = False
    for criterion, checked in compiled.checked_items():
        if criterion.in_effect(as_of):
            try:
                known.append(encoder.encode(checked))
            except NoValueError:
                unknown = True
                if not as_published:
                    known.append(z3.FreshBool("unpublished"))
    if not as_published and not compiled.completeness().complete:
        known.append(z3.FreshBool("unpublished"))  # an item the source names but no one encoded
    complete = not as_published or (compiled.completeness().complete and not unknown)
    settles = hit == (criteria.hit_policy is HitPolicy.ANY)  # the outcome one item decides
    if settles:  # any-list hit, all-list miss: one known item is enough
        return any(solver.possible(t if hit else z3.Not(t)) for t in known)
    if not complete:
        return False
    if not known:
        return True  # an empty complete list: "all" holds and "any" fails vacuously
    every = [t if hit else z3.Not(t) for t in known]
    return solver.possible(*every)
