"""Runtime values of the expression language: unknown facts, spans of time, exact numbers."""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any, final

import attrs

from governance_core.messages import _

__all__ = ["UNKNOWN", "MissingFact", "Span", "arithmetic", "divide", "fact", "render_value"]


class MissingFact(Exception):  # noqa: N818 - a signal inside evaluation, never raised to users
    """A fact an expression needs is not in the dossier (or a parameter has no value).

    The compiled path catches it and re-evaluates the item with the three-valued interpreter,
    which turns it into *unknown* with ``what`` as the reason.
    """

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


@final
class _Unknown:
    """The third truth value; also stands for any value that could not be known."""

    __slots__ = ()
    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "unknown"

    def __bool__(self) -> bool:
        raise TypeError("unknown has no truth value; test it with `is UNKNOWN`")


UNKNOWN = _Unknown()


@final
@attrs.frozen(slots=True, cache_hash=True)  # hashed per record as a cache key of _before
class Span:
    """A length of calendar time: years, months and days (``years(3)``)."""

    years: int = 0
    months: int = 0
    days: int = 0

    def before(self, day: date) -> date:
        """The date this span before ``day``; month ends clamp (31 May − 3 months = 28/29 Feb)."""
        return _before(self, day)

    def __str__(self) -> str:
        parts = [
            f"{n} {unit}"
            for n, unit in ((self.years, "y"), (self.months, "m"), (self.days, "d"))
            if n
        ]
        return " ".join(parts) or "0 d"


@lru_cache(maxsize=4096)  # evaluation asks the same (span, as_of) for every record
def _before(span: Span, day: date) -> date:
    months = day.year * 12 + (day.month - 1) - (span.years * 12 + span.months)
    year, month = divmod(months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    moved = date(year, month + 1, min(day.day, last))
    return date.fromordinal(moved.toordinal() - span.days)


def fact(value: Any, what: str) -> Any:
    """``value``, or raise MissingFact when it is None (an optional record field left out)."""
    if value is None:
        raise MissingFact(what)
    return value


def arithmetic(op: Callable[[Any, Any], Any], left: Any, right: Any) -> Any:
    """``op(left, right)``, exact: amounts are Decimal and quotients Fraction, which Python
    will not mix, so a mixed pair is computed in fractions."""
    try:
        return op(left, right)
    except TypeError:
        return op(Fraction(left), Fraction(right))


def divide(left: int | Fraction, right: int | Fraction) -> Fraction:
    """Exact division: 2 / 3 is Fraction(2, 3), never 0.666…; division by zero is an error."""
    if right == 0:
        raise ZeroDivisionError(_("division by zero"))
    return Fraction(left) / right


_HUGE_BITS = 10_000  # about 3,000 digits: Python refuses to print ints over 4,300 digits


def _huge(value: int | Fraction) -> str:
    """About six significant digits of a number too long to print in full."""
    exact = Fraction(value)
    sign = "-" if exact < 0 else ""
    exponent = math.floor(math.log10(abs(exact.numerator)) - math.log10(exact.denominator))
    digits = abs(exact) * Fraction(10) ** (5 - exponent)
    return f"≈{sign}{digits.numerator // digits.denominator / 10**5:.5f}e{exponent:+d}"


def render_value(value: Any) -> str:
    """Language-neutral text of a value, as stored in verdicts and JSON."""
    if value is UNKNOWN:
        return "unknown"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return _huge(value) if value.bit_length() > _HUGE_BITS else str(value)
    if isinstance(value, Fraction):
        if max(value.numerator.bit_length(), value.denominator.bit_length()) > _HUGE_BITS:
            return _huge(value)
        if value.denominator == 1:
            return str(value.numerator)
        as_decimal = Decimal(value.numerator) / Decimal(value.denominator)
        exact = Fraction(as_decimal) == value
        return str(as_decimal.normalize()) if exact else f"{value.numerator}/{value.denominator}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, tuple | list | frozenset):
        return "[" + ", ".join(render_value(v) for v in value) + "]"
    return str(value)
