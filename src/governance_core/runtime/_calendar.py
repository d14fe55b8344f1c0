"""Working days on the official calendar of the State Council, from ``chinese-calendar``:
public holidays and the weekend days that are made working days in exchange (调休) included.

The calendar of a year is published late in the year before; a date the installed package does
not cover is a :class:`CalendarError`, never a guess from plain weekdays.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import final

import chinese_calendar

from governance_core.errors import CalendarError

__all__ = ["OfficialCalendar"]


@final
class OfficialCalendar:
    """The official working-day calendar, as far as ``chinese-calendar`` covers it."""

    __slots__ = ("first", "last")

    def __init__(self) -> None:
        years = sorted({d.year for d in chinese_calendar.holidays})
        self.first = date(years[0], 1, 1)
        self.last = date(years[-1], 12, 31)

    def is_workday(self, day: date) -> bool:
        if not self.first <= day <= self.last:
            raise CalendarError(
                f"{day} is outside the official calendar the installed chinese-calendar covers "
                f"({self.first} to {self.last}); upgrade chinesecalendar once the State Council "
                "has published that year's holidays"
            )
        return bool(chinese_calendar.is_workday(day))

    def add_working_days(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
        day = start
        left = count
        while left > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day
