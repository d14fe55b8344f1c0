"""Score one person on a rubric: a score sheet listing every rule with its input, its points
and its citation, exactly (fractions, never floats).

Inputs are a mapping from each rule's input name to its value. Every input must be given —
a missing one is an error, never a silent zero — and every problem of a person's inputs is
reported together, naming the rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, final

import attrs

from governance_core.errors import Problem, ScoringError
from governance_core.policy.records import Citation
from governance_core.policy.scoring.rubric import (
    Line,
    Rubric,
    RuleKind,
    ScoringRule,
    Section,
    UnitRounding,
)

__all__ = ["ScoreLine", "ScoreSheet", "score"]


@final
@attrs.frozen(slots=True)
class ScoreLine:
    """One rule for one person: the input it reads and what was given, the points it moved,
    and where it comes from.
    ``capped`` is True when the line's deductions reached its points and this one was cut."""

    section: str
    line: str
    rule: str
    title: str
    reads: str
    input: str
    points: Fraction
    citation: Citation
    capped: bool = False


@final
@attrs.frozen(slots=True)
class ScoreSheet:
    """A person's score on a rubric: every line, each section's total, and the total."""

    rubric_id: str
    person_id: str
    lines: tuple[ScoreLine, ...]
    sections: Mapping[str, Fraction]
    total: Fraction


def _count(value: Any, rule: ScoringRule) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"a count of 0 or more is expected, not {value!r}")
    return value


def _flag(value: Any, rule: ScoringRule) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"true or false is expected, not {value!r}")
    return value


def _judged(value: Any, rule: ScoringRule) -> int:
    assert rule.range is not None
    least, most = rule.range
    chosen = _count(value, rule)
    if chosen and not least <= chosen <= most:
        raise ValueError(f"the assessor's deduction {chosen} is outside {least}–{most} (or 0)")
    return chosen


def _amount(value: Any, rule: ScoringRule) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ValueError(f"an amount of money is expected, not {value!r}")
    try:
        amount = Fraction(Decimal(str(value)))  # str first: YAML 1.5 is exactly 3/2
    except ArithmeticError:
        raise ValueError(f"{value!r} is not an amount of money") from None
    if amount < 0:
        raise ValueError(f"an amount cannot be negative: {value!r}")
    return amount


def _points(rule: ScoringRule, value: Any) -> tuple[Fraction, str]:
    """The points a rule gives (negative for deductions) and the input as shown."""
    kind = rule.kind
    if kind is RuleKind.DEDUCT_UNLESS:
        met = _flag(value, rule)
        return Fraction(0 if met else -(rule.points or 0)), "是" if met else "否"
    if kind is RuleKind.BONUS_IF:
        done = _flag(value, rule)
        return Fraction(rule.points or 0 if done else 0), "是" if done else "否"
    if kind is RuleKind.DEDUCT_PER:
        n = _count(value, rule)
        return Fraction(-n * (rule.per or 0)), str(n)
    if kind is RuleKind.BONUS_PER:
        n = _count(value, rule)
        return Fraction(n * (rule.per or 0)), str(n)
    if kind is RuleKind.DEDUCT_JUDGED:
        chosen = _judged(value, rule)
        return Fraction(-chosen), str(chosen)
    if kind is RuleKind.BONUS_PER_AMOUNT:
        assert rule.unit is not None
        amount = _amount(value, rule)
        units = amount / Fraction(rule.unit)
        if rule.rounding is UnitRounding.WHOLE_UNITS:
            units = Fraction(int(units))
        return units * (rule.per or 0), str(value)
    if kind is RuleKind.BONUS_BY_CLASS:
        return _by_class(rule, value)
    return _grade_steps(rule, value)


def _by_class(rule: ScoringRule, value: Any) -> tuple[Fraction, str]:
    classes = rule.classes or {}
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"a list of classes ({', '.join(classes)}) is expected, not {value!r}")
    unknown = [v for v in value if v not in classes]
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not one of the classes {', '.join(classes)}")
    return Fraction(sum(classes[v] for v in value)), "、".join(value) or "无"


def _grade_steps(rule: ScoringRule, value: Any) -> tuple[Fraction, str]:
    scale = rule.scale or ()
    if not isinstance(value, Mapping) or set(value) != {"from", "to"}:
        raise ValueError(f"{{from: …, to: …}} on the scale {'/'.join(scale)} is expected")
    start, end = value["from"], value["to"]
    for grade in (start, end):
        if grade not in scale:
            raise ValueError(f"{grade!r} is not on the scale {'/'.join(scale)}")
    steps = scale.index(start) - scale.index(end)  # the scale is written best first
    per = rule.up if steps > 0 else rule.down
    return Fraction(steps * (per or 0)), f"{start}→{end}"


def _line_points(
    section: Section,
    line: Line,
    inputs: Mapping[str, Any],
    problems: list[Problem],
    rubric: Rubric,
    person: str,
) -> list[ScoreLine]:
    result = []
    lost = Fraction(0)
    for rule in line.rules:
        rule_id = f"{rubric.id}.{rule.id}"
        if rule.input not in inputs:
            problems.append(
                Problem(
                    f"no input {rule.input!r} for {person}",
                    file=person,
                    rule_id=rule_id,
                    hint=f"give {rule.title.zh} ({rule.kind.value})",
                )
            )
            continue
        try:
            points, shown = _points(rule, inputs[rule.input])
        except ValueError as exc:
            problems.append(Problem(f"input {rule.input!r}: {exc}", file=person, rule_id=rule_id))
            continue
        capped = False
        if points < 0 and line.points is not None:
            room = line.points - lost  # a clause never loses more than its own points
            if -points > room:
                points, capped = -room, True
            lost -= points
        result.append(
            ScoreLine(
                section.id,
                line.id,
                rule.id,
                rule.title.zh,
                rule.input,
                shown,
                points,
                rule.citation or line.citation,
                capped,
            )
        )
    return result


def score(rubric: Rubric, person_id: str, inputs: Mapping[str, Any]) -> ScoreSheet:
    """The score sheet of ``person_id`` on ``rubric``; ScoringError lists every missing or
    invalid input, and inputs no rule reads."""
    problems: list[Problem] = []
    lines: list[ScoreLine] = []
    sections: dict[str, Fraction] = {}
    for section in rubric.sections:
        total = Fraction(section.base or 0)
        for line in section.lines:
            scored = _line_points(section, line, inputs, problems, rubric, person_id)
            total += sum((s.points for s in scored), Fraction(0))
            lines += scored
        sections[section.id] = total
    known = {rule.input for _, _, rule in rubric.rules()}
    for name in sorted(set(inputs) - known):
        problems.append(
            Problem(
                f"input {name!r} is read by no rule of {rubric.id}",
                file=person_id,
                rule_id=rubric.id,
                hint="check its spelling against the rubric",
            )
        )
    if problems:
        raise ScoringError(problems)
    return ScoreSheet(
        rubric.id, person_id, tuple(lines), sections, sum(sections.values(), Fraction(0))
    )
