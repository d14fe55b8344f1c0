"""Proving things about policies before they run (docs/analysis.md).

:func:`analyse` reads a policy set on one date with an SMT solver (z3) over the typed
expression language — parameters at their values that day — and finds items that can never
be met or are always met, redundant and contradictory items, bands a better band shadows,
quota shares over the whole, capped rubric lines, parameters with gaps in a list's dates,
guards that never pass, the states they cut off and deadlines that never fall due. Every
finding names its rule and where it is written, says what is wrong in Chinese and English,
and carries a witness the engine has run (``confirmed``). :func:`compare` proves two
policy sets equivalent list by list, or shows whom an overlay's change reaches;
:func:`disjoint_lists` whether anyone can be hit by two lists.
"""

from __future__ import annotations

from datetime import date

from governance_core.analysis._calendar import calendar_defects
from governance_core.analysis._compare import Comparison, compare
from governance_core.analysis._compare import disjoint as disjoint_lists
from governance_core.analysis._conditions import condition_defects
from governance_core.analysis._defect import Defect, Severity, said
from governance_core.analysis._lists import list_defects
from governance_core.analysis._parameters import parameter_defects
from governance_core.analysis._procedures import procedure_defects
from governance_core.analysis._scoring import grade_policy_defects, rubric_defects
from governance_core.analysis._solver import budget, exhausted
from governance_core.engine import Engine
from governance_core.messages import _

__all__ = ["Comparison", "Defect", "Severity", "analyse", "budget", "compare", "disjoint_lists"]


MAX_FINDINGS = 500
"""Findings listed; past them the most severe are kept and the rest counted in one finding
(``findings_capped``): a list of a thousand items may give thousands of redundancies."""


def analyse(engine: Engine, as_of: date, *, seconds: float = 60) -> list[Defect]:
    """Every finding about ``engine``'s policies on ``as_of``, the most severe first, then
    by rule, at most :data:`MAX_FINDINGS`. The solver is asked nothing more after ``seconds``
    (checked before each question and each pair of items): what was left unasked is said in
    one finding (``analysis_incomplete``), and claimed nowhere."""
    with budget(seconds):
        found = [
            *list_defects(engine, as_of),
            *parameter_defects(engine),
            *grade_policy_defects(engine, as_of),
            *condition_defects(engine, as_of),
            *rubric_defects(engine, as_of),
            *procedure_defects(engine, as_of),
            *calendar_defects(engine, as_of),
        ]
        stopped = exhausted()
    ordered = sorted(found, key=lambda d: (-d.severity.rank, d.rule, d.kind))
    notes = []  # what the analysis says of itself, always listed
    if stopped:
        shown = round(seconds)
        notes.append(
            Defect(
                "analysis_incomplete",
                Severity.INFO,
                "—",
                "—",
                said(
                    lambda: _(
                        "the analysis stopped after {seconds} s: some questions were "
                        "not asked, and nothing is claimed about them"
                    ),
                    seconds=shown,
                ),
                {"seconds": shown},
            )
        )
    if len(ordered) > MAX_FINDINGS:
        left = len(ordered) - MAX_FINDINGS
        notes.append(
            Defect(
                "findings_capped",
                Severity.INFO,
                "—",
                "—",
                said(
                    lambda: _("{count} more findings are not listed (the most severe are)"),
                    count=left,
                ),
                {"not_listed": left},
            )
        )
    return [*ordered[:MAX_FINDINGS], *notes]
