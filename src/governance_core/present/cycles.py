"""A district's cycles for people and programs: what runs in a period, each occurrence with
its deadline on the official calendar and what is missing to run it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from governance_core.messages import N_, _, in_language
from governance_core.model import OrgLevel
from governance_core.present.calendar import deadline_text
from governance_core.present.rows import Rows
from governance_core.present.verdicts import Language
from governance_core.rules.calendar import OfficialCalendar
from governance_core.rules.cycles import Applies, Period, Planned

__all__ = ["input_words", "plan_data", "plan_rows"]


def input_words(name: str) -> str:
    """An input a cycle's step reads, in words."""
    words = {
        "roster": _("roster"),
        "scores": _("scores"),
        "rubric_inputs": _("rubric inputs"),
        "ballots": _("ballots"),
        "ledger": _("points ledger"),
    }
    return words.get(name, name)


_LEVELS = {
    OrgLevel.DISTRICT: N_("districts"),
    OrgLevel.TOWN: N_("towns"),
    OrgLevel.VILLAGE: N_("villages"),
    OrgLevel.COMMUNITY: N_("communities"),
    OrgLevel.GRID: N_("grids"),
}


def _applies_data(applies: Applies) -> dict[str, Any]:
    """What a step applies, by section; a kind of records with the levels that keep them."""
    if applies.records is None:
        return applies.named()
    found = {"records": applies.records, "levels": [level.value for level in applies.levels]}
    return found | {
        k: v for k, v in (("at_least", applies.at_least), ("under", applies.under)) if v
    }


def _applies_text(applies: Applies) -> str:
    if applies.records is None:
        return " → ".join(applies.named().values())
    levels = "、".join(_(_LEVELS[level]) for level in applies.levels)
    text = _("records of {kind} kept by {levels}").format(kind=applies.records, levels=levels)
    return f"{applies.under}：{text}" if applies.under else text


def plan_data(
    period: Period, planned: Sequence[Planned], calendar: OfficialCalendar, lang: Language
) -> dict[str, Any]:
    """What runs in ``period`` as JSON (`governance cycle show -f json`)."""

    def step(p: Planned) -> dict[str, Any]:
        deadline = p.deadline
        return {
            "cycle": p.cycle.id,
            "step": p.step.id,
            "title": p.step.title.in_language(lang),
            "occurrence": p.occurrence.label if p.occurrence else None,
            "applies": _applies_data(p.step.applies),
            "deadline": deadline.isoformat() if deadline else None,
            "working_day": calendar.is_workday(deadline) if deadline else None,
            "provisional_year": p.provisional_year,
            "inputs": [i.value for i in p.step.inputs],
            "missing": list(p.missing),
        }

    return {"period": period.label, "steps": [step(p) for p in planned]}


def plan_rows(
    period: Period, planned: Sequence[Planned], calendar: OfficialCalendar, lang: Language
) -> Rows:
    """What runs in ``period``: each step's occurrence, what it applies, its deadline (a day
    that is not a working day, or provisional, said so), its inputs, what is missing."""
    with in_language(lang):
        rows = []
        for p in planned:
            deadline = deadline_text(p.deadline, p.provisional_year)
            if p.deadline is not None and not calendar.is_workday(p.deadline):
                deadline += _(" (not a working day)")
            rows.append(
                (
                    p.cycle.id,
                    f"{p.step.title.in_language(lang)} [{p.step.id}]",
                    p.occurrence.label if p.occurrence else "?",
                    _applies_text(p.step.applies),
                    deadline,
                    ", ".join(input_words(i.value) for i in p.step.inputs),
                    "; ".join(p.missing),
                )
            )
        headers = (
            _("cycle"),
            _("step"),
            _("period"),
            _("applies"),
            _("deadline"),
            _("inputs"),
            _("missing"),
        )
        return Rows.of(headers, rows, title=_("what runs in {period}").format(period=period.label))
