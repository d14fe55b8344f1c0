"""The official calendar against the date of the analysis: from 1 November, next year's notice
is due, and a year not published is counted on weekends only until someone publishes it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from governance_core.analysis._defect import Defect, Severity, said
from governance_core.engine import Engine
from governance_core.rules.calendar import CALENDAR, unpublished_text

__all__ = ["calendar_defects"]


def calendar_defects(engine: Engine, as_of: date) -> Iterator[Defect]:
    calendar = engine.policies.of(CALENDAR)
    years = [as_of.year] if calendar.published(as_of.year) is None else []
    following = calendar.unpublished_next_year(as_of)
    if following is not None:
        years.append(following)
    for year in years:
        yield _unpublished(year, as_of)


def _unpublished(year: int, as_of: date) -> Defect:
    return Defect(
        "calendar_unpublished",
        Severity.WARNING,
        f"calendar.{year}",
        "—",
        said(lambda: unpublished_text(year)),
        {"year": year, "as_of": as_of.isoformat()},
    )
