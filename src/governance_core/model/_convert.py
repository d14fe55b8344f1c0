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
from typing import Any, TypeVar, cast, get_origin

import orjson
from cattrs import BaseConverter, Converter
from cattrs._compat import is_hetero_tuple, is_mutable_set
from cattrs.cols import (
    homogenous_tuple_structure_factory,
    is_abstract_set,
    is_frozenset,
    is_mutable_sequence,
    is_sequence,
    list_structure_factory,
)
from cattrs.dispatch import StructureHook
from cattrs.preconf.orjson import OrjsonConverter, make_converter

from governance_core.errors import Problem, RosterError
from governance_core.files import Located, structure_located
from governance_core.files.limits import MAX_NUMBER_DIGITS, number_problem
from governance_core.messages import _

__all__ = ["converter", "from_json", "to_json"]

T = TypeVar("T")


def kind_of(value: object) -> str:
    """What a value read from a file is, in words (never a Python type's name)."""
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return _("true or false")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list | tuple):
        return _("a list")
    if isinstance(value, dict):
        return _("a table of names and values")
    if isinstance(value, datetime):
        return _("a date and time")
    if isinstance(value, date):
        return _("a date")
    return _("a value of another kind")


def _structure_date(value: Any, _cls: type) -> date:
    if isinstance(value, datetime):
        raise ValueError(_("a date without a time of day is expected"))
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(
                _("{value!r} is not a date in YYYY-MM-DD form").format(value=value)
            ) from None
    raise TypeError(_("a date is expected, not {name}").format(name=kind_of(value)))


def _structure_datetime(value: Any, _cls: type) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                _("{value!r} is not a date and time in ISO 8601 form").format(value=value)
            ) from None
    raise TypeError(_("a date and time is expected, not {name}").format(name=kind_of(value)))


def _structure_int(value: Any, _cls: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        out_of_bounds = number_problem(value)
        if out_of_bounds:
            raise ValueError(out_of_bounds)
        return value
    raise TypeError(_("a whole number is expected, not {name}").format(name=kind_of(value)))


def _structure_str(value: Any, _cls: type) -> str:
    if isinstance(value, str):
        return value
    raise TypeError(_("text is expected, not {name} (quote it)").format(name=kind_of(value)))


def _structure_bool(value: Any, _cls: type) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError(_("true or false is expected, not {name}").format(name=kind_of(value)))


def _structure_decimal(value: Any, _cls: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise TypeError(_("a number is expected, not {name}").format(name=kind_of(value)))
    if isinstance(value, str) and len(value) > 2 * MAX_NUMBER_DIGITS:
        raise ValueError(
            _("numbers may have at most {limit} digits").format(limit=MAX_NUMBER_DIGITS)
        )
    try:
        # str() first: a YAML float such as 0.1 must become Decimal("0.1"), not its binary value
        result = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(_("{value!r} is not a number").format(value=value)) from None
    out_of_bounds = number_problem(result)
    if out_of_bounds:
        raise ValueError(out_of_bounds)
    return result


def _structure_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    for member in cls:
        if member.value == value:
            return member
    allowed = ", ".join(repr(m.value) for m in cls)
    raise ValueError(_("{value!r} is not one of {allowed}").format(value=value, allowed=allowed))


def _is_tuple(tp: Any) -> bool:
    return tp is tuple or get_origin(tp) is tuple


def _is_collection(tp: Any) -> bool:
    return tp not in (str, bytes) and (
        is_sequence(tp) or _is_tuple(tp) or is_mutable_set(tp) or is_abstract_set(tp)
    )


def _collection_hook(tp: Any, base: BaseConverter) -> StructureHook:
    """cattrs' own hook for the collection ``tp``, refusing text first: a string iterates as
    its characters, and a 50 MB string where a list belongs would be fifty million problems."""
    conv = cast(Converter, base)
    inner: StructureHook
    if is_hetero_tuple(tp):
        inner = conv.gen_structure_hetero_tuple(tp)
    elif _is_tuple(tp):
        inner = conv._structure_tuple
    elif is_frozenset(tp) or is_abstract_set(tp):
        inner = conv._structure_frozenset
    elif is_mutable_set(tp):
        inner = conv._structure_set
    elif is_mutable_sequence(tp):
        inner = list_structure_factory(tp, conv)
    else:
        inner = homogenous_tuple_structure_factory(tp, conv)

    def structure(value: Any, cls: Any) -> Any:
        if isinstance(value, str | bytes | dict):
            raise TypeError(_("a list is expected, not {name}").format(name=kind_of(value)))
        return inner(value, cls)

    return structure


def _make() -> OrjsonConverter:
    conv = make_converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook_factory(_is_collection, _collection_hook)
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
            [Problem(_("malformed JSON: {msg}").format(msg=exc.msg), source, exc.lineno, exc.colno)]
        ) from None
    return structure_located(converter, Located(raw, source, {}, {}), cls, RosterError)
