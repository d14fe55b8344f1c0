"""Grade policies and rubrics on one date: bands a better band shadows (较好 ≥ 95 under
好 ≥ 90 is never given), quota shares that add up to more than the group, and rubric lines
whose rule can deduct more than the line holds. Witnesses are score lists or rubric inputs
the engine grades or scores."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from governance_core.analysis._defect import Defect, Severity, said
from governance_core.engine import Engine
from governance_core.errors import GovernanceError
from governance_core.expressions import MissingFact
from governance_core.messages import _
from governance_core.rules.scoring import (
    Composite,
    Entry,
    GradePolicy,
    Rubric,
    RuleKind,
    ScoringRule,
    score,
)
from governance_core.rules.scoring.kind import SCORING

__all__ = ["grade_policy_defects", "rubric_defects"]

_GROUP = "示例"
_PEOPLE = 10  # a group large enough for every share of a tenth


def _threshold(parameter: str, values: Mapping[str, Any]) -> Fraction | None:
    try:
        return Fraction(values[parameter])
    except (MissingFact, KeyError, TypeError):
        return None


def _entries(policy: GradePolicy, scores: list[Fraction]) -> list[Entry]:
    groups = dict.fromkeys(policy.group_by, _GROUP)
    return [
        Entry(f"w{i:02d}", f"示例{i}", groups, score=Decimal(s.numerator) / Decimal(s.denominator))
        for i, s in enumerate(scores, 1)
    ]


def _grades(engine: Engine, policy: GradePolicy, scores: list[Fraction], as_of: date) -> list[Any]:
    try:
        assessment = engine.assess(policy.id, _entries(policy, scores), as_of)
    except GovernanceError:
        return []
    by_person = {g.person_id: g.grade for g in assessment.graded}
    return [by_person.get(f"w{i:02d}") for i in range(1, len(scores) + 1)]


def policies_in_effect(engine: Engine, as_of: date) -> Iterator[tuple[GradePolicy, str]]:
    """Each grade policy in effect on ``as_of``, with where it is written."""
    policies = engine.policies
    for policy_id, policy in policies.of(SCORING).grade_policies.items():
        if policy.in_effect(as_of):
            yield policy, policies.position("grade_policies", policy_id)


def grade_policy_defects(engine: Engine, as_of: date) -> Iterator[Defect]:
    values = engine.policies.values_on(as_of)
    for policy, where in policies_in_effect(engine, as_of):
        yield from _bands(engine, policy, where, values, as_of)
        yield from _shares(engine, policy, where, as_of)


def _bands(
    engine: Engine, policy: GradePolicy, where: str, values: Mapping[str, Any], as_of: date
) -> Iterator[Defect]:
    order = {grade: i for i, grade in enumerate(policy.grades)}  # best first
    valued = [(b, t) for b in policy.bands if (t := _threshold(b.at_least, values)) is not None]
    for band, threshold in valued:
        better = [
            (b, t)
            for b, t in valued
            if order.get(b.grade, 99) < order.get(band.grade, 99) and t <= threshold
        ]
        if not better:
            continue
        shadow, at = better[0]
        given = policy.composite is Composite.GIVEN
        got = _grades(engine, policy, [threshold], as_of) if given else []
        yield Defect(
            "band_unreachable",
            Severity.ERROR,
            f"{policy.id}/band {band.grade}",
            where,
            said(
                lambda: _(
                    "grade {grade} is never given: a score of at least {threshold} reaches the "
                    "better grade {better} (at least {other}) first"
                ),
                grade=band.grade,
                threshold=_number(threshold),
                better=shadow.grade,
                other=_number(at),
            ),
            {
                "grade_policy": policy.id,
                "as_of": as_of.isoformat(),
                "scores": [_number(threshold)],
                "expect": {"grades": [shadow.grade]},
            },
            confirmed=got == [shadow.grade],
        )


def _shares(engine: Engine, policy: GradePolicy, where: str, as_of: date) -> Iterator[Defect]:
    shares = [q for q in (*policy.top, *policy.bottom) if q.share is not None]
    total = sum((Fraction(*q.share) for q in shares if q.share), Fraction(0))
    if total <= 1:
        return
    scores = [Fraction(100 - i) for i in range(_PEOPLE)]  # distinct: no tie decides anything
    got = _grades(engine, policy, scores, as_of) if policy.composite is Composite.GIVEN else []
    short = [
        q.grade for q in shares if q.share and got.count(q.grade) < Fraction(*q.share) * _PEOPLE
    ]
    yield Defect(
        "quota_exceeds_group",
        Severity.ERROR,
        policy.id,
        where,
        said(
            lambda: _(
                "the quota shares add up to {total} of the group: the last quotas "
                "filled get fewer people than their share"
            ),
            total=_number(total),
        ),
        {
            "grade_policy": policy.id,
            "as_of": as_of.isoformat(),
            "scores": [_number(s) for s in scores],
            "expect": {"short_of_share": short},
        },
        confirmed=bool(got) and bool(short),
    )


def _number(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(value)


# --- rubrics -------------------------------------------------------------------------


def neutral(rule: ScoringRule) -> Any:
    """An input that moves no points under ``rule``."""
    kind = rule.kind
    if kind is RuleKind.DEDUCT_UNLESS:
        return True
    if kind is RuleKind.BONUS_IF:
        return False
    if kind is RuleKind.BONUS_BY_CLASS:
        return []
    if kind is RuleKind.GRADE_STEPS:
        first = (rule.scale or ("",))[0]
        return {"from": first, "to": first}
    return 0


def _deepest(rule: ScoringRule) -> tuple[Any, int] | None:
    """The input giving ``rule``'s largest single deduction, and that deduction."""
    if rule.kind is RuleKind.DEDUCT_UNLESS and rule.points:
        return False, rule.points
    if rule.kind is RuleKind.DEDUCT_JUDGED and rule.range:
        return rule.range[1], rule.range[1]
    return None


def rubric_defects(engine: Engine, as_of: date) -> Iterator[Defect]:
    policies = engine.policies
    for rubric_id, rubric in policies.of(SCORING).rubrics.items():
        if not rubric.in_effect(as_of):
            continue
        inputs = {r.input: neutral(r) for s in rubric.sections for ln in s.lines for r in ln.rules}
        for s_index, section in enumerate(rubric.sections):
            for l_index, line in enumerate(section.lines):
                for rule in line.rules:
                    deepest = _deepest(rule)
                    if line.points is None or deepest is None or deepest[1] <= line.points:
                        continue
                    given = {**inputs, rule.input: deepest[0]}
                    yield _capped(
                        rubric,
                        line.points,
                        rule,
                        given,
                        deepest[1],
                        policies.position(
                            "rubrics", rubric_id, ("sections", s_index, "lines", l_index)
                        ),
                    )


def _capped(
    rubric: Rubric, cap: int, rule: ScoringRule, inputs: dict[str, Any], most: int, where: str
) -> Defect:
    try:
        lines = {ln.rule: ln for ln in score(rubric, "witness", inputs).lines}
        confirmed = lines[rule.id].capped and lines[rule.id].points == -cap
    except (GovernanceError, ValueError, KeyError):
        confirmed = False
    return Defect(
        "line_capped",
        Severity.WARNING,
        f"{rubric.id}/{rule.id}",
        where,
        said(
            lambda: _(
                "rule {rule} can deduct {most}, but its line holds {cap} points: no "
                "one ever loses more than {cap} by it"
            ),
            rule=rule.id,
            most=most,
            cap=cap,
        ),
        {
            "rubric": rubric.id,
            "inputs": inputs,
            "expect": {"rule": rule.id, "points": str(-cap), "capped": True},
        },
        confirmed=confirmed,
    )
