"""Verdicts: per item met / not met / unknown with what decided it; per list the outcome."""

from __future__ import annotations

import enum
from datetime import date
from typing import final

import attrs

from governance_core.expressions import Check, Observation
from governance_core.messages import _
from governance_core.rules.common import Citation, Supplier, Title
from governance_core.rules.criteria.definition import Effect, HitPolicy

__all__ = ["Completeness", "ItemStatus", "ItemVerdict", "ListFacts", "ListVerdict", "Outcome"]


class ItemStatus(enum.Enum):
    """An item for one person: its condition holds, does not, cannot be known, or the item is
    not in effect on the date."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"
    NOT_IN_EFFECT = "not_in_effect"


class Outcome(enum.Enum):
    """Whether the list is hit, by its hit policy over the items in effect.

    The meaning of a hit depends on the list's effect: disqualified, vetoed, advised against,
    requirements met, procedure opened.
    """

    HIT = "hit"
    NOT_HIT = "not_hit"
    UNKNOWN = "unknown"
    NOT_IN_EFFECT = "not_in_effect"
    NOT_APPLICABLE = "not_applicable"  # the person holds none of the posts the list addresses

    def words(self) -> str:
        """The outcome in words of the language set, whatever the list's effect."""
        words = {
            Outcome.HIT: _("hit"),
            Outcome.NOT_HIT: _("not hit"),
            Outcome.UNKNOWN: _("unknown"),
            Outcome.NOT_IN_EFFECT: _("not in effect"),
            Outcome.NOT_APPLICABLE: _("not applicable"),
        }
        return words[self]


@final
@attrs.frozen(slots=True)
class Completeness:
    """How much of the source's list is encoded. ``missing_numbers`` is None when the
    source does not number its items, so the missing ones cannot be named."""

    encoded: int
    declared: int
    missing_numbers: tuple[int, ...] | None

    @property
    def complete(self) -> bool:
        return self.encoded >= self.declared


@final
@attrs.frozen(slots=True)
class ItemVerdict:
    """One item for one person. ``observations`` and ``checks`` are empty unless explained."""

    id: str
    number: int | None
    title: Title
    citation: Citation
    status: ItemStatus
    expression: str
    observations: tuple[Observation, ...] = ()
    checks: tuple[Check, ...] = ()
    evidence: tuple[str, ...] = ()
    supplied_by: Supplier | None = None


@final
@attrs.frozen(slots=True)
class ListFacts:
    """What every verdict of one list shares: the list's identity, source and completeness.

    One instance per compiled list, referenced by each of its verdicts, so a verdict costs
    only what differs per person.
    """

    list_id: str
    title: Title
    citation: Citation
    effect: Effect
    hit_policy: HitPolicy
    completeness: Completeness
    procedure: str | None = None
    supplied_by: Supplier | None = None
    applies_to: tuple[str, ...] = ()


@final
@attrs.frozen(slots=True)
class ListVerdict:
    """A list for one person as of one date.

    ``conclusive`` is False when the items not encoded could change the outcome: a list of
    "any" that is not hit among 3 of 9 encoded conditions, or a list of "all" whose encoded
    items are all met. Such a verdict never reads as "eligible".
    """

    list: ListFacts
    person_id: str
    person_name: str
    as_of: date
    outcome: Outcome
    conclusive: bool
    items: tuple[ItemVerdict, ...]
    explained: bool = True

    @property
    def list_id(self) -> str:
        return self.list.list_id

    @property
    def title(self) -> Title:
        return self.list.title

    @property
    def citation(self) -> Citation:
        return self.list.citation

    @property
    def effect(self) -> Effect:
        return self.list.effect

    @property
    def hit_policy(self) -> HitPolicy:
        return self.list.hit_policy

    @property
    def completeness(self) -> Completeness:
        return self.list.completeness

    @property
    def procedure(self) -> str | None:
        return self.list.procedure

    def met(self) -> tuple[ItemVerdict, ...]:
        return tuple(i for i in self.items if i.status is ItemStatus.MET)
