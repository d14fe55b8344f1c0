"""Dated parameters: named values with effective ranges and a citation.

A parameter the source names but does not publish (e.g. the minimum years in post for the
副科级 treatment) has no values: an expression reading it is *unknown* in lenient mode and an
error in strict mode, so the gap is reported instead of guessed.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, final

import attrs

from governance_core.errors import ParameterError
from governance_core.expressions import ExprType, MissingFact
from governance_core.files.limits import number_problem
from governance_core.messages import _
from governance_core.model import converter
from governance_core.rules.common import Citation, Title, in_effect

__all__ = [
    "Parameter",
    "ParameterKind",
    "ParameterValue",
    "ParameterValues",
    "parameter_problem",
]


class ParameterKind(enum.Enum):
    """The type of a parameter's values, as written in policy files."""

    NUMBER = "number"
    TEXT = "text"
    DATE = "date"
    BOOL = "bool"
    TEXTS = "texts"
    NUMBERS = "numbers"

    @property
    def expr_type(self) -> ExprType:
        return {
            ParameterKind.NUMBER: ExprType.NUMBER,
            ParameterKind.TEXT: ExprType.TEXT,
            ParameterKind.DATE: ExprType.DATE,
            ParameterKind.BOOL: ExprType.BOOL,
            ParameterKind.TEXTS: ExprType.TEXTS,
            ParameterKind.NUMBERS: ExprType.NUMBERS,
        }[self]

    def coerce(self, value: Any) -> Any:
        """The runtime value of a raw value read from YAML; ValueError when it does not fit."""
        if self is ParameterKind.NUMBER:
            return _number(value)
        if self is ParameterKind.TEXT and isinstance(value, str):
            return value
        if self is ParameterKind.DATE:
            return _date(value)
        if self is ParameterKind.BOOL and isinstance(value, bool):
            return value
        if (
            self in (ParameterKind.TEXTS, ParameterKind.NUMBERS)
            and isinstance(value, list)
            and value
        ):
            element = ParameterKind.TEXT if self is ParameterKind.TEXTS else ParameterKind.NUMBER
            return tuple(element.coerce(v) for v in value)
        raise ValueError(_("{value!r} is not a {kind}").format(value=value, kind=self.value))


def _number(value: Any) -> int | Fraction:
    # exact from every spelling: YAML 0.1 is Fraction(1, 10), a record's "2/3" is Fraction(2, 3);
    # each part is bounded as a Decimal first, since Fraction("1e999999999") never returns
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal | Fraction):
        raise ValueError(_("{value!r} is not a number").format(value=value))
    if isinstance(value, Fraction):
        parts = [Decimal(value.numerator), Decimal(value.denominator)]
    else:
        try:
            parts = [Decimal(part.strip()) for part in str(value).split("/", 1)]
        except ArithmeticError:
            raise ValueError(_("{value!r} is not a number").format(value=value)) from None
    for part in parts:
        out_of_bounds = number_problem(part)
        if out_of_bounds:
            raise ValueError(out_of_bounds)
    if len(parts) == 2 and parts[1] == 0:
        raise ValueError(_("{value!r} divides by zero").format(value=value))
    exact = Fraction(parts[0]) / Fraction(parts[1]) if len(parts) == 2 else Fraction(parts[0])
    return exact.numerator if exact.denominator == 1 else exact


def _date(value: Any) -> date:
    # a date read from YAML, or the ISO text a record's date becomes in plain data
    try:
        result: date = converter.structure(value, date)
    except (TypeError, ValueError) as exc:
        raise ValueError(str(exc)) from None
    return result


@final
@attrs.frozen(slots=True)
class ParameterValue:
    """One value and the inclusive date range it is in effect."""

    value: Any
    effective_from: date | None = None
    effective_to: date | None = None
    citation: Citation | None = None  # where a value differs from the parameter's source


@final
@attrs.frozen(slots=True)
class Parameter:
    """A named value of a policy. ``id`` is the name expressions use."""

    id: str
    title: Title
    kind: ParameterKind
    citation: Citation
    values: tuple[ParameterValue, ...] = ()

    def value_on(self, day: date) -> Any:
        """The value in effect on ``day``; MissingFact when none is."""
        for v in self.values:
            if in_effect(day, v.effective_from, v.effective_to):
                return v.value
        raise MissingFact(
            _("parameter {id!r} ({zh}) has no value on {day}").format(
                id=self.id, zh=self.title.zh, day=day
            )
        )


@final
class ParameterValues(Mapping[str, Any]):
    """Parameter values as of one date, resolved on first use.

    In strict mode a parameter without a value raises :class:`ParameterError`; in lenient
    mode it raises MissingFact inside evaluation, which makes the item *unknown*.
    """

    __slots__ = ("_cache", "_parameters", "as_of", "strict")

    def __init__(self, parameters: Mapping[str, Parameter], as_of: date, *, strict: bool) -> None:
        self._parameters = parameters
        self._cache: dict[str, Any] = {}
        self.as_of = as_of
        self.strict = strict

    def __getitem__(self, name: str) -> Any:
        try:
            value = self._cache[name]
        except KeyError:
            value = self._cache[name] = self._resolve(name)
        if isinstance(value, MissingFact):
            if self.strict:
                raise ParameterError(name, self.as_of)
            raise value
        return value

    def title(self, name: str) -> Title | None:
        """The title of the parameter ``name`` (what a basis calls it); None for a name no
        parameter has."""
        found = self._parameters.get(name)
        return found.title if found is not None else None

    def _resolve(self, name: str) -> Any:
        # a missing value is cached too: it is asked for once per record
        try:
            return self._parameters[name].value_on(self.as_of)
        except MissingFact as missing:
            return missing

    def __iter__(self) -> Iterator[str]:
        return iter(self._parameters)

    def __len__(self) -> int:
        return len(self._parameters)


def overlapping(values: Sequence[ParameterValue]) -> list[tuple[int, int]]:
    """Index pairs of values whose date ranges overlap (a parameter has one value a day)."""
    pairs = []
    for i, a in enumerate(values):
        for j in range(i + 1, len(values)):
            b = values[j]
            starts_before_b_ends = (
                b.effective_to is None
                or a.effective_from is None
                or a.effective_from <= b.effective_to
            )
            ends_after_b_starts = (
                a.effective_to is None
                or b.effective_from is None
                or b.effective_from <= a.effective_to
            )
            if starts_before_b_ends and ends_after_b_starts:
                pairs.append((i, j))
    return pairs


def parameter_problem(
    name: str, wanted: ParameterKind, kinds: Mapping[str, ParameterKind]
) -> str | None:
    """Why a rule cannot read the parameter ``name`` as a ``wanted`` (``kinds``: the loaded
    parameters' kinds by id), or None when it can."""
    kind = kinds.get(name)
    if kind is None:
        return _("no parameter {name!r} is loaded").format(name=name)
    if kind is not wanted:
        return _("{name!r} is a {kind}, not {wanted}").format(
            name=name, kind=kind.value, wanted=wanted.value
        )
    return None
