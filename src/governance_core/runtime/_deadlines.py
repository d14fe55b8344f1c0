"""When a step is due: the last day allowed, counted from the day its instance entered the
step's source state (docs/procedures.md, "Deadlines")."""

from __future__ import annotations

import calendar as gregorian
from collections.abc import Mapping
from datetime import date, timedelta
from typing import final

import attrs

from governance_core.expressions import MissingFact
from governance_core.rules.parameters import Parameter
from governance_core.rules.procedures import DueKind, DueRule
from governance_core.runtime._calendar import OfficialCalendar

__all__ = ["DueDay", "add_months", "last_day"]


@final
@attrs.frozen(slots=True)
class DueDay:
    """The last day allowed, or why it cannot be known (a parameter without a value)."""

    day: date | None
    unknown_because: str | None = None


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = gregorian.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def last_day(
    rule: DueRule, entered: date, parameters: Mapping[str, Parameter], official: OfficialCalendar
) -> DueDay:
    """The last day a step may be taken under ``rule``; a parameter is read as of ``entered``
    (one without a value makes the day unknown, with the reason)."""
    count = rule.count
    if rule.parameter is not None:
        try:
            value = parameters[rule.parameter].value_on(entered)
        except MissingFact:
            return DueDay(
                None,
                f"parameter {rule.parameter} has no value on {entered}: the source names the "
                "period without its length; give it a value in an overlay",
            )
        count = int(value)
    n = count or 0
    match rule.kind:
        case DueKind.WORKING_DAYS:
            return DueDay(official.add_working_days(entered, n))
        case DueKind.DAYS:
            return DueDay(entered + timedelta(days=n))
        case DueKind.MONTHS:
            return DueDay(add_months(entered, n))
        case DueKind.YEARS:
            return DueDay(add_months(entered, 12 * n))
        case DueKind.BEFORE_DAY_OF_NEXT_MONTH:
            return DueDay(add_months(entered.replace(day=1), 1).replace(day=n) - timedelta(days=1))
        case DueKind.END_OF_QUARTER:
            first_of_next = add_months(entered.replace(day=1), 3 - (entered.month - 1) % 3)
            return DueDay(first_of_next - timedelta(days=1))
