"""The one cattrs converter for every record, and JSON through orjson.

Structuring is strict: unknown fields are errors, text is not silently turned into numbers
(nor numbers into text), a date must be a date, and every problem is collected in one pass
(``detailed_validation``) so file loaders can report them all with their locations.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, TypeVar

import orjson
from cattrs.preconf.orjson import OrjsonConverter, make_converter

from governance_core.errors import Problem, RosterError
from governance_core.files import Located, structure_located

__all__ = ["converter", "from_json", "to_json"]

T = TypeVar("T")


def _structure_date(value: Any, _: type) -> date:
    if isinstance(value, datetime):
        raise ValueError("a date without a time of day is expected")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date in YYYY-MM-DD form") from None
    raise TypeError(f"a date is expected, not {type(value).__name__}")


def _structure_datetime(value: Any, _: type) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date and time in ISO 8601 form") from None
    raise TypeError(f"a date and time is expected, not {type(value).__name__}")


def _structure_int(value: Any, _: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError(f"a whole number is expected, not {type(value).__name__}")


def _structure_str(value: Any, _: type) -> str:
    if isinstance(value, str):
        return value
    raise TypeError(f"text is expected, not {type(value).__name__} (quote it)")


def _structure_bool(value: Any, _: type) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError(f"true or false is expected, not {type(value).__name__}")


def _structure_decimal(value: Any, _: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise TypeError(f"a number is expected, not {type(value).__name__}")
    try:
        # str() first: a YAML float such as 0.1 must become Decimal("0.1"), not its binary value
        result = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    if not result.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return result


def _structure_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    for member in cls:
        if member.value == value:
            return member
    allowed = ", ".join(repr(m.value) for m in cls)
    raise ValueError(f"{value!r} is not one of {allowed}")


def _make() -> OrjsonConverter:
    conv = make_converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(date, _structure_date)
    # datetime is a date: without its own hooks it would be cut to its day
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _structure_enum
    )
    conv.register_unstructure_hook(Decimal, str)
    conv.register_unstructure_hook(Fraction, str)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_unstructure_hook(datetime, datetime.isoformat)
    # plain data holds an enum's value, so that records survive a round trip to and from it
    conv.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), lambda member: member.value
    )
    return conv


converter: OrjsonConverter = _make()


def to_json(record: object, *, indent: bool = False) -> bytes:
    """Serialise any record (or tuple/list/dict of records) to JSON bytes."""
    option = orjson.OPT_INDENT_2 if indent else 0
    return orjson.dumps(converter.unstructure(record), option=option | orjson.OPT_NON_STR_KEYS)


def from_json(data: bytes | str, cls: type[T], *, source: str = "<json>") -> T:
    """Read a record of type ``cls`` from JSON.

    Raises :class:`RosterError` listing every unknown field, missing field and wrong type,
    each with its JSON path.
    """
    try:
        raw = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise RosterError(
            [Problem(f"malformed JSON: {exc.msg}", source, exc.lineno, exc.colno)]
        ) from None
    return structure_located(converter, Located(raw, source, {}, {}), cls, RosterError)
