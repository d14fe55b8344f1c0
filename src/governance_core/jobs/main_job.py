"""What the main job (`governance run`) decides before it runs: the period when none is given,
and the kinds of finding and of organisation record the example district is given."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from governance_core.engine import Engine
from governance_core.loading.mentions import mentions
from governance_core.model import OrgLevel
from governance_core.rules.criteria.definition import Effect
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.cycles import CYCLES, Period

__all__ = ["EXAMPLE_PERIOD", "finding_kinds", "last_quarter", "record_kinds"]

EXAMPLE_PERIOD = "2024Q4"
"""The period the example district runs when none is given: its data is dated."""


def finding_kinds(engine: Engine, as_of: date) -> list[str]:
    """The kinds of finding the loaded lists that open procedures name: the example gives a
    few secretaries such findings, so that those procedures have something to open."""
    kinds: set[str] = set()
    for list_id, compiled in engine.policies.of(CRITERIA).items():
        if compiled.criteria.effect is Effect.OPENS_PROCEDURE:
            kinds |= mentions(engine.policies, list_id, as_of).strings
    return sorted(kinds)


def record_kinds(engine: Engine) -> Mapping[str, frozenset[OrgLevel]]:
    """The kinds of record the loaded cycles count, each with the levels that keep it: the
    example's organisations keep most of them, so that the steps have something to count."""
    kinds: dict[str, frozenset[OrgLevel]] = {}
    for cycle in engine.policies.of(CYCLES).cycles.values():
        for step in cycle.steps:
            if step.applies.records is not None:
                held = kinds.get(step.applies.records, frozenset())
                kinds[step.applies.records] = held | frozenset(step.applies.levels)
    return kinds


def last_quarter(today: date) -> Period:
    """The quarter that ended most recently before ``today``."""
    number = (today.month - 1) // 3  # this quarter's index, 0-based: the last one's number
    year = today.year if number else today.year - 1
    return Period.of_months(year, 3 * ((number or 4) - 1) + 1, 3)
