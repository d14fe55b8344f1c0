"""Grades from scores: groups, ordering, quotas with explicit rounding and ties, vetoes and
direct overrides. Every grade says which rule put the person there.

What the sources leave unsaid is configuration a policy must state, never an accident:
how a share of a group becomes a number of people (30% of 7 is 2.1: ``rounding``), what
happens to people tied across a quota's boundary (``ties``), and whether a vetoed person's
place in a quota goes to the next in line (``vetoed_slot``). Documented in docs/scoring.md.
"""

from __future__ import annotations

import enum
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from fractions import Fraction
from itertools import groupby
from typing import Any, final

import attrs

from governance_core.rules.common import Citation, Title, in_effect
from governance_core.rules.criteria.verdicts import Outcome
from governance_core.rules.scoring.sheet import ScoreSheet
from governance_core.rules.scoring.vote import VoteResult

__all__ = [
    "Band",
    "Candidate",
    "Composite",
    "GradePolicy",
    "Graded",
    "Override",
    "OverrideKind",
    "Quota",
    "Rounding",
    "Ties",
    "Veto",
    "VetoKind",
    "VetoedSlot",
    "grade_group",
]


class Rounding(enum.Enum):
    """How ``share × group size`` becomes a number of people."""

    FLOOR = "floor"
    CEIL = "ceil"
    HALF_UP = "half_up"

    def apply(self, value: Fraction) -> int:
        if self is Rounding.FLOOR:
            return math.floor(value)
        if self is Rounding.CEIL:
            return math.ceil(value)
        return math.floor(value + Fraction(1, 2))


class Ties(enum.Enum):
    """People with equal scores across a quota's boundary.

    ``withhold``: none of them gets the quota's grade, so a quota is never exceeded (the
    places stay empty). ``extend``: all of them get it, so a quota may be exceeded.
    """

    WITHHOLD = "withhold"
    EXTEND = "extend"


class VetoedSlot(enum.Enum):
    """A vetoed person's place in a quota: ``refill`` gives it to the next in line;
    ``leave`` leaves it empty."""

    REFILL = "refill"
    LEAVE = "leave"


@final
@attrs.frozen(slots=True)
class Quota:
    """A grade for a share of the group (``[3, 10]`` for 30%), a number of people, or a
    number of people a dated parameter gives (市中区: the bottom 2 of a quarter)."""

    grade: str
    share: tuple[int, int] | None = None
    count: int | None = None
    parameter: str | None = None

    def size(self, group: int, rounding: Rounding, parameters: Mapping[str, Any]) -> int | None:
        """How many people; None when the parameter has no value on the date."""
        if self.share is not None:
            return rounding.apply(Fraction(*self.share) * group)
        count = self.count if self.count is not None else _value(self.parameter, parameters)
        return None if count is None else min(int(count), group)

    def describe(self) -> str:
        if self.share is not None:
            return f"{self.share[0]}/{self.share[1]}"
        return str(self.count) if self.count is not None else f"{self.parameter}"


@final
@attrs.frozen(slots=True)
class Band:
    """A grade for a score of at least the value of a dated parameter (汶上's four grades,
    whose thresholds the source does not publish, are bands of unvalued parameters)."""

    grade: str
    at_least: str


class VetoKind(enum.Enum):
    SECTIONS_BELOW = "sections_below"  # the sum of these rubric sections is below threshold
    INPUT_FELL = "input_fell"  # a grade_steps input went down the scale
    LIST_HIT = "list_hit"  # a criteria list is hit for the person


@final
@attrs.frozen(slots=True)
class Veto:
    """``grade`` may not be given when the condition holds; the person gets the next grade."""

    id: str
    title: Title
    citation: Citation
    grade: str
    kind: VetoKind
    sections: tuple[str, ...] | None = None
    threshold: int | None = None
    input: str | None = None
    list: str | None = None


class OverrideKind(enum.Enum):
    LIST_HIT = "list_hit"  # a criteria list is hit: the grade is set directly
    SATISFACTION_BELOW = "satisfaction_below"  # satisfaction below a parameter's value


@final
@attrs.frozen(slots=True)
class Override:
    """The grade is set to ``grade`` directly when the condition holds, whatever the score."""

    id: str
    title: Title
    citation: Citation
    grade: str
    kind: OverrideKind
    list: str | None = None
    parameter: str | None = None


class Composite(enum.Enum):
    """The score grades are given by.

    ``rubric``: the rubric's total. ``rubric_times_satisfaction``: the total × the vote's
    satisfaction (胶州: 考核总分=组织工作目标考评得分×群众满意度). ``given``: a score given as
    input, for assessments whose items the source does not publish.
    """

    RUBRIC = "rubric"
    RUBRIC_TIMES_SATISFACTION = "rubric_times_satisfaction"
    GIVEN = "given"


@final
@attrs.frozen(slots=True)
class GradePolicy:
    """How people are scored and their scores become grades, per group.

    ``composite`` says which score; ``rubric`` and ``vote`` name what it is computed from.
    ``grades`` lists every grade best first; ``top`` quotas are filled from the best down,
    ``bottom`` ones from the worst up, and everyone else gets ``rest``. When several
    overrides hold, the worst grade wins."""

    id: str
    title: Title
    citation: Citation
    composite: Composite
    grades: tuple[str, ...]
    group_by: tuple[str, ...]
    rest: str
    rounding: Rounding
    ties: Ties
    vetoed_slot: VetoedSlot
    top: tuple[Quota, ...] = ()
    bottom: tuple[Quota, ...] = ()
    bands: tuple[Band, ...] = ()
    vetoes: tuple[Veto, ...] = ()
    overrides: tuple[Override, ...] = ()
    rubric: str | None = None
    vote: str | None = None
    consequences: Mapping[str, str] = attrs.field(factory=dict)
    effective_from: date | None = None
    effective_to: date | None = None

    def in_effect(self, day: date) -> bool:
        return in_effect(day, self.effective_from, self.effective_to)


@final
@attrs.frozen(slots=True)
class Candidate:
    """A person to grade: group attributes, the score (None when it cannot be computed,
    e.g. an invalid vote), the sheet and vote behind it, and list outcomes for vetoes and
    overrides (by list id)."""

    person_id: str
    name: str
    groups: Mapping[str, str]
    score: Fraction | None
    reason: str = ""
    sheet: ScoreSheet | None = None
    vote: VoteResult | None = None
    lists: Mapping[str, Outcome] = attrs.field(factory=dict)


@final
@attrs.frozen(slots=True)
class Graded:
    """A person's grade and the rule that gave it. ``grade`` is None when it cannot be
    decided; ``conclusive`` is False when a condition could not be known (a list outcome
    unknown, a parameter unpublished): the ``notes`` say which.

    ``rule`` explains in words; ``decided_by`` names the policy's element that placed the
    person (``"quota 优秀"``, ``"band 好"``, ``"override direct_unfit"``, ``"the rest"``; None
    without a score), and ``vetoed_by`` the vetoes that held for them."""

    person_id: str
    name: str
    group: tuple[str, ...]
    score: Fraction | None
    place: int | None
    grade: str | None
    rule: str
    conclusive: bool = True
    notes: tuple[str, ...] = ()
    decided_by: str | None = None
    vetoed_by: tuple[str, ...] = ()


def _veto_holds(veto: Veto, c: Candidate) -> bool | None:
    if veto.kind is VetoKind.SECTIONS_BELOW:
        if c.sheet is None:
            return None
        subtotal = sum(c.sheet.sections.get(s, 0) for s in veto.sections or ())
        return subtotal < (veto.threshold or 0)
    if veto.kind is VetoKind.INPUT_FELL:
        if c.sheet is None:
            return None
        points = c.sheet.points_of(veto.input or "")
        return points is not None and points < 0  # grade steps down cost points
    return _list_holds(veto.list, c)


def _list_holds(list_id: str | None, c: Candidate) -> bool | None:
    outcome = c.lists.get(list_id or "")
    if outcome is None or outcome is Outcome.UNKNOWN:
        return None
    return outcome is Outcome.HIT


def _value(name: str | None, parameters: Mapping[str, Any]) -> Any:
    """A parameter's value on the date; None when it has none (unpublished)."""
    if name is None:
        return None
    try:
        return parameters[name]
    except Exception:  # no value on the date (MissingFact): what reads it cannot be known
        return None


def _override_holds(override: Override, c: Candidate, threshold: Any) -> bool | None:
    if override.kind is OverrideKind.LIST_HIT:
        return _list_holds(override.list, c)
    if threshold is None or c.vote is None or c.vote.satisfaction is None:
        return None
    return bool(c.vote.satisfaction < threshold)


_Key = tuple[float, Fraction]


def _ranked(candidates: Sequence[Candidate]) -> tuple[list[Candidate], dict[str, _Key]]:
    """Best first, and each person's sort key: (float, exact fraction).

    Rounding to float never reverses an order (a < b gives float(a) <= float(b)), so floats
    order almost every pair fast, and the exact fraction decides only between equal floats:
    ties and order stay exact. Equal scores keep a fixed order by person id, which decides
    nothing (ties are handled by the policy) but makes the output independent of the
    roster's order.
    """
    key: dict[str, _Key] = {}
    for c in candidates:
        exact = c.score if c.score is not None else Fraction(0)
        key[c.person_id] = (float(exact), exact)
    by_id = sorted(candidates, key=lambda c: c.person_id)
    return sorted(by_id, key=lambda c: key[c.person_id], reverse=True), key


def grade_group(
    policy: GradePolicy,
    group: tuple[str, ...],
    members: Sequence[Candidate],
    parameters: Mapping[str, Any],
) -> list[Graded]:
    """Grade one group's members; the result is in place order, then by person id."""
    notes: defaultdict[str, list[str]] = defaultdict(list)  # only for those with notes
    unsure: set[str] = set()
    # person → (grade, the rule that gave it, in words, and the element it names)
    decided: dict[str, tuple[str | None, str, str | None]] = {}

    # 1. overrides, worst grade first; 2. no score, no grade
    thresholds = [(o, _value(o.parameter, parameters)) for o in policy.overrides]
    for c in members:
        forced: list[tuple[int, Override]] = []
        for override, threshold in thresholds:
            holds = _override_holds(override, c, threshold)
            if holds is None:
                unsure.add(c.person_id)
                notes[c.person_id].append(f"override {override.id} cannot be known")
            elif holds:
                forced.append((policy.grades.index(override.grade), override))
        if forced:
            _, worst = max(forced, key=lambda pair: pair[0])
            decided[c.person_id] = (
                worst.grade,
                f"override {worst.id}: {worst.title.zh}",
                f"override {worst.id}",
            )
        elif c.score is None:
            unsure.add(c.person_id)
            decided[c.person_id] = (None, f"no score: {c.reason}", None)
    ranked, key = _ranked([c for c in members if c.person_id not in decided])
    places = _places(ranked, key)

    # 3. vetoes: which grades each person may not get
    barred: dict[str, set[str]] = {c.person_id: set() for c in ranked}
    vetoed: defaultdict[str, list[str]] = defaultdict(list)
    for c in ranked:
        for veto in policy.vetoes:
            holds = _veto_holds(veto, c)
            if holds is None:
                unsure.add(c.person_id)
                notes[c.person_id].append(f"veto {veto.id} cannot be known")
            elif holds:
                barred[c.person_id].add(veto.grade)
                vetoed[c.person_id].append(veto.id)
                notes[c.person_id].append(f"veto {veto.id}: not {veto.grade}")

    # 4. quotas from the top, then from the bottom; bands; the rest
    assigned: dict[str, tuple[str | None, str, str | None]] = {}
    unknown = _fill(policy, policy.top, ranked, key, len(members), barred, assigned, parameters)
    unknown += _fill(
        policy,
        policy.bottom,
        list(reversed(ranked)),
        key,
        len(members),
        barred,
        assigned,
        parameters,
    )
    bands = [(band, _value(band.at_least, parameters)) for band in policy.bands]
    unknown += [f"band {b.grade}: {b.at_least} has no value" for b, v in bands if v is None]
    for c in ranked:
        if unknown:
            unsure.add(c.person_id)
            notes[c.person_id] += unknown
        if c.person_id not in assigned:
            grade, why, element = _banded(c, bands, policy.rest)
            allowed = _allowed(policy, grade, barred[c.person_id])
            assigned[c.person_id] = (
                allowed,
                why if allowed == grade else f"{why}, vetoed down to {allowed}",
                element,
            )
    decided.update(assigned)
    graded = []
    for c in members:
        given, rule, by = decided[c.person_id]
        graded.append(
            Graded(c.person_id, c.name, group, c.score, places.get(c.person_id), given, rule,
                   c.person_id not in unsure, tuple(notes.get(c.person_id, ())), by,
                   tuple(vetoed.get(c.person_id, ())))
        )  # fmt: skip
    return sorted(graded, key=lambda g: (g.place is None, g.place or 0, g.person_id))


def _places(ranked: Sequence[Candidate], key: Mapping[str, _Key]) -> dict[str, int]:
    """1-based places; equal scores share the place of the first of them."""
    places: dict[str, int] = {}
    position = 0
    for _, tied in groupby(ranked, key=lambda c: key[c.person_id]):
        tied_list = list(tied)
        for c in tied_list:
            places[c.person_id] = position + 1
        position += len(tied_list)
    return places


def _allowed(policy: GradePolicy, grade: str, barred: set[str]) -> str:
    """``grade``, or the next worse one a veto does not bar."""
    for candidate in policy.grades[policy.grades.index(grade) :]:
        if candidate not in barred:
            return candidate
    return policy.grades[-1]


def _banded(c: Candidate, bands: Sequence[tuple[Band, Any]], rest: str) -> tuple[str, str, str]:
    """The best band whose threshold the score reaches, else the rest (grade, why, element).
    Thresholds not known are skipped, so a grade below one is only a lower bound (and
    provisional): it says so."""
    skipped = ""
    for band, threshold in bands:
        if threshold is None:
            skipped = " (at least: a better band has no threshold)"
        elif c.score is not None and c.score >= threshold:
            why = f"band {band.grade}: score ≥ {threshold} ({band.at_least}){skipped}"
            return band.grade, why, f"band {band.grade}"
    return rest, f"the rest{skipped}", "the rest"


def _fill(
    policy: GradePolicy,
    quotas: Sequence[Quota],
    in_order: Sequence[Candidate],
    key: Mapping[str, _Key],
    size: int,
    barred: Mapping[str, set[str]],
    assigned: dict[str, tuple[str | None, str, str | None]],
    parameters: Mapping[str, Any],
) -> list[str]:
    """Give each quota's grade to the next people in ``in_order`` not yet graded; notes for
    the quotas whose size is a parameter without a value (nobody gets those grades)."""
    unknown = []
    for quota in quotas:
        places = quota.size(size, policy.rounding, parameters)
        if places is None:
            unknown.append(f"quota {quota.grade}: {quota.parameter} has no value")
            continue
        rule = (
            f"quota {quota.grade} {quota.describe()} of {size} → {places} "
            f"({policy.rounding.value}, ties {policy.ties.value})"
        )
        waiting = [c for c in in_order if c.person_id not in assigned]
        filled = 0
        for _, tied in groupby(waiting, key=lambda c: key[c.person_id]):
            if filled >= places:
                break
            tie = list(tied)
            eligible = [c for c in tie if quota.grade not in barred[c.person_id]]
            # a vetoed person's place goes to the next in line (refill) or stays empty (leave)
            needs = len(eligible) if policy.vetoed_slot is VetoedSlot.REFILL else len(tie)
            if filled + needs > places and policy.ties is Ties.WITHHOLD:
                break  # the tie cannot be held whole: none of it gets the grade
            for c in eligible:
                assigned[c.person_id] = (quota.grade, rule, f"quota {quota.grade}")
            filled += needs
    return unknown
