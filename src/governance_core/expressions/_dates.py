"""Dates and spans in expressions: whole years and months between two dates (as a person's age
is counted), date literals, and the spans ``within=`` takes. Every function refuses what it
cannot mean (``years(0.5)``, ``date("20240101")``) instead of rounding it silently."""

from __future__ import annotations

import calendar
import re
from datetime import date
from fractions import Fraction

from governance_core.expressions._values import Span
from governance_core.messages import _

__all__ = [
    "date_literal",
    "days",
    "days_between",
    "months",
    "months_between",
    "whole",
    "year_of",
    "years",
    "years_between",
]


def whole(n: int | Fraction) -> int:
    """``n`` as a whole number of at least 0: years(0.5) is not silently years(0)."""
    if type(n) is int and n >= 0:  # most calls: a year or a count as written
        return n
    if isinstance(n, bool) or Fraction(n).denominator != 1 or n < 0:
        raise ValueError(_("a whole number of at least 0 is needed, not {n}").format(n=n))
    return int(n)


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    if end < start:
        return -months_between(end, start)
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day and not _is_month_end_clamp(start, end):
        months -= 1
    return months


def _is_month_end_clamp(start: date, end: date) -> bool:
    # 31 Jan → 28 Feb counts as one month: end is the last day of a month shorter than start.day
    return end.day == calendar.monthrange(end.year, end.month)[1]


def years_between(start: date, end: date) -> int:
    """Whole years: ``months_between // 12`` towards zero, computed without the months."""
    if end < start:
        return -years_between(end, start)
    years = end.year - start.year
    if end.month < start.month or (
        end.month == start.month and end.day < start.day and not _is_month_end_clamp(start, end)
    ):
        years -= 1
    return years


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def date_literal(text: str) -> date:
    # only YYYY-MM-DD: Python also reads "20240101" and "2024-W01-1", which a reader would not
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(_("{text!r} is not a date in YYYY-MM-DD form").format(text=text))
    return date.fromisoformat(text)


def year_of(day: date) -> int:
    return day.year


def years(n: int) -> Span:
    return Span(years=whole(n))


def months(n: int) -> Span:
    return Span(months=whole(n))


def days(n: int) -> Span:
    return Span(days=whole(n))


def days_between(start: date, end: date) -> int:
    return end.toordinal() - start.toordinal()
