"""The official working-day calendar as cited data (``calendar:`` in policy files and
overlays): the years the State Council's notices publish, from the ``chinese-calendar`` package
for past years and from a plugin or overlay for a year published since; a year nobody has
published is counted on weekends only, provisionally (docs/calendar.md)."""

from governance_core.rules.calendar.kind import (
    CALENDAR,
    CALENDAR_SECTION,
    CalendarKind,
    CalendarYear,
)
from governance_core.rules.calendar.official import (
    MAX_WORKING_DAYS,
    Counted,
    DayKind,
    OfficialCalendar,
    PublishedYear,
    package_years,
    unpublished_text,
)

__all__ = [
    "CALENDAR",
    "CALENDAR_SECTION",
    "MAX_WORKING_DAYS",
    "CalendarKind",
    "CalendarYear",
    "Counted",
    "DayKind",
    "OfficialCalendar",
    "PublishedYear",
    "package_years",
    "unpublished_text",
]
