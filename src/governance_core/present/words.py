"""The words of the library's enums, numbers and dates, in the language of the moment (the
message catalog's): one place, so that a terminal, a workbook and a web page say the same.
Each function reads the catalog when it is called, never at import."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from governance_core.messages import _
from governance_core.rules.calendar import DayKind
from governance_core.rules.criteria.verdicts import ItemStatus
from governance_core.rules.provenance import ChangeKind
from governance_core.runtime import MIGRATE, RECOUNT, DueStatus, Event, GuardStatus

__all__ = [
    "authenticated_words",
    "cell_number",
    "change_words",
    "day_kind_words",
    "due_words",
    "guard_words",
    "number_text",
    "severity_words",
    "status_words",
    "step_words",
    "weekday_words",
    "yes_no",
]


def number_text(value: int | float | Fraction | Decimal) -> str:
    """A number for people, the same everywhere: exact when it has a short decimal (87.5,
    never 87.50), else rounded to two places and marked (≈73.17); the exact value stays in
    JSON."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    exact = Fraction(value)
    if exact.denominator == 1:
        return str(exact.numerator)
    decimal = _short_decimal(exact)
    return decimal if decimal is not None else f"≈{float(round(exact, 2)):.2f}"


def _short_decimal(exact: Fraction) -> str | None:
    """The decimal of ``exact`` when it ends within six places (87.5, 0.125), else None."""
    for places in range(1, 7):
        scaled = exact * 10**places
        if scaled.denominator == 1:
            text = f"{abs(scaled.numerator):0{places + 1}d}"
            sign = "-" if exact < 0 else ""
            return f"{sign}{text[:-places]}.{text[-places:]}"
    return None


def cell_number(value: int | float | Fraction | Decimal) -> int | float:
    """A number as a workbook's cell holds it: exact to two places, as :func:`number_text`
    shows it (87.5, 73.17)."""
    if isinstance(value, int):
        return value
    rounded = round(Fraction(value), 2)
    return int(rounded) if rounded.denominator == 1 else float(rounded)


def status_words(status: ItemStatus) -> str:
    """An item's status."""
    return {
        ItemStatus.MET: _("met"),
        ItemStatus.NOT_MET: _("not met"),
        ItemStatus.UNKNOWN: _("unknown"),
        ItemStatus.NOT_IN_EFFECT: _("not in effect"),
    }[status]


def guard_words(status: GuardStatus) -> str:
    """A guard's status at a step."""
    return {
        GuardStatus.PASSED: _("passed"),
        GuardStatus.FAILED: _("failed"),
        GuardStatus.UNKNOWN: _("unknown"),
        GuardStatus.NOT_APPLICABLE: _("not applicable"),
    }[status]


def due_words(status: DueStatus) -> str:
    """Where a deadline stands on a day."""
    return {
        DueStatus.OVERDUE: _("overdue"),
        DueStatus.UPCOMING: _("upcoming"),
        DueStatus.UNKNOWN: _("unknown"),
    }[status]


def step_words(event: Event) -> str:
    """The step of an event: the events the library records itself in words, a procedure's
    own by their id."""
    if event.source is None:
        return _("start")
    return {RECOUNT: _("deadlines recounted"), MIGRATE: _("migrated")}.get(event.step, event.step)


def authenticated_words(how: str) -> str:
    """How an event's actor was authenticated, in words: the command line (not at all: the
    roles are those given), or a token by its id (``token:3f2a…``)."""
    if how == "command-line":
        return _("command line, not authenticated")
    if how.startswith("token:"):
        return _("token {id}").format(id=how.removeprefix("token:"))
    return how


def change_words(kind: ChangeKind) -> str:
    """What an overlay (or a plugin's extension) did to a rule."""
    return {
        ChangeKind.ADDED: _("added"),
        ChangeKind.REPLACED: _("replaced"),
        ChangeKind.REMOVED: _("removed"),
        ChangeKind.VALUES_ADDED: _("values added"),
        ChangeKind.VALUES_REPLACED: _("values replaced"),
        ChangeKind.EXTENDED: _("extended"),
    }[kind]


def severity_words(severity: str) -> str:
    """A finding's severity (``error``, ``warning``, ``info``)."""
    return {"error": _("error"), "warning": _("warning"), "info": _("info")}.get(severity, severity)


def day_kind_words(kind: DayKind) -> str:
    """A day's kind on the official calendar."""
    return {
        DayKind.WORKDAY: _("working day"),
        DayKind.WEEKEND: _("weekend"),
        DayKind.HOLIDAY: _("day off"),
        DayKind.MAKE_UP_WORKDAY: _("make-up working day"),
    }[kind]


def weekday_words(day: date) -> str:
    """The day of the week."""
    return (
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    )[day.weekday()]


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")
