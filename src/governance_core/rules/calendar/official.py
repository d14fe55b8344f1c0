"""The official working-day calendar in force: the years the State Council has published (from
the ``chinese-calendar`` package, or from a plugin or overlay that publishes a year on the day
its notice appears), and weekends only, provisionally, for a year nobody has published yet.

A working day is a Monday to Friday that is not a holiday, or a weekend day the year's notice
makes a working day in exchange (调休上班). A count of working days that crosses a year not
published is still counted, on weekends only, and says which year it waits for
(:class:`Counted`): a step is never refused for want of next year's notice.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from types import MappingProxyType
from typing import final

import attrs
import chinese_calendar

from governance_core.errors import CalendarError
from governance_core.messages import _
from governance_core.rules.common import Citation, Supplier, SupplierKind

__all__ = [
    "MAX_WORKING_DAYS",
    "Counted",
    "DayKind",
    "OfficialCalendar",
    "PublishedYear",
    "package_years",
    "unpublished_text",
]

MAX_WORKING_DAYS = 3660
"""The most working days one count may span (about fourteen years): a deadline is weeks or
months, and a hostile parameter must not make a count walk for ever."""

PACKAGE = "chinesecalendar"


class DayKind(enum.Enum):
    """What a day is on the official calendar."""

    WORKDAY = "workday"  # Monday to Friday, no holiday
    WEEKEND = "weekend"  # Saturday or Sunday, not made a working day
    HOLIDAY = "holiday"  # a day off the year's notice gives (weekend days inside it too)
    MAKE_UP_WORKDAY = "make_up_workday"  # a weekend day the notice makes a working day (调休)


@final
@attrs.frozen(slots=True)
class PublishedYear:
    """One year's days off and make-up working days, as a notice publishes them, with its
    citation and who supplied it (the package, a plugin or an overlay) and where."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    citation: Citation
    supplier: Supplier
    place: str | None = None  # file:line of the entry that published it, when written in one

    def kind(self, day: date) -> DayKind:
        if day in self.holidays:
            return DayKind.HOLIDAY
        if day in self.workdays:
            return DayKind.MAKE_UP_WORKDAY
        return DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WORKDAY


@final
@attrs.frozen(slots=True)
class Counted:
    """A day counted in working days; ``provisional_year`` is the first year the count
    crossed that no notice has published (its weekends only were counted), None when every
    day counted is published."""

    day: date
    provisional_year: int | None = None


def _package_version() -> str:
    try:
        return version(PACKAGE)
    except PackageNotFoundError:  # installed under its other distribution name
        return version("chinese-calendar")


@cache
def package_years() -> Mapping[int, PublishedYear]:
    """The years the installed ``chinese-calendar`` package holds (read once)."""
    supplier = Supplier(SupplierKind.PACKAGE, PACKAGE, _package_version())
    holidays: dict[int, set[date]] = {}
    workdays: dict[int, set[date]] = {}
    for day in chinese_calendar.holidays:
        holidays.setdefault(day.year, set()).add(day)
    for day in chinese_calendar.workdays:
        workdays.setdefault(day.year, set()).add(day)
    return MappingProxyType(
        {
            year: PublishedYear(
                year,
                frozenset(days),
                frozenset(workdays.get(year, ())),
                Citation(
                    f"国务院办公厅关于{year}年部分节假日安排的通知",
                    "全文",
                    f"{PACKAGE} {supplier.version}",
                    note="日期取自 chinese-calendar 软件包所收录的该通知",
                ),
                supplier,
            )
            for year, days in sorted(holidays.items())
        }
    )


@final
class OfficialCalendar:
    """The working-day calendar: published years by year; other years counted provisionally
    on weekends only. ``OfficialCalendar()`` holds the package's years alone."""

    __slots__ = ("_years",)

    def __init__(self, years: Mapping[int, PublishedYear] | None = None) -> None:
        self._years = MappingProxyType(dict(package_years() if years is None else years))

    @property
    def years(self) -> Mapping[int, PublishedYear]:
        """Every published year, by year."""
        return self._years

    def published(self, year: int) -> PublishedYear | None:
        """The year's notice as in force, None when no notice is published for it."""
        return self._years.get(year)

    def kind(self, day: date) -> DayKind | None:
        """What ``day`` is; None when its year is not published."""
        year = self._years.get(day.year)
        return None if year is None else year.kind(day)

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day (in a year not published: Monday to Friday)."""
        year = self._years.get(day.year)
        if year is None:
            return day.weekday() < 5
        return day in year.workdays or (day.weekday() < 5 and day not in year.holidays)

    def add_working_days(self, start: date, count: int) -> Counted:
        """The ``count``-th working day after ``start`` (``start`` itself not counted); the
        first year crossed that is not published makes the day provisional. CalendarError
        when ``count`` is more than :data:`MAX_WORKING_DAYS` or the count leaves the dates
        Python holds."""
        if count > MAX_WORKING_DAYS:
            raise CalendarError.too_many(count, MAX_WORKING_DAYS)
        day, left, waiting = start, count, None
        try:
            while left > 0:
                day += timedelta(days=1)
                if waiting is None and day.year not in self._years:
                    waiting = day.year
                if self.is_workday(day):
                    left -= 1
        except OverflowError:
            raise CalendarError.too_many(count, MAX_WORKING_DAYS) from None
        return Counted(day, waiting)

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie after ``start`` up to ``end`` inclusive (0 when ``end``
        is not after ``start``): :meth:`add_working_days` counted back."""
        return sum(1 for day in _days_after(start, end) if self.is_workday(day))

    def unpublished_next_year(self, today: date) -> int | None:
        """The next year, when it is not published and ``today`` is on or after 1 November
        (the State Council publishes each year's notice in November or December)."""
        following = today.year + 1
        if today.month >= 11 and following not in self._years:
            return following
        return None


def _days_after(start: date, end: date) -> Iterator[date]:
    day = start + timedelta(days=1)
    while day <= end:
        yield day
        day += timedelta(days=1)


def unpublished_text(year: int) -> str:
    """The warning given from 1 November while next year's calendar is not published."""
    return _(
        "the official calendar of {year} is not published: working days in {year} are counted "
        "on weekends only, provisionally; publish the State Council's notice in the calendar "
        "section of an overlay as soon as it appears"
    ).format(year=year)
