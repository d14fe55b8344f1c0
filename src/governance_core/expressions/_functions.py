"""The registry of functions an expression may call, and the built-in ones.

Each function has an English name and a Chinese alias, typed parameters, a return type, a
one-line summary (shown by ``governance check --functions`` and in docs/expressions.md) and an
implementation. Implementations that read the dossier take it as their first argument and raise
:class:`MissingFact` when a fact they need is not recorded, which makes the item *unknown*.
Plugins add functions to a registry of their own district (see the [plugins] issue).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, final

import attrs

from governance_core.expressions._dates import (
    date_literal,
    days,
    days_between,
    months,
    months_between,
    whole,
    year_of,
    years,
    years_between,
)
from governance_core.expressions._types import ExprType
from governance_core.expressions._values import MissingFact, Span
from governance_core.messages import _
from governance_core.model import Area, Dossier, EffectKind, Finding, ImposedEffect

__all__ = ["BUILTIN_FUNCTIONS", "ExprFunction", "FunctionRegistry", "Param"]

T = ExprType


@final
@attrs.frozen(slots=True)
class Param:
    """A parameter: ``types`` it accepts; ``required=False`` means it defaults to None;
    ``validate`` raises ValueError for a value the function refuses, so that a literal
    argument is refused at load (the implementation refuses the same values at run time)."""

    name: str
    types: tuple[ExprType, ...]
    required: bool = True
    validate: Callable[[Any], object] | None = None


@final
@attrs.frozen(slots=True)
class ExprFunction:
    """A function callable from expressions.

    ``reads_dossier``: the implementation takes the dossier first. ``pure``: it depends only on
    its arguments, so a call with literal arguments is computed once at load time.
    ``evidence`` returns the ids of the records that decided a call (explain mode only).
    """

    name: str
    zh_name: str
    params: tuple[Param, ...]
    returns: ExprType
    impl: Callable[..., Any]
    summary: str
    reads_dossier: bool = True
    pure: bool = False
    evidence: Callable[..., tuple[str, ...]] | None = None

    def signature(self) -> str:
        def one(p: Param) -> str:
            kinds = " | ".join(t.value for t in p.types)
            return f"{p.name}: {kinds}" + ("" if p.required else " = none")

        return f"{self.name}({', '.join(one(p) for p in self.params)}) -> {self.returns.value}"


@final
class FunctionRegistry(Mapping[str, ExprFunction]):
    """Functions by English name and by Chinese alias; a name may be registered once."""

    __slots__ = ("_by_name", "_functions")

    def __init__(self, functions: Iterable[ExprFunction] = ()) -> None:
        self._functions: list[ExprFunction] = []
        self._by_name: dict[str, ExprFunction] = {}
        for function in functions:
            self._add(function)

    def _add(self, function: ExprFunction) -> None:
        for name in (function.name, function.zh_name):
            if name in self._by_name:
                raise ValueError(f"function name {name!r} is registered twice")
        self._functions.append(function)
        self._by_name[function.name] = function
        self._by_name[function.zh_name] = function

    def extended(self, functions: Iterable[ExprFunction]) -> FunctionRegistry:
        """A new registry with these functions added; this one is left as it is."""
        return FunctionRegistry([*self._functions, *functions])

    def __getitem__(self, name: str) -> ExprFunction:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def functions(self) -> tuple[ExprFunction, ...]:
        """Each function once, in registration order."""
        return tuple(self._functions)


# --- implementations ---------------------------------------------------------------------


def _findings(d: Dossier, kind: str | tuple[str, ...], within: Span | None) -> list[Finding]:
    if d.findings is None:
        raise MissingFact(_("findings (the roster records none)"))
    kinds = (kind,) if isinstance(kind, str) else kind
    since = within.before(d.as_of) if within is not None else None
    return [
        f for f in d.findings if f.kind in kinds and (since is None or f.established_on > since)
    ]


def _has_finding(d: Dossier, kind: str | tuple[str, ...], within: Span | None = None) -> bool:
    # the hottest function of most lists: stops at the first match, builds no list
    findings = d.findings
    if findings is None:
        raise MissingFact(_("findings (the roster records none)"))
    if not findings:
        return False
    kinds = (kind,) if isinstance(kind, str) else kind
    if within is None:
        return any(f.kind in kinds for f in findings)
    since = within.before(d.as_of)
    return any(f.kind in kinds and f.established_on > since for f in findings)


def _count_findings(d: Dossier, kind: str | tuple[str, ...], within: Span | None = None) -> int:
    return len(_findings(d, kind, within))


def _finding_ids(
    d: Dossier, kind: str | tuple[str, ...], within: Span | None = None
) -> tuple[str, ...]:
    return tuple(f.id for f in _findings(d, kind, within))


def _count(d: Dossier, name: str) -> int:
    try:
        return d.counts[name]
    except KeyError:
        raise MissingFact(_("count {name!r}").format(name=name)) from None


def _amount(d: Dossier, name: str) -> Decimal:
    try:
        return d.amounts[name]  # exact; arithmetic with fractions goes through values.arithmetic
    except KeyError:
        raise MissingFact(_("amount {name!r}").format(name=name)) from None


def _documents_of(d: Dossier, kind: str) -> list[str]:
    if d.documents is None:
        raise MissingFact(_("documents (the roster records none)"))
    return [doc.id for doc in d.documents if doc.kind == kind]


def _has_document(d: Dossier, kind: str) -> bool:
    if d.documents is None:
        raise MissingFact(_("documents (the roster records none)"))
    return any(doc.kind == kind for doc in d.documents)


def _finding_date(d: Dossier, kind: str | tuple[str, ...]) -> date:
    """The day the first finding of the kind was established (on or before as_of): when a
    commitment was first found met. Unknown when there is none."""
    found = _findings(d, kind, None)
    if not found:
        named = kind if isinstance(kind, str) else "、".join(kind)
        raise MissingFact(_("the date of a finding of {kind}").format(kind=named))
    return min(f.established_on for f in found)


def _document_date(d: Dossier, kind: str) -> date:
    """The day of the latest document of the kind dated on or before as_of: when a
    commitment was made. Unknown when there is none."""
    if d.documents is None:
        raise MissingFact(_("documents (the roster records none)"))
    dated = [doc.dated for doc in d.documents if doc.kind == kind and doc.dated <= d.as_of]
    if not dated:
        raise MissingFact(_("the date of a document of {kind}").format(kind=kind))
    return max(dated)


def _document_ids(d: Dossier, kind: str) -> tuple[str, ...]:
    return tuple(_documents_of(d, kind))


def _holds_post(d: Dossier, role: str) -> bool:
    return any(p.role == role and p.held_on(d.as_of) for p in d.posts)


_AREAS = tuple(area.value for area in Area)


def _area(area: str) -> str:
    if area not in _AREAS:
        raise ValueError(
            _("the area must be one of {areas}, not {area!r}").format(
                areas=", ".join(_AREAS), area=area
            )
        )
    return area


def _holds_post_in(d: Dossier, role: str, area: str) -> bool:
    _area(area)
    held = [p for p in d.posts if p.role == role and p.held_on(d.as_of)]
    if any(p.area is None for p in held):
        raise MissingFact(
            _("whether the post {role} is rural or urban (the roster does not say)").format(
                role=role
            )
        )
    return any(p.area is not None and p.area.value == area for p in held)


def _years_in_post(d: Dossier, role: str) -> int:
    """Full years of the unbroken holding of ``role`` that includes ``as_of`` (0 if not held)."""
    spans = [(p.start, p.end) for p in d.posts if p.role == role]
    if len(spans) == 1:  # most people: one holding of the post
        (first, last), day = spans[0], d.as_of
        held = first <= day and (last is None or day <= last)
        return years_between(first, day) if held else 0
    if len(spans) > 1:  # an open end sorts last: None does not compare with a date
        spans.sort(key=lambda span: (span[0], span[1] or date.max))
    start: date | None = None
    end: date | None = None
    for s, e in spans:
        joined = start is not None and (end is None or s.toordinal() <= end.toordinal() + 1)
        if joined:
            end = None if end is None or e is None else max(end, e)
        else:
            start, end = s, e
        if start is not None and start <= d.as_of and (end is None or d.as_of <= end):
            return years_between(start, d.as_of)
    return 0


def _grade(d: Dossier, year: int | Fraction) -> str:
    try:
        return d.grades[whole(year)]
    except KeyError:
        raise MissingFact(_("grade for {year}").format(year=year)) from None


def _rank(d: Dossier, period: str) -> int:
    try:
        return d.ranks[period]
    except KeyError:
        raise MissingFact(_("rank for {period!r}").format(period=period)) from None


def _effects(d: Dossier) -> tuple[ImposedEffect, ...]:
    if d.effects is None:
        raise MissingFact(_("effects (neither the roster nor a store gives them)"))
    return d.effects


def _bars(d: Dossier, what: str) -> list[ImposedEffect]:
    return [e for e in _effects(d) if e.kind is EffectKind.BAR and e.bars == what]


def _barred_from(d: Dossier, what: str) -> bool:
    return bool(_bars(d, what))


def _bar_ids(d: Dossier, what: str) -> tuple[str, ...]:
    return tuple(e.id for e in _bars(d, what))


def _has_effect(d: Dossier, effect: str) -> bool:
    return any(e.effect == effect for e in _effects(d))


def _effect_ids(d: Dossier, effect: str) -> tuple[str, ...]:
    return tuple(e.id for e in _effects(d) if e.effect == effect)


def _age(d: Dossier) -> int:
    if d.person.birth_date is None:
        raise MissingFact("person.birth_date")
    return years_between(d.person.birth_date, d.as_of)


_KIND = (T.TEXT, T.TEXTS)
_SPAN = (T.SPAN,)

BUILTIN_FUNCTIONS = FunctionRegistry(
    [
        ExprFunction(
            "has_finding",
            "存在认定",
            (Param("kind", _KIND), Param("within", _SPAN, required=False)),
            T.BOOL,
            _has_finding,
            "a finding of this kind (or of any of these kinds) established on or before as_of, "
            "and, with `within`, after as_of minus that span",
            evidence=_finding_ids,
        ),
        ExprFunction(
            "count_findings",
            "认定次数",
            (Param("kind", _KIND), Param("within", _SPAN, required=False)),
            T.NUMBER,
            _count_findings,
            "how many such findings (same period rule as has_finding)",
            evidence=_finding_ids,
        ),
        ExprFunction(
            "count",
            "次数",
            (Param("name", (T.TEXT,)),),
            T.NUMBER,
            _count,
            "the latest recorded count of that name (meetings missed, households visited, …)",
        ),
        ExprFunction(
            "amount",
            "金额",
            (Param("name", (T.TEXT,)),),
            T.NUMBER,
            _amount,
            "the latest recorded amount of that name, exact",
        ),
        ExprFunction(
            "has_document",
            "有材料",
            (Param("kind", (T.TEXT,)),),
            T.BOOL,
            _has_document,
            "a document of this kind dated on or before as_of",
            evidence=_document_ids,
        ),
        ExprFunction(
            "finding_date",
            "认定日期",
            (Param("kind", _KIND),),
            T.DATE,
            _finding_date,
            "the day the first finding of this kind (or of any of these kinds) was established, "
            "on or before as_of; unknown when there is none",
            evidence=_finding_ids,
        ),
        ExprFunction(
            "document_date",
            "材料日期",
            (Param("kind", (T.TEXT,)),),
            T.DATE,
            _document_date,
            "the date of the latest document of this kind dated on or before as_of; unknown "
            "when there is none",
            evidence=_document_ids,
        ),
        ExprFunction(
            "barred_from",
            "受限于",
            (Param("what", (T.TEXT,)),),
            T.BOOL,
            _barred_from,
            "a bar on what is named (awards, promotion, …) is in force on as_of "
            "(an effect a decision imposed: docs/effects.md)",
            evidence=_bar_ids,
        ),
        ExprFunction(
            "has_effect",
            "受到后果",
            (Param("effect", (T.TEXT,)),),
            T.BOOL,
            _has_effect,
            "an effect of this id (a bar, a label or a duty) is in force on as_of",
            evidence=_effect_ids,
        ),
        ExprFunction(
            "holds_post",
            "担任职务",
            (Param("role", (T.TEXT,)),),
            T.BOOL,
            _holds_post,
            "the person holds a post with this role on as_of",
        ),
        ExprFunction(
            "holds_post_in",
            "担任职务于",
            (Param("role", (T.TEXT,)), Param("area", (T.TEXT,), validate=_area)),
            T.BOOL,
            _holds_post_in,
            'the person holds a post with this role on as_of in this area: "rural" (村) or '
            '"urban" (城市社区); unknown when the roster does not say a held post\'s area',
        ),
        ExprFunction(
            "years_in_post",
            "任职年限",
            (Param("role", (T.TEXT,)),),
            T.NUMBER,
            _years_in_post,
            "full years of the unbroken holding of the role that includes as_of (0 if not held)",
        ),
        ExprFunction(
            "grade",
            "年度等次",
            (Param("year", (T.NUMBER,), validate=whole),),
            T.TEXT,
            _grade,
            "the annual assessment grade of that year",
        ),
        ExprFunction(
            "rank",
            "排名",
            (Param("period", (T.TEXT,)),),
            T.NUMBER,
            _rank,
            "the place in the ranking of that period label",
        ),
        ExprFunction("age", "年龄", (), T.NUMBER, _age, "full years from birth to as_of"),
        ExprFunction(
            "years_between",
            "间隔年数",
            (Param("start", (T.DATE,)), Param("end", (T.DATE,))),
            T.NUMBER,
            years_between,
            "whole years from start to end",
            reads_dossier=False,
            pure=True,
        ),
        ExprFunction(
            "months_between",
            "间隔月数",
            (Param("start", (T.DATE,)), Param("end", (T.DATE,))),
            T.NUMBER,
            months_between,
            "whole calendar months from start to end",
            reads_dossier=False,
            pure=True,
        ),
        ExprFunction(
            "days_between",
            "间隔天数",
            (Param("start", (T.DATE,)), Param("end", (T.DATE,))),
            T.NUMBER,
            days_between,
            "days from start to end",
            reads_dossier=False,
            pure=True,
        ),
        ExprFunction(
            "year",
            "年份",
            (Param("day", (T.DATE,)),),
            T.NUMBER,
            year_of,
            "the calendar year of a date",
            reads_dossier=False,
            pure=True,
        ),
        ExprFunction(
            "date",
            "日期",
            (Param("text", (T.TEXT,)),),
            T.DATE,
            date_literal,
            'a date literal: date("2024-06-30")',
            reads_dossier=False,
            pure=True,
        ),
        ExprFunction(
            "years",
            "年",
            (Param("n", (T.NUMBER,), validate=whole),),
            T.SPAN,
            years,
            "a span of n years, for `within`",
            reads_dossier=False,
            pure=True,
        ),
        ExprFunction(
            "months",
            "月",
            (Param("n", (T.NUMBER,), validate=whole),),
            T.SPAN,
            months,
            "a span of n months",
            reads_dossier=False,
            pure=True,
        ),
        ExprFunction(
            "days",
            "天",
            (Param("n", (T.NUMBER,), validate=whole),),
            T.SPAN,
            days,
            "a span of n days",
            reads_dossier=False,
            pure=True,
        ),
    ]
)
