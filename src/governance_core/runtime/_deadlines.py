"""When a step is due: the last day allowed, counted from the day its instance entered the
step's source state (docs/procedures.md, "Deadlines")."""

from __future__ import annotations

import calendar as gregorian
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import final

import attrs

from governance_core.errors import CalendarError
from governance_core.expressions import MissingFact
from governance_core.messages import _
from governance_core.rules.calendar import OfficialCalendar
from governance_core.rules.parameters import Parameter
from governance_core.rules.procedures import DueKind, DueRule
from governance_core.runtime._compiled import CompiledProcess
from governance_core.runtime.records import Deadline, DueStatus, DueStep, ProcessInstance

__all__ = ["DueDay", "add_months", "deadlines_of", "due_steps", "last_day"]


@final
@attrs.frozen(slots=True)
class DueDay:
    """The last day allowed, or why it cannot be known (a parameter without a value); a day
    counted in working days across a year no notice has published yet is provisional
    (``provisional_year``: counted on weekends only until that year is published)."""

    day: date | None
    unknown_because: str | None = None
    provisional_year: int | None = None


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
                _(
                    "parameter {name} has no value on {day}: the source names the period "
                    "without its length; give it a value in an overlay"
                ).format(name=rule.parameter, day=entered),
            )
        if rule.kind is DueKind.BEFORE_DATE:  # the day before the date it gives
            return DueDay(value - timedelta(days=1))
        count = int(value)
    try:
        return _counted(rule.kind, count or 0, entered, official)
    except CalendarError as error:  # a count longer than any deadline
        return DueDay(None, str(error))
    except (OverflowError, ValueError):  # a day beyond the dates Python holds
        return DueDay(None, _too_far(count))


def _too_far(count: int | None) -> str:
    return _("a deadline {count} away lies beyond the dates this library holds").format(count=count)


def _counted(kind: DueKind, n: int, entered: date, official: OfficialCalendar) -> DueDay:
    match kind:
        case DueKind.WORKING_DAYS:
            counted = official.add_working_days(entered, n)
            return DueDay(counted.day, provisional_year=counted.provisional_year)
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
        case DueKind.BEFORE_DATE:  # read from its parameter before: never counted
            raise AssertionError("before_date is a date, not a count")


def deadlines_of(
    compiled: CompiledProcess,
    instance: ProcessInstance,
    parameters: Mapping[str, Parameter],
    official: OfficialCalendar,
) -> list[Deadline]:
    """The deadlines of the steps leaving the instance's state, counted from the day it
    entered it."""
    found: list[Deadline] = []
    for step in compiled.due_steps[instance.state]:
        assert step.due is not None  # due_steps holds the steps with a due rule
        due = last_day(step.due, instance.entered_on, parameters, official)
        before = step.due.kind is DueKind.BEFORE_DATE
        if before and due.day is not None and instance.entered_on > due.day:
            continue  # entered on or after the date: a later batch, not this one
        found.append(
            Deadline(
                instance.id,
                step.id,
                due.day,
                step.due.automatic,
                due.unknown_because,
                due.provisional_year,
            )
        )
    return found


def due_steps(deadlines: Iterable[Deadline], today: date, horizon_days: int) -> list[DueStep]:
    """The deadlines overdue on ``today``, those due within ``horizon_days`` and those that
    cannot be computed, the most urgent first."""
    found = []
    for deadline in deadlines:
        if deadline.last_day is None:
            found.append(DueStep(deadline, DueStatus.UNKNOWN, None))
            continue
        left = (deadline.last_day - today).days
        if left < 0:
            found.append(DueStep(deadline, DueStatus.OVERDUE, left))
        elif left <= horizon_days:
            found.append(DueStep(deadline, DueStatus.UPCOMING, left))
    return sorted(
        found,
        key=lambda d: (d.days_left is None, d.days_left or 0, d.deadline.instance, d.deadline.step),
    )
