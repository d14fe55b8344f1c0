"""A grade policy's vetoes and overrides on one date: a veto that can never fire (its list
can never be hit conclusively, its sections can never sum below its threshold), and an
override that hides every other grade (a satisfaction threshold above 100%) or never fires
(one at or below 0). Witnesses are dossiers, rubric inputs or a full assessment entry the
engine scores, tallies and grades."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from fractions import Fraction
from typing import Any

from governance_core.analysis._defect import Defect, Severity, said
from governance_core.analysis._lists import can_conclude
from governance_core.analysis._scoring import neutral, policies_in_effect
from governance_core.analysis._witness import empty_dossier
from governance_core.engine import Engine
from governance_core.errors import GovernanceError
from governance_core.messages import _
from governance_core.model import converter
from governance_core.rules.criteria import Outcome
from governance_core.rules.scoring import (
    Ballots,
    Entry,
    GradePolicy,
    OverrideKind,
    RuleKind,
    VetoKind,
    score,
)
from governance_core.rules.scoring.kind import SCORING

__all__ = ["condition_defects"]


def condition_defects(engine: Engine, as_of: date) -> Iterator[Defect]:
    values = engine.policies.values_on(as_of)
    for policy, where in policies_in_effect(engine, as_of):
        for veto in policy.vetoes:
            rule = f"{policy.id}/veto {veto.id}"
            if veto.kind is VetoKind.LIST_HIT and veto.list is not None:
                if not can_conclude(engine, veto.list, True, as_of):
                    yield _never_hit(engine, veto.list, rule, where, as_of)
            elif veto.kind is VetoKind.SECTIONS_BELOW and (veto.threshold or 0) <= 0:
                yield _never_below(
                    engine, policy, veto.sections or (), veto.threshold or 0, rule, where
                )
        for override in policy.overrides:
            if override.kind is OverrideKind.SATISFACTION_BELOW and override.parameter:
                yield from _satisfaction(
                    engine,
                    policy,
                    override.id,
                    override.grade,
                    override.parameter,
                    values,
                    where,
                    as_of,
                )


def _never_hit(engine: Engine, list_id: str, rule: str, where: str, as_of: date) -> Defect:
    gap = can_conclude(engine, list_id, True, as_of, as_published=False)
    (verdict,) = engine.evaluate(list_id, [empty_dossier(as_of)], as_of, explain=False)
    return Defect(
        "veto_never_fires",
        Severity.INFO if gap else Severity.ERROR,
        rule,
        where,
        said(
            lambda: _("the veto never fires: list {list} can never be hit conclusively"),
            list=list_id,
        ),
        {
            "list": list_id,
            "as_of": as_of.isoformat(),
            "dossier": converter.unstructure(empty_dossier(as_of)),
            "expect": {"not_outcome": Outcome.HIT.value},
        },
        confirmed=not (verdict.outcome is Outcome.HIT and verdict.conclusive),
    )


def _deepest_inputs(policy: GradePolicy, engine: Engine) -> dict[str, Any] | None:
    """Every deduction of the policy's rubric at its deepest, every bonus left out."""
    rubric = engine.policies.of(SCORING).rubrics.get(policy.rubric or "")
    if rubric is None:
        return None
    inputs: dict[str, Any] = {}
    for section in rubric.sections:
        for line in section.lines:
            for r in line.rules:
                deepest = {
                    RuleKind.DEDUCT_UNLESS: False,
                    RuleKind.DEDUCT_PER: 1_000,
                    RuleKind.DEDUCT_JUDGED: (r.range or (0, 0))[1],
                }
                inputs[r.input] = deepest.get(r.kind, neutral(r))
    return inputs


def _never_below(
    engine: Engine,
    policy: GradePolicy,
    sections: tuple[str, ...],
    threshold: int,
    rule: str,
    where: str,
) -> Defect:
    inputs = _deepest_inputs(policy, engine)
    confirmed = False
    if inputs is not None:
        rubric = engine.policies.of(SCORING).rubrics[policy.rubric or ""]
        try:
            totals = score(rubric, "witness", inputs).sections
            confirmed = sum((totals.get(s, 0) for s in sections), 0) >= threshold
        except (GovernanceError, ValueError):
            confirmed = False
    return Defect(
        "veto_never_fires",
        Severity.WARNING,
        rule,
        where,
        said(
            lambda: _(
                "the veto never fires: sections {sections} never sum below "
                "{threshold}, however much is deducted"
            ),
            sections=", ".join(sections),
            threshold=threshold,
        ),
        {
            "rubric": policy.rubric,
            "inputs": inputs,
            "expect": {"sections": list(sections), "at_least": threshold},
        },
        confirmed=confirmed,
    )


def _satisfied_entry(policy: GradePolicy, engine: Engine) -> Entry | None:
    """One person everyone is very satisfied with, meeting every rubric requirement."""
    scoring = engine.policies.of(SCORING)
    vote = scoring.votes.get(policy.vote or "")
    if vote is None:
        return None
    rubric = scoring.rubrics.get(policy.rubric or "")
    inputs = (
        {}
        if rubric is None
        else {r.input: neutral(r) for s in rubric.sections for ln in s.lines for r in ln.rules}
    )
    groups = dict.fromkeys(policy.group_by, "示例")
    return Entry("witness", "示例", groups, inputs, Ballots(10, {vote.satisfied[0]: 10}))


def _satisfaction(
    engine: Engine,
    policy: GradePolicy,
    override: str,
    grade: str,
    parameter: str,
    values: Mapping[str, Any],
    where: str,
    as_of: date,
) -> Iterator[Defect]:
    try:
        threshold = Fraction(values[parameter])
    except Exception:  # no value on the date: the override is unknown, said by `check`
        return
    if 0 < threshold <= 1:
        return
    entry = _satisfied_entry(policy, engine)
    got = None
    if entry is not None:
        try:
            (graded,) = engine.assess(policy.id, [entry], as_of).graded
            got = graded.grade
        except GovernanceError:
            got = None
    rule = f"{policy.id}/override {override}"
    if threshold > 1:  # below it whatever the vote: every other grade is hidden
        yield Defect(
            "override_hides_grades",
            Severity.ERROR,
            rule,
            where,
            said(
                lambda: _(
                    "override {override} gives {grade} to everyone with a valid vote: "
                    "{parameter} is {threshold}, above the whole (1)"
                ),
                override=override,
                grade=grade,
                parameter=parameter,
                threshold=threshold,
            ),
            {
                "grade_policy": policy.id,
                "as_of": as_of.isoformat(),
                "entry": converter.unstructure(entry),
                "expect": {"grade": grade},
            },
            confirmed=got == grade,
        )
    else:
        yield Defect(
            "override_never_fires",
            Severity.WARNING,
            rule,
            where,
            said(
                lambda: _(
                    "override {override} never fires: no satisfaction is below "
                    "{parameter} = {threshold}"
                ),
                override=override,
                parameter=parameter,
                threshold=threshold,
            ),
            {
                "grade_policy": policy.id,
                "as_of": as_of.isoformat(),
                "entry": converter.unstructure(entry),
                "expect": {"not_grade": grade},
            },
            confirmed=got is not None and got != grade,
        )
