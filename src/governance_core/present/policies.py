"""The loaded rules as a reader explores them (the workbench's 政策 page): every rule of each
kind with its title, its source, its dates and who supplied it, and whether it is in force on
a day; a list's items one by one, with the expression that decides each."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from governance_core.loading.policy_set import PolicySet
from governance_core.messages import _, in_language
from governance_core.present.rows import Marked, Rows, Tone
from governance_core.present.verdicts import Language
from governance_core.rules.common import Supplier, in_effect
from governance_core.rules.criteria.definition import CriteriaList
from governance_core.rules.effects import EFFECTS
from governance_core.rules.points.kind import POINTS
from governance_core.rules.procedures.kind import PROCEDURES
from governance_core.rules.scoring.kind import SCORING

__all__ = ["list_item_rows", "rules_rows"]


def _dates(record: Any) -> str:
    start, end = getattr(record, "effective_from", None), getattr(record, "effective_to", None)
    if start is None and end is None:
        return ""
    return f"{start or '…'} – {end or '…'}"


def _in_force(record: Any, day: date) -> Marked:
    start, end = getattr(record, "effective_from", None), getattr(record, "effective_to", None)
    if in_effect(day, start, end):
        return Marked.of(_("in force"), Tone.GOOD)
    return Marked.of(_("not in force"), Tone.QUIET)


def _table(
    title: str,
    records: Iterable[Any],
    suppliers: Mapping[str, Supplier],
    day: date,
    lang: Language,
) -> Rows:
    rows = [
        (
            record.id,
            record.title.in_language(lang),
            str(record.citation),
            _dates(record),
            _in_force(record, day),
            suppliers[record.id].words() if record.id in suppliers else "",
        )
        for record in records
    ]
    headers = (_("Id"), _("Title"), _("Source"), _("Dates"), _("On the day"), _("Supplied by"))
    return Rows.of(headers, rows, title=title)


def rules_rows(policies: PolicySet, day: date, lang: Language) -> list[Rows]:
    """One table per kind of rule with any loaded (lists are read whole by
    :func:`governance_core.present.check.check_rows`, with their completeness)."""
    scoring = policies.of(SCORING)
    kinds: list[tuple[str, str, Iterable[Any]]] = [
        ("grade_policies", _("Grade policies"), scoring.grade_policies.values()),
        ("rubrics", _("Rubrics"), scoring.rubrics.values()),
        (
            "points_schemes",
            _("Points schemes"),
            [c.scheme for c in policies.of(POINTS).catalogues.values()],
        ),
        ("processes", _("Procedures"), policies.of(PROCEDURES).values()),
        ("effects", _("Effects of decisions"), policies.of(EFFECTS).effects.values()),
    ]
    with in_language(lang):
        return [
            _table(title, records, policies.suppliers.get(section, {}), day, lang)
            for section, title, found in kinds
            if (records := sorted(found, key=lambda r: str(r.id)))
        ]


def list_item_rows(criteria: CriteriaList, day: date, lang: Language) -> Rows:
    """A list's items as its source numbers them: the title, the expression that decides it,
    its article, and whether it is in force on ``day``; the items the source names but no one
    has encoded are counted below."""
    with in_language(lang):
        rows = [
            (
                str(item.number or ""),
                item.id,
                item.title.in_language(lang),
                item.expression,
                str(item.citation),
                _in_force(item, day),
            )
            for item in criteria.items
        ]
        headers = ("#", _("Id"), _("Title"), _("Decided by"), _("Source"), _("On the day"))
        missing = criteria.declared_size - len(criteria.items)
        caption = (
            _("The source names {count} items more that are not encoded yet.").format(count=missing)
            if missing > 0
            else None
        )
        return Rows.of(headers, rows, title=criteria.title.in_language(lang), caption=caption)
