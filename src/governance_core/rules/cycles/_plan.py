"""What the loaded cycles run in a period: each step's occurrences, with their deadlines on
the calendar, and what is missing to run them (a cadence or a deadline the source did not
publish) in words."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any, final

import attrs

from governance_core.errors import CalendarError
from governance_core.expressions import MissingFact
from governance_core.messages import _
from governance_core.rules.calendar import Counted
from governance_core.rules.cycles._definition import Cycle, CycleStep, DeadlineKind, StepDeadline
from governance_core.rules.cycles._periods import Cadence, Period
from governance_core.rules.parameters import Parameter

__all__ = ["AddWorkingDays", "Planned", "plan"]

AddWorkingDays = Callable[[date, int], Counted]


@final
@attrs.frozen(slots=True)
class Planned:
    """One occurrence of a step in the period (``occurrence`` None when its cadence is not
    known), its deadline when known, and what is missing, in words. ``provisional_year``: the
    deadline was counted in working days across that year before its official calendar was
    published (weekends only), so it may move when the year is published."""

    cycle: Cycle
    step: CycleStep
    occurrence: Period | None
    deadline: date | None = None
    missing: tuple[str, ...] = ()
    provisional_year: int | None = None


def parameter_value(parameters: Mapping[str, Parameter], name: str, day: date) -> Any:
    """The value ``name`` has on ``day``; None when it has none (or is not declared)."""
    try:
        return parameters[name].value_on(day)
    except (KeyError, MissingFact):
        return None


def _cadence(step: CycleStep, parameters: Mapping[str, Parameter], day: date) -> Cadence | str:
    if step.cadence is not None:
        return step.cadence
    assert step.cadence_parameter is not None  # checked when the cycle was loaded
    value = parameter_value(parameters, step.cadence_parameter, day)
    try:
        return Cadence(value)
    except ValueError:
        return _("how often it runs is not published (parameter {name} has no value)").format(
            name=step.cadence_parameter
        )


def _day_in(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def deadline_of(
    deadline: StepDeadline,
    occurrence: Period,
    parameters: Mapping[str, Parameter],
    add_working_days: AddWorkingDays,
) -> Counted | str:
    """The deadline of ``occurrence``, or why it is not known."""
    value = parameter_value(parameters, deadline.parameter, occurrence.end)
    if not isinstance(value, int) or value < 0:
        return _("its deadline is not published (parameter {name} has no value)").format(
            name=deadline.parameter
        )
    end = occurrence.end
    if deadline.counts is DeadlineKind.DAY_OF_MONTH:
        return Counted(_day_in(end.year, end.month, value))
    if deadline.counts is DeadlineKind.DAY_OF_FOLLOWING_MONTH:
        year, month = (end.year + 1, 1) if end.month == 12 else (end.year, end.month + 1)
        return Counted(_day_in(year, month, value))
    try:
        return add_working_days(end, value)
    except CalendarError as error:  # more working days than any deadline counts
        return _("its deadline cannot be counted: {error}").format(error=error)


def plan(
    cycles: Iterable[Cycle],
    period: Period,
    parameters: Mapping[str, Parameter],
    add_working_days: AddWorkingDays,
) -> list[Planned]:
    """Every occurrence in ``period`` of every step of ``cycles``, in the cycles' order."""
    found: list[Planned] = []
    for cycle in cycles:
        for step in cycle.steps:
            cadence = _cadence(step, parameters, period.end)
            if isinstance(cadence, str):
                found.append(Planned(cycle, step, None, missing=(cadence,)))
                continue
            for occurrence in period.occurrences(cadence, step.day):
                if step.deadline is None:
                    found.append(Planned(cycle, step, occurrence))
                    continue
                due = deadline_of(step.deadline, occurrence, parameters, add_working_days)
                if isinstance(due, str):
                    found.append(Planned(cycle, step, occurrence, missing=(due,)))
                else:
                    found.append(
                        Planned(
                            cycle, step, occurrence, due.day, provisional_year=due.provisional_year
                        )
                    )
    return found
