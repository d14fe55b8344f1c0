"""Days of the official calendar in words: a deadline that is provisional (counted on weekends
only until its year's calendar is published) or that moved when it was counted again."""

from __future__ import annotations

from datetime import date

from governance_core.messages import _
from governance_core.present.rows import Rows
from governance_core.present.words import day_kind_words, weekday_words
from governance_core.rules.calendar import OfficialCalendar, PublishedYear, unpublished_text

__all__ = [
    "calendar_days_rows",
    "calendar_years_rows",
    "deadline_text",
    "provisional_text",
    "unpublished_text",
]


def provisional_text(year: int) -> str:
    """Why a day is provisional, as a clerk reads it."""
    return _("counted on weekends only until the {year} holiday arrangements are published").format(
        year=year
    )


def deadline_text(
    day: date | None, provisional_year: int | None = None, moved_from: date | None = None
) -> str:
    """A last day with what may move it or what moved it; "" when it is not known."""
    if day is None:
        return ""
    text = day.isoformat()
    notes = []
    if provisional_year is not None:
        notes.append(provisional_text(provisional_year))
    if moved_from is not None:
        notes.append(_("moved from {day}").format(day=moved_from.isoformat()))
    return text + "".join(_(" ({note})").format(note=note) for note in notes)


def calendar_days_rows(published: PublishedYear) -> Rows:
    """A published year day by day: each day off and make-up working day, its weekday, and
    who published the year with which notice (the place it was written, when written in a
    file)."""
    title = _("{year}: {source}, {citation}").format(
        year=published.year, source=published.supplier.words(), citation=published.citation
    )
    rows = [
        (day.isoformat(), weekday_words(day), day_kind_words(published.kind(day)))
        for day in sorted(published.holidays | published.workdays)
    ]
    caption = _("published at {place}").format(place=published.place) if published.place else None
    return Rows.of((_("day"), _("weekday"), _("kind")), rows, title=title, caption=caption)


def calendar_years_rows(calendar: OfficialCalendar) -> Rows:
    """Every published year: its days off, its make-up working days, who published it and
    the notice."""
    rows = [
        (
            str(year),
            str(len(published.holidays)),
            str(len(published.workdays)),
            published.supplier.words(),
            str(published.citation),
        )
        for year, published in sorted(calendar.years.items())
    ]
    headers = (_("year"), _("days off"), _("make-up working days"), _("source"), _("notice"))
    return Rows.of(headers, rows)
