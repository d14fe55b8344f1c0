"""The calendar as a kind of rule (``calendar:`` in policy files and overlays): one entry per
year publishes its days off and make-up working days, cited to the notice.

The years the ``chinese-calendar`` package holds come first; a plugin's entry for a year
replaces the package's, and an overlay's entry replaces what came before it, in the order the
overlays apply (a province's notice, then a district's adjustment). Each replacement is a
change with its supplier, like every overlay change. Two plugins publishing the same year are
a problem naming both: which one wins would depend on the order plugins load in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, final

import attrs

from governance_core.errors import Problem
from governance_core.files import Located
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.messages import _
from governance_core.rules.calendar._days import days_of
from governance_core.rules.calendar.official import OfficialCalendar, PublishedYear, package_years
from governance_core.rules.calendar.titles import schema_titles
from governance_core.rules.common import Citation, Title
from governance_core.rules.kinds import Assembly, SchemaTitles, Section
from governance_core.rules.provenance import (
    Change,
    ChangeKind,
    Found,
    Origin,
    located_problems,
)

__all__ = ["CALENDAR", "CALENDAR_SECTION", "CalendarKind", "CalendarYear"]


@final
@attrs.frozen(slots=True)
class CalendarYear:
    """One year as a notice publishes it: the days off (``holidays``) and the weekend days
    made working days (``workdays``), each a date or an inclusive range ``A..B``."""

    year: int
    citation: Citation
    holidays: tuple[date | str, ...] = ()
    workdays: tuple[date | str, ...] = ()


def _year_problems(entry: CalendarYear) -> list[Found]:
    if not 1 <= entry.year <= 9998:
        return [(("year",), _("{year} is not a year").format(year=entry.year), None)]
    holidays, problems = days_of(entry.holidays, entry.year, "holidays")
    workdays, more = days_of(entry.workdays, entry.year, "workdays")
    problems += more
    for day, index in sorted(workdays.items()):
        where = ("workdays", index)
        if day in holidays:
            message = _("{day} is both a holiday (holidays entry {first}) and a working day")
            hint = _("a day is off or worked, not both: remove it from one list")
            problems.append((where, message.format(day=day, first=holidays[day] + 1), hint))
        elif day.weekday() < 5:
            message = _("{day} is a weekday: a make-up working day is a Saturday or Sunday")
            hint = _("a weekday is a working day already; check the date against the notice")
            problems.append((where, message.format(day=day), hint))
    return problems


def _checked(
    located: Located, base: DataPath, entry: CalendarYear
) -> tuple[CalendarYear, list[Problem]]:
    rule = _rule(entry)
    return entry, list(located_problems(located, base, rule, _year_problems(entry)))


def _rule(entry: CalendarYear) -> str:
    return f"calendar.{entry.year}"


CALENDAR_SECTION = Section(
    "calendar",
    CalendarYear,
    title=Title("工作日历", "calendar"),
    check=_checked,
    key=_rule,
    unique=False,
    rule_of=lambda entry, _below: f"calendar.{entry.get('year')}",
)


def published(entry: CalendarYear, origin: Origin) -> PublishedYear:
    """The year an entry publishes (its days as checked; a bad entry was reported already)."""
    holidays, _problems = days_of(entry.holidays, entry.year, "holidays")
    workdays, _problems = days_of(entry.workdays, entry.year, "workdays")
    position = origin.located.position(origin.path)
    place = f"{origin.located.file}:{position.line}" if position else origin.located.file
    return PublishedYear(
        entry.year,
        frozenset(holidays),
        frozenset(workdays),
        entry.citation,
        origin.supplier,
        place,
    )


@final
@attrs.frozen(slots=True)
class CalendarKind:
    """The official calendar; ``PolicySet.of(CALENDAR)`` is an :class:`OfficialCalendar`."""

    name: str = "calendar"
    sections: tuple[Section[Any], ...] = (CALENDAR_SECTION,)
    overlay_sections: tuple[Section[Any], ...] = (CALENDAR_SECTION,)
    titles: Callable[[], SchemaTitles] = schema_titles
    hookspecs: type | None = None

    def assemble(self, assembly: Assembly) -> OfficialCalendar:
        years = dict(package_years())
        by_source: dict[int, Origin] = {}
        for entry, origin in assembly.collected(CALENDAR_SECTION):
            if _twice(assembly, entry, origin, by_source.get(entry.year), overlay=False):
                continue
            by_source[entry.year] = origin
            _publish(assembly, years, entry, origin)
        by_overlay: dict[int, Origin] = {}
        for entry, origin in assembly.overlay_entries(CALENDAR_SECTION):
            if _twice(assembly, entry, origin, by_overlay.get(entry.year), overlay=True):
                continue
            by_overlay[entry.year] = origin
            _publish(assembly, years, entry, origin)
        return OfficialCalendar(years)


def _twice(
    assembly: Assembly, entry: CalendarYear, origin: Origin, first: Origin | None, *, overlay: bool
) -> bool:
    """Whether the year is published twice where one must win: in one file, or by two plugins
    (overlays apply in order, so a later overlay's entry simply replaces an earlier one's)."""
    if first is None:
        return False
    same_file = first.located.file == origin.located.file
    if overlay and not same_file:
        return False
    if same_file:
        message = _("{year} is published twice in this file").format(year=entry.year)
        hint = _("also at {place}; merge the two entries").format(place=first.where())
    else:
        message = _("{year} is published by two plugins").format(year=entry.year)
        hint = _("also at {place}; publish a year in one plugin, or decide in an overlay").format(
            place=first.where()
        )
    assembly.problems.at(origin, ("year",), message, _rule(entry), hint)
    return True


def _publish(
    assembly: Assembly, years: dict[int, PublishedYear], entry: CalendarYear, origin: Origin
) -> None:
    kind = ChangeKind.REPLACED if entry.year in years else ChangeKind.ADDED
    years[entry.year] = published(entry, origin)
    assembly.changes.append(Change(kind, _rule(entry), origin.supplier))


CALENDAR = CalendarKind()
"""The calendar kind, registered under the entry-point group ``governance_core.kinds``."""
