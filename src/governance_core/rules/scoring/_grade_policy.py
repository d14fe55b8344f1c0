"""Grade policies as data: how a composite score is made, the grades in order, quotas with
explicit rounding and ties, bands, vetoes and direct overrides, cited and dated.

What the sources leave unsaid is configuration a policy must state, never an accident:
how a share of a group becomes a number of people (30% of 7 is 2.1: ``rounding``), what
happens to people tied across a quota's boundary (``ties``), and whether a vetoed person's
place in a quota goes to the next in line (``vetoed_slot``). Documented in docs/scoring.md.
The grading itself is :mod:`.grading`.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Any, final

import attrs

from governance_core.rules.common import Citation, Title, in_effect

__all__ = [
    "Band",
    "Composite",
    "GradePolicy",
    "Override",
    "OverrideKind",
    "Quota",
    "QuotaBase",
    "Rounding",
    "Ties",
    "Veto",
    "VetoKind",
    "VetoedSlot",
    "parameter_value",
]


def parameter_value(name: str | None, parameters: Mapping[str, Any]) -> Any:
    """A parameter's value on the date; None when it has none (unpublished)."""
    if name is None:
        return None
    try:
        return parameters[name]
    except Exception:  # no value on the date (MissingFact): what reads it cannot be known
        return None


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


class QuotaBase(enum.Enum):
    """Whom a quota's share is taken of. ``group``: everyone the group holds, with or without
    a score, overridden or not. ``ranked``: only those ranked (a score, no override)."""

    GROUP = "group"
    RANKED = "ranked"


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
        count = self.people(parameters)
        return None if count is None else min(count, group)

    def people(self, parameters: Mapping[str, Any]) -> int | None:
        """A quota of a number of people: how many, whatever the group's size; None for a
        share, or a parameter without a value on the date."""
        if self.share is not None:
            return None
        count = (
            self.count if self.count is not None else parameter_value(self.parameter, parameters)
        )
        return None if count is None else int(count)

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
    # what the sources leave unsaid about small groups; the defaults are the engine's own
    # reading, stated in docs/scoring.md, and an overlay may change them
    quota_base: QuotaBase = QuotaBase.GROUP
    min_group: int | None = None  # a group smaller than this gets no quota grade

    def in_effect(self, day: date) -> bool:
        return in_effect(day, self.effective_from, self.effective_to)
