"""The JSON shapes of results, one place for every front end: `governance … --format json`
prints them and the HTTP service answers with them (docs/service.md), so a district's other
systems read the same data whichever way they ask. Each function gives plain data;
:func:`dumps` writes it the one way (UTF-8, two-space indents, exact numbers as text)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from governance_core.analysis import Defect
from governance_core.engine import CheckReport, PluginReport
from governance_core.jobs.cycle_run import RunReport
from governance_core.model import converter
from governance_core.present.calendar import unpublished_text
from governance_core.present.verdicts import (
    Language,
    completeness_text,
    item_reasons,
    outcome_text,
)
from governance_core.rules.calendar import DayKind, OfficialCalendar, PublishedYear
from governance_core.rules.criteria.verdicts import ListFacts, ListVerdict
from governance_core.rules.points import Catalogue, Statement
from governance_core.rules.scoring import Assessment, sheet_data
from governance_core.runtime import Permission
from governance_core.storage.decisions import DecisionLog

__all__ = [
    "assessment_data",
    "calendar_data",
    "check_data",
    "comparisons_data",
    "dumps",
    "findings_data",
    "list_facts_data",
    "permissions_data",
    "plugins_data",
    "run_data",
    "run_records_data",
    "statements_data",
    "verdicts_data",
]


def dumps(data: Any) -> bytes:
    """``data`` as the JSON every front end writes."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)


def verdicts_data(verdicts: Sequence[ListVerdict], lang: Language) -> Any:
    """The verdicts as JSON, each with its outcome and each item's reasons rendered in ``lang``."""
    rows: list[dict[str, Any]] = []
    for v in verdicts:
        row = converter.unstructure(v)
        row["summary"] = outcome_text(v, lang)
        for item_row, item in zip(row["items"], v.items, strict=True):
            item_row["reasons"] = item_reasons(item, lang)
        rows.append(row)
    return rows


def plugins_data(reports: Sequence[PluginReport], lang: Language) -> Any:
    """The plugin report as JSON; each list with its completeness rendered in ``lang``."""
    rows = []
    for r in reports:
        row = converter.unstructure(r)
        row["lists"] = [list_facts_data(facts, lang) for facts in r.lists]
        rows.append(row)
    return rows


def assessment_data(result: Assessment) -> Any:
    """Everything, exact: sheets, votes and grades; every number as text ("171", "3/4")."""
    data: dict[str, Any] = {
        "policy": result.policy.id,
        "as_of": result.as_of.isoformat(),
        "graded": converter.unstructure(result.graded),
        "sheets": {person: sheet_data(sheet) for person, sheet in result.sheets.items()},
        "votes": converter.unstructure(dict(result.votes)),
    }
    return data


def statements_data(catalogue: Catalogue, statements: Sequence[Statement]) -> Any:
    """Every statement exactly: numbers as text ("5", "1/2"), each posting with its why."""
    return {
        "scheme": catalogue.scheme.id,
        "statements": [
            {
                "household": converter.unstructure(s.household),
                "as_of": s.as_of.isoformat(),
                "balance": str(s.balance),
                "provisional": s.provisional,
                "notes": list(s.notes),
                "postings": [
                    {
                        "on": p.on.isoformat(),
                        "points": str(p.points),
                        "balance": str(p.balance),
                        "claim": p.claim.id if p.claim else None,
                        "item": p.item.id if p.item else None,
                        "redemption": p.redemption.id if p.redemption else None,
                        "why": {"zh": p.explain(catalogue, "zh"), "en": p.explain(catalogue, "en")},
                    }
                    for p in s.postings
                ],
                "pending": [c.id for c in s.pending],
                "rejected": [c.id for c in s.rejected],
            }
            for s in statements
        ],
    }


def check_data(report: CheckReport, lang: Language) -> Any:
    """What `governance check` reports: each list by its facts (with its completeness in
    words), the incomplete ones, parameters without a value, what overlays changed."""

    def facts(lists: Sequence[Any]) -> list[Any]:
        return [list_facts_data(c.facts, lang) for c in lists]

    return {
        "as_of": report.as_of.isoformat(),
        "lists": facts(report.lists),
        "incomplete": facts(report.incomplete),
        "unvalued": [p.id for p in report.unvalued],
        "changes": converter.unstructure(report.changes),
        "loaded": dict(report.loaded),
    }


def findings_data(findings: Sequence[Defect], lang: Language) -> list[Any]:
    """What the analysis found (docs/analysis.md): each finding's kind, severity, rule, where
    it is written, what is wrong in the language asked, and the witness the engine ran."""
    return [
        {
            "kind": d.kind,
            "severity": d.severity.value,
            "rule": d.rule,
            "position": d.position,
            "message": d.message.in_language(lang),
            "witness": d.witness,
            "confirmed": d.confirmed,
        }
        for d in findings
    ]


def comparisons_data(found: Mapping[str, Any]) -> dict[str, Any]:
    """What ``check --equivalent`` and ``--disjoint`` proved or refuted: each list's relation
    between the two sets (``equivalent`` true when every list is), and whether two lists can
    hit one person, each refutation with the dossier the engine ran."""
    data: dict[str, Any] = {}
    if "equivalence" in found:
        data["equivalence"] = converter.unstructure(found["equivalence"])
        data["equivalent"] = all(c.relation == "equivalent" for c in found["equivalence"])
    if "disjoint" in found:
        data["disjoint"] = converter.unstructure(found["disjoint"])
    return data


def run_data(report: RunReport, workbook: str, database: str) -> Any:
    """What `governance run` did: each step of the period, whether it ran and why not, how
    many results and how many of them are provisional; the records written and where."""
    steps = []
    for s in report.steps:
        occurrence = s.planned.occurrence
        grades: dict[str, int] = {}
        for g in s.assessment.graded if s.assessment is not None else ():
            grades[g.grade or ""] = grades.get(g.grade or "", 0) + 1
        steps.append(
            {
                "run": s.name,
                "cycle": s.planned.cycle.id,
                "step": s.planned.step.id,
                "title": converter.unstructure(s.planned.step.title),
                "occurrence": occurrence.label if occurrence else None,
                "deadline": s.planned.deadline.isoformat() if s.planned.deadline else None,
                "done": s.done,
                "detail": s.detail,
                "provisional": s.provisional,
                "graded": len(s.assessment.graded) if s.assessment is not None else 0,
                "grades": grades,
                "verdicts": len(s.verdicts),
                "opened": [i.id for i in s.opened],
                "statements": len(s.statements),
                # a kind of records: the organisations that hold none dated in the occurrence
                "without_records": [k.organisation.id for k in s.kept if k.missing],
            }
        )
    return {
        "period": report.period.label,
        "example": report.example,
        "steps": steps,
        "records_written": report.records_written,
        "workbook": workbook,
        "database": database,
    }


def list_facts_data(facts: ListFacts, lang: Language) -> Any:
    """A list as every report shows it: its facts, and its completeness in words."""
    return {
        **converter.unstructure(facts),
        "completeness_text": completeness_text(facts.completeness, lang),
    }


def run_records_data(decisions: DecisionLog, run: str) -> Any:
    """What a run recorded (`governance runs show -f json`): each verdict and score sheet as
    rule, person, result, whether conclusive, and the procedure a hit opened."""
    rows = [
        (v.list_id or "", v.person_id, v.outcome, v.conclusive, v.instance)
        for v in decisions.recorded_verdicts(run=run)
    ]
    rows += [
        (s.policy_id, s.person_id, s.grade or "", s.conclusive, None)
        for s in decisions.recorded_score_sheets(run=run)
    ]
    keys = ("rule", "person", "result", "conclusive", "procedure")
    return {"run": run, "records": [dict(zip(keys, r, strict=True)) for r in rows]}


def _year_data(published: PublishedYear) -> dict[str, Any]:
    days = sorted(published.holidays | published.workdays)
    return {
        "year": published.year,
        "published": True,
        "source": {
            "kind": published.supplier.kind.value,
            "name": published.supplier.name,
            "version": published.supplier.version,
            "place": published.place,
        },
        "citation": converter.unstructure(published.citation),
        "days": [{"day": d.isoformat(), "kind": published.kind(d).value} for d in days],
    }


def calendar_data(calendar: OfficialCalendar, years: Sequence[int]) -> Any:
    """The official calendar's ``years``: each published year's days off and make-up working
    days (``kind``: ``holiday`` or ``make_up_workday``) with who published it and the notice;
    a year not published says so, with what that means."""
    found: list[dict[str, Any]] = []
    for year in years:
        published = calendar.published(year)
        if published is None:
            found.append({"year": year, "published": False, "note": unpublished_text(year)})
        else:
            found.append(_year_data(published))
    return {"years": found, "kinds": [k.value for k in (DayKind.HOLIDAY, DayKind.MAKE_UP_WORKDAY)]}


def permissions_data(permissions: Sequence[Permission]) -> list[Any]:
    """What may be done on an instance: each step, whether it is allowed, each refusal with
    its ``kind`` (what a program switches on) and ``message``, and the same sentences as
    ``reasons``; the guards' verdicts with their explanations (an unknown value is null)."""
    return [{**converter.unstructure(p), "reasons": list(p.reasons)} for p in permissions]
