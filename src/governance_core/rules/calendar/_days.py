"""The days a calendar entry lists: each a date or an inclusive range written
``2027-02-05..2027-02-11``, inside the entry's year, none listed twice.

A list is bounded before anything is expanded: at most :data:`MAX_ENTRIES` entries (a year has
366 days at most, so a longer list can only repeat itself), and a range must lie in its year,
so the work any entry can cause is at most a year of days.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from governance_core.messages import _
from governance_core.rules.provenance import Found

__all__ = ["MAX_ENTRIES", "RANGE", "days_of"]

MAX_ENTRIES = 366
RANGE = ".."


def _parse(value: date | str) -> tuple[date, date] | str:
    """The first and last day of an entry, or what is wrong with it."""
    if isinstance(value, date):
        return value, value
    first, sep, last = value.partition(RANGE)
    try:
        start = date.fromisoformat(first.strip())
        end = date.fromisoformat(last.strip()) if sep else start
    except ValueError:
        return _(
            "{value!r} is neither a date (2027-01-01) nor a range of dates (2027-02-05..2027-02-11)"
        ).format(value=value)
    if end < start:
        return _("the range {value!r} ends before it starts").format(value=value)
    return start, end


def days_of(
    values: Sequence[date | str], year: int, field: str
) -> tuple[dict[date, int], list[Found]]:
    """Every day ``values`` list, each with the index of the entry that listed it, and the
    problems found (located below the entry: ``(field, index)``)."""
    found: dict[date, int] = {}
    problems: list[Found] = []
    if len(values) > MAX_ENTRIES:
        message = _("{field} lists {count} entries; a year has at most 366 days").format(
            field=field, count=len(values)
        )
        return found, [((field,), message, _("list each day or range once"))]
    for index, value in enumerate(values):
        where = (field, index)
        parsed = _parse(value)
        if isinstance(parsed, str):
            problems.append((where, parsed, _("write dates as YYYY-MM-DD, ranges as A..B")))
            continue
        start, end = parsed
        if start.year != year or end.year != year:
            other = (start if start.year != year else end).year
            message = _("{value} is not in {year}").format(value=value, year=year)
            hint = _("an entry lists the days of its own year only; give {other} its own entry")
            problems.append((where, message, hint.format(other=other)))
            continue
        day = start
        while day <= end:
            first = found.setdefault(day, index)
            if first != index:
                message = _("{day} is listed twice in {field} (entries {first} and {index})")
                words = message.format(day=day, field=field, first=first + 1, index=index + 1)
                problems.append((where, words, _("list each day once")))
                break
            day += timedelta(days=1)
    return found, problems
