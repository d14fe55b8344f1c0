"""Days of the official calendar in words: a deadline that is provisional (counted on weekends
only until its year's calendar is published) or that moved when it was counted again."""

from __future__ import annotations

from datetime import date

from governance_core.messages import _
from governance_core.rules.calendar import DayKind, unpublished_text

__all__ = [
    "day_kind_text",
    "deadline_text",
    "provisional_text",
    "unpublished_text",
    "weekday_text",
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


def day_kind_text(kind: DayKind) -> str:
    """A day's kind in words."""
    words = {
        DayKind.WORKDAY: _("working day"),
        DayKind.WEEKEND: _("weekend"),
        DayKind.HOLIDAY: _("day off"),
        DayKind.MAKE_UP_WORKDAY: _("make-up working day"),
    }
    return words[kind]


def weekday_text(day: date) -> str:
    """The day of the week in words."""
    names = (
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    )
    return names[day.weekday()]
