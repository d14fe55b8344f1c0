"""Criteria lists (清单) and their items, as data: cited, dated, with a declared size."""

from __future__ import annotations

import enum
from datetime import date
from typing import final

import attrs

from governance_core.rules.common import Citation, Title, in_effect

__all__ = ["CriteriaList", "Criterion", "Effect", "HitPolicy"]


class Effect(enum.Enum):
    """What a list does when it is hit.

    ``disqualify``: bars from a post (不得). ``veto``: blocks an outcome such as a grade
    (一票否决). ``advisory``: "should not" (不宜), overridable with a justification.
    ``requirement``: conditions a person must meet (hit = requirements met).
    ``opens_procedure``: starts a procedure (e.g. the 有错无为 dismissal).
    """

    DISQUALIFY = "disqualify"
    VETO = "veto"
    ADVISORY = "advisory"
    REQUIREMENT = "requirement"
    OPENS_PROCEDURE = "opens_procedure"


class HitPolicy(enum.Enum):
    """``any``: one item met hits the list. ``all``: every item must be met."""

    ANY = "any"
    ALL = "all"


@final
@attrs.frozen(slots=True)
class Criterion:
    """One item of a list. ``number`` is its place in the source's list, when the source
    numbers it; the expression decides whether the item is met for a dossier."""

    id: str
    title: Title
    citation: Citation
    expression: str
    number: int | None = None
    effective_from: date | None = None
    effective_to: date | None = None

    def in_effect(self, day: date) -> bool:
        return in_effect(day, self.effective_from, self.effective_to)


@final
@attrs.frozen(slots=True)
class CriteriaList:
    """A list as its source publishes it.

    ``declared_size`` is the number of items the source says the list has; when fewer are
    encoded the list is incomplete and every verdict drawn from it says so. ``procedure`` names
    the procedure an ``opens_procedure`` list starts. ``applies_to``: the roles of the posts
    whose holders the source's list addresses (村“两委”干部: 两委成员, 党组织书记); a person
    holding none of them on the day is not judged by it, and the verdict says "not
    applicable". Empty: everyone.
    """

    id: str
    title: Title
    citation: Citation
    declared_size: int
    effect: Effect
    hit_policy: HitPolicy
    items: tuple[Criterion, ...]
    procedure: str | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    applies_to: tuple[str, ...] = ()

    def in_effect(self, day: date) -> bool:
        return in_effect(day, self.effective_from, self.effective_to)

    @property
    def complete(self) -> bool:
        return len(self.items) >= self.declared_size

    def missing_numbers(self) -> tuple[int, ...] | None:
        """The source's item numbers not encoded; None when encoded items carry no numbers,
        so which of the source's items are missing cannot be said."""
        numbers = {i.number for i in self.items}
        if None in numbers:
            return None if not self.complete else ()
        return tuple(n for n in range(1, self.declared_size + 1) if n not in numbers)
