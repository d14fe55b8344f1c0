"""Periods a district's cycle runs in (a month, a quarter, a half year, a year) and the
occurrences of a cadence inside one: ``2024Q4`` holds three monthly occurrences, one
quarterly one, and the yearly one only if the year ends in it."""

from __future__ import annotations

import calendar
import enum
import re
from datetime import date, timedelta
from typing import final

import attrs

from governance_core.messages import _

__all__ = ["Cadence", "Period"]


class Cadence(enum.Enum):
    """How often a step runs. ``on_date`` runs once a year on the step's ``day`` (MM-DD)."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"
    ON_DATE = "on_date"


_MONTHS_OF = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.HALF_YEARLY: 6, Cadence.YEARLY: 12}
_FORMS = (
    (re.compile(r"(\d{4})-(\d{2})"), 1),
    (re.compile(r"(\d{4})-?[Qq]([1-4])"), 3),
    (re.compile(r"(\d{4})-?[Hh]([12])"), 6),
    (re.compile(r"(\d{4})"), 12),
)


def _end_of(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@final
@attrs.frozen(slots=True)
class Period:
    """A run of whole months, from ``start`` to ``end`` (both included), named ``label``."""

    start: date
    end: date
    label: str

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2024-03``, ``2024Q4``, ``2024H2`` or ``2024``; ValueError otherwise."""
        for pattern, months in _FORMS:
            found = pattern.fullmatch(text.strip())
            if found is None:
                continue
            year, number = int(found[1]), int(found[2]) if found.lastindex == 2 else 1
            first = (number - 1) * months + 1 if months > 1 else number
            if 1949 <= year <= 2100 and 1 <= first <= 12:
                return cls.of_months(year, first, months)
        raise ValueError(
            _("{text!r} is not a period: write 2024-03, 2024Q4, 2024H2 or 2024").format(text=text)
        )

    @classmethod
    def of_months(cls, year: int, first: int, months: int) -> Period:
        last = first + months - 1
        labels = {
            1: f"{year}-{first:02d}",
            3: f"{year}Q{(first + 2) // 3}",
            6: f"{year}H{(first + 5) // 6}",
            12: f"{year}",
        }
        return cls(date(year, first, 1), _end_of(year, last), labels[months])

    def occurrences(self, cadence: Cadence, day: str | None = None) -> tuple[Period, ...]:
        """The occurrences of ``cadence`` that end inside this period: a quarterly step runs
        for the quarter ending in it, an ``on_date`` step on its day (as a one-day period)."""
        if cadence is Cadence.ON_DATE:
            found = []
            for year in range(self.start.year, self.end.year + 1):
                month, dom = (int(part) for part in (day or "01-01").split("-"))
                on = date(year, month, min(dom, calendar.monthrange(year, month)[1]))
                if self.start <= on <= self.end:
                    found.append(Period(on, on, on.isoformat()))
            return tuple(found)
        months = _MONTHS_OF[cadence]
        found = []
        cursor = self.start
        while cursor <= self.end:
            if cursor.month % months == 0 or months == 1:
                first = cursor.month - months + 1
                found.append(Period.of_months(cursor.year, first, months))
            cursor = _end_of(cursor.year, cursor.month) + timedelta(days=1)
        return tuple(found)
