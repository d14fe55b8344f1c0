"""Scoring rubrics as data: sections with base points, lines, and the rules that move points.

Written after 胶州's "三定一诺双评" rubric (source 004, 第十六条), whose every clause is one of a
few shapes: a requirement that costs points when unmet ("记10分，否则扣10分"), a deduction per
occurrence ("每缺1次扣1分"), a deduction the assessor chooses within a range ("视情扣1-5分"), a
bonus when done or per occurrence ("奖3分", "每次奖5分"), a bonus per unit of money ("每投入
1万元奖5分"), a bonus by class (一类40 / 二类30 / 三类20 / 四类10), and points per step of a
grade scale (ABCD: +10 per step up, −10 per step down).

A section's base points are what a person scores when every requirement is met; rules add and
subtract from there. A line with points of its own (the clause's share of the base) never
loses more than those points, however many deductions pile up in it; a line without (胶州's
执行纪律: "每发生一起…扣5分") takes its deductions from the section, uncapped.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import final

import attrs

from governance_core.errors import Problem
from governance_core.files import Located
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.messages import _
from governance_core.rules.common import Citation, Title, in_effect

__all__ = [
    "Rubric",
    "RubricLine",
    "RubricSection",
    "RuleKind",
    "ScoringRule",
    "UnitRounding",
    "rubric_problems",
]


class RuleKind(enum.Enum):
    """The shapes a scoring rule takes, and the input each reads."""

    DEDUCT_UNLESS = "deduct_unless"  # input: true/false — `points` off when false
    DEDUCT_PER = "deduct_per"  # input: a count — `per` off for each
    DEDUCT_JUDGED = "deduct_judged"  # input: the assessor's deduction, 0 or within `range`
    BONUS_IF = "bonus_if"  # input: true/false — `points` on when true
    BONUS_PER = "bonus_per"  # input: a count — `per` on for each
    BONUS_PER_AMOUNT = "bonus_per_amount"  # input: money — `per` for each `unit`
    BONUS_BY_CLASS = "bonus_by_class"  # input: a list of class names — `classes` points each
    GRADE_STEPS = (
        "grade_steps"  # input: {from, to} on `scale` — `up` per step up, `down` per step down
    )


class UnitRounding(enum.Enum):
    """How money becomes units for a per-unit bonus: whole units only (1.9万 → 1), or exact
    fractions (1.9万 → 1.9 units). The sources do not say; a rubric must choose."""

    WHOLE_UNITS = "whole_units"
    EXACT = "exact"


# which optional fields each kind needs; every other optional field must be absent
_FIELDS: dict[RuleKind, frozenset[str]] = {
    RuleKind.DEDUCT_UNLESS: frozenset({"points"}),
    RuleKind.DEDUCT_PER: frozenset({"per"}),
    RuleKind.DEDUCT_JUDGED: frozenset({"range"}),
    RuleKind.BONUS_IF: frozenset({"points"}),
    RuleKind.BONUS_PER: frozenset({"per"}),
    RuleKind.BONUS_PER_AMOUNT: frozenset({"per", "unit", "rounding"}),
    RuleKind.BONUS_BY_CLASS: frozenset({"classes"}),
    RuleKind.GRADE_STEPS: frozenset({"scale", "up", "down"}),
}
_OPTIONAL = ("points", "per", "range", "unit", "rounding", "classes", "scale", "up", "down")


@final
@attrs.frozen(slots=True)
class ScoringRule:
    """One way points move, reading one named input. ``citation`` defaults to the line's."""

    id: str
    title: Title
    kind: RuleKind
    input: str
    citation: Citation | None = None
    points: int | None = None
    per: int | None = None
    range: tuple[int, int] | None = None
    unit: Decimal | None = None
    rounding: UnitRounding | None = None
    classes: Mapping[str, int] | None = None
    scale: tuple[str, ...] | None = None
    up: int | None = None
    down: int | None = None

    @property
    def is_deduction(self) -> bool:
        return self.kind in (RuleKind.DEDUCT_UNLESS, RuleKind.DEDUCT_PER, RuleKind.DEDUCT_JUDGED)


@final
@attrs.frozen(slots=True)
class RubricLine:
    """A clause of the source. ``points``: its share of the section's base, which its
    deductions never exceed; None for a clause that only gives bonuses."""

    id: str
    title: Title
    citation: Citation
    rules: tuple[ScoringRule, ...]
    points: int | None = None


@final
@attrs.frozen(slots=True)
class RubricSection:
    """A part of the rubric. ``base``: the points it starts from (the sum of its lines'
    points); None for a section of bonuses only ("均为奖分")."""

    id: str
    title: Title
    citation: Citation
    lines: tuple[RubricLine, ...]
    base: int | None = None


@final
@attrs.frozen(slots=True)
class Rubric:
    """A scoring rubric: sections of lines of rules, cited and dated."""

    id: str
    title: Title
    citation: Citation
    sections: tuple[RubricSection, ...]
    effective_from: date | None = None
    effective_to: date | None = None

    def in_effect(self, day: date) -> bool:
        return in_effect(day, self.effective_from, self.effective_to)

    @property
    def base(self) -> int:
        return sum(s.base or 0 for s in self.sections)

    def rules(self) -> Iterator[tuple[RubricSection, RubricLine, ScoringRule]]:
        for section in self.sections:
            for line in section.lines:
                for rule in line.rules:
                    yield section, line, rule


def _rule_problems(
    located: Located, path: DataPath, rule: ScoringRule, rule_id: str
) -> Iterator[Problem]:
    needed = _FIELDS[rule.kind]
    for name in _OPTIONAL:
        present = getattr(rule, name) is not None
        if name in needed and not present:
            yield located.problem(
                path,
                _("a {kind} rule needs {name}").format(kind=rule.kind.value, name=name),
                rule_id=rule_id,
            )
        elif present and name not in needed:
            yield located.problem(
                (*path, name),
                _("a {kind} rule has no {name}").format(kind=rule.kind.value, name=name),
                rule_id=rule_id,
                hint=_("it takes {fields}").format(fields=", ".join(sorted(needed))),
            )
    for name in ("points", "per", "up", "down"):
        value = getattr(rule, name)
        if value is not None and value <= 0:
            yield located.problem(
                (*path, name),
                _("{name} must be positive").format(name=name),
                rule_id=rule_id,
                hint=_("the kind says whether points are added or taken off"),
            )
    if rule.range is not None and not 0 < rule.range[0] <= rule.range[1]:
        yield located.problem(
            (*path, "range"),
            _("range {value} must be [least, most] with 0 < least <= most").format(
                value=list(rule.range)
            ),
            rule_id=rule_id,
        )
    if rule.unit is not None and rule.unit <= 0:
        yield located.problem((*path, "unit"), _("unit must be positive"), rule_id=rule_id)
    if rule.scale is not None and len(set(rule.scale)) != len(rule.scale):
        yield located.problem((*path, "scale"), _("the scale repeats a grade"), rule_id=rule_id)


def rubric_problems(located: Located, path: DataPath, rubric: Rubric) -> Iterator[Problem]:
    """What is wrong with a rubric read from ``located`` at ``path``: rule fields that do not
    fit their kind, a section base that is not the sum of its lines' points, ids and inputs
    used twice."""
    ids: set[str] = set()
    inputs: dict[str, str] = {}
    for i, section in enumerate(rubric.sections):
        section_path: DataPath = (*path, "sections", i)
        lines_points = sum(line.points or 0 for line in section.lines)
        if section.base is not None and section.base != lines_points:
            yield located.problem(
                (*section_path, "base"),
                _("base {base} is not the sum of its lines' points ({lines_points})").format(
                    base=section.base, lines_points=lines_points
                ),
                rule_id=f"{rubric.id}.{section.id}",
                hint=_("check the section against the source"),
            )
        if section.base is None and lines_points:
            yield located.problem(
                (*section_path, "base"),
                _("a section of bonuses only has no line points"),
                rule_id=f"{rubric.id}.{section.id}",
            )
        for j, line in enumerate(section.lines):
            line_path: DataPath = (*section_path, "lines", j)
            for k, rule in enumerate(line.rules):
                rule_path: DataPath = (*line_path, "rules", k)
                rule_id = f"{rubric.id}.{rule.id}"
                if rule.id in ids:
                    yield located.problem(
                        (*rule_path, "id"),
                        _("duplicate rule id {id!r}").format(id=rule.id),
                        rule_id=rule_id,
                    )
                ids.add(rule.id)
                if rule.input in inputs:
                    yield located.problem(
                        (*rule_path, "input"),
                        _("input {input!r} is read by rule {value!r} already").format(
                            input=rule.input, value=inputs[rule.input]
                        ),
                        rule_id=rule_id,
                        hint=_("each rule reads its own input"),
                    )
                inputs.setdefault(rule.input, rule.id)
                yield from _rule_problems(located, rule_path, rule, rule_id)
