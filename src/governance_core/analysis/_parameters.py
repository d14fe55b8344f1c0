"""Dated parameters against the lists that read them: days a list is in effect on which a
parameter it reads has no value, though it has values on other days (a value that starts
after the list does, or stops before it ends, or two values with days between them). On
those days every item reading it is unknown. Values that overlap are refused when the
policy loads, so they never reach here. A parameter the source does not publish at all is
not a gap in dates: `governance check` lists it as unvalued."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from governance_core.analysis._defect import Defect, Severity, said
from governance_core.analysis._lists import statuses
from governance_core.analysis._witness import empty_dossier
from governance_core.engine import Engine
from governance_core.messages import _
from governance_core.model import converter
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.parameters import Parameter

__all__ = ["parameter_defects"]


def _gaps(parameter: Parameter, start: date, end: date) -> Iterator[tuple[date, date]]:
    """Ranges of days from ``start`` to ``end`` (inclusive) without a value."""
    day = start
    for value in sorted(parameter.values, key=lambda v: v.effective_from or date.min):
        begins = value.effective_from or date.min
        if begins > day:
            yield day, min(end, begins - timedelta(days=1))
        if value.effective_to is None:
            return
        day = max(day, value.effective_to + timedelta(days=1))
        if day > end:
            return
    if day <= end:
        yield day, end


def parameter_defects(engine: Engine) -> Iterator[Defect]:
    policies = engine.policies
    for list_id, compiled in policies.of(CRITERIA).items():
        criteria = compiled.criteria
        for index, (criterion, checked) in enumerate(compiled.checked_items()):
            for name in sorted(checked.parameters):
                parameter = policies.parameters.get(name)
                if parameter is None or not parameter.values:
                    continue
                starts = [v.effective_from or date.min for v in parameter.values]
                start = max(
                    criteria.effective_from or min(starts), criterion.effective_from or date.min
                )
                end = min(criteria.effective_to or date.max, criterion.effective_to or date.max)
                for first, last in _gaps(parameter, start, end):
                    yield _gap(
                        engine,
                        list_id,
                        criterion.id,
                        name,
                        first,
                        last,
                        policies.position("lists", list_id, ("items", index)),
                    )


def _gap(
    engine: Engine, list_id: str, item: str, parameter: str, first: date, last: date, where: str
) -> Defect:
    dossier = converter.unstructure(empty_dossier(first))
    shown_last = "…" if last == date.max else last.isoformat()
    return Defect(
        "parameter_gap",
        Severity.WARNING,
        f"{list_id}/{item}",
        where,
        said(
            lambda: _(
                "parameter {parameter} has no value from {first} to {last}, while the "
                "item is in effect: it is unknown for everyone then"
            ),
            parameter=parameter,
            first=first,
            last=shown_last,
        ),
        {
            "list": list_id,
            "as_of": first.isoformat(),
            "dossier": dossier,
            "expect": {item: "unknown"},
        },
        confirmed=statuses(engine, list_id, dossier, first).get(item) == "unknown",
    )
