"""Invariants every district's policy should keep, checked with hypothesis over drawn inputs.

Each check runs a property over its policy and raises :class:`InvariantError` on the first
counterexample; hypothesis shrinks it first and prints it ("Falsifying example"), and the
error says in words what broke, for whom, and which rule decided it. Use them in a plugin's
own tests::

    def test_the_exit_list_is_monotone(governance_engine):
        list_is_monotone(governance_engine(["shizhong"]).policies, "shizhong.exit_conditions")
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance_core.loading.mentions import mentions
from governance_core.loading.policy_set import PolicySet
from governance_core.messages import _
from governance_core.model import Dossier
from governance_core.rules.criteria.definition import Effect
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.criteria.verdicts import ItemStatus, ListVerdict, Outcome
from governance_core.rules.scoring import (
    Assessment,
    Entry,
    GradePolicy,
    RuleKind,
    Ties,
    VetoKind,
    assess,
    score,
)
from governance_core.rules.scoring.kind import SCORING
from governance_core.testing.derived import dossiers_for, entries_for, rubric_inputs
from governance_core.testing.strategies import AS_OF, findings

# Every check takes ``max_examples``, or ``hypothesis_settings`` to run under settings of your own.

__all__ = [
    "InvariantError",
    "grades_independent_of_order",
    "list_is_monotone",
    "quotas_respect_shares",
    "results_independent_of_plugin_order",
    "scores_within_bounds",
    "verdicts_independent_of_order",
    "veto_dominates_score",
]

_BONUSES = (
    RuleKind.BONUS_IF,
    RuleKind.BONUS_PER,
    RuleKind.BONUS_PER_AMOUNT,
    RuleKind.BONUS_BY_CLASS,
)
BARRING = (Effect.DISQUALIFY, Effect.VETO, Effect.ADVISORY, Effect.OPENS_PROCEDURE)


class InvariantError(AssertionError):
    """A policy broke an invariant; the message names the rule and the example."""


def _run(
    test: Callable[..., None],
    strategy: st.SearchStrategy[Any],
    max_examples: int,
    chosen: settings | None = None,
) -> None:
    """Run ``test`` over ``strategy``: with ``chosen`` settings when given (a profile of
    yours, or no shrinking in a slow check), else ``max_examples`` examples, no deadline."""
    chosen = chosen or settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    chosen(given(strategy)(test))()


def _who(d: Dossier) -> str:
    posts = ", ".join(f"{p.role}@{p.organisation} {p.start}–{p.end or ''}" for p in d.posts)
    found = (
        "not recorded"
        if d.findings is None
        else ", ".join(f"{f.kind} ({f.established_on})" for f in d.findings) or "none"
    )
    return f"{d.person.id} on {d.as_of}: posts [{posts}], findings [{found}]"


def _state(v: ListVerdict) -> str:
    met = [i.id for i in v.items if i.status is ItemStatus.MET]
    sure = "conclusive" if v.conclusive else "inconclusive"
    return f"{v.outcome.value} ({sure}; met: {', '.join(met) or 'none'})"


def list_is_monotone(
    policies: PolicySet,
    list_id: str,
    *,
    as_of: date = AS_OF,
    max_examples: int = 100,
    hypothesis_settings: settings | None = None,
) -> None:
    """Adding a finding never turns a barring list's hit (disqualify, veto, advisory, opens
    a procedure) into a miss, nor anything into a conclusive "not hit"."""
    compiled = policies.of(CRITERIA).find(list_id)
    if compiled.criteria.effect not in BARRING:
        raise ValueError(f"{list_id} is a {compiled.criteria.effect.value} list, not a barring one")
    kinds = sorted(mentions(policies, list_id, as_of).strings) or ["—"]
    values = policies.values_on(as_of)

    def verdict(d: Dossier) -> ListVerdict:
        (v,) = compiled.evaluate([d], values, explain=False)
        return v

    def test(drawn: tuple[Dossier, Any]) -> None:
        drawn_dossier, finding = drawn
        # findings recorded on both sides: "not recorded" to "one finding" is new knowledge,
        # not a further finding
        recorded = drawn_dossier.findings or ()
        d = attrs.evolve(drawn_dossier, findings=recorded)
        more = attrs.evolve(d, findings=(*recorded, finding))
        before, after = verdict(d), verdict(more)
        cleared = after.outcome is Outcome.NOT_HIT and after.conclusive
        if (before.outcome is Outcome.HIT and after.outcome is not Outcome.HIT) or (
            cleared and not (before.outcome is Outcome.NOT_HIT and before.conclusive)
        ):
            raise InvariantError(
                _(
                    "{list_id} is not monotone: for {d} it is {before}; with the further finding {kind!r} it is {after}"
                ).format(
                    list_id=list_id,
                    d=_who(d),
                    before=_state(before),
                    kind=finding.kind,
                    after=_state(after),
                )
            )

    person = dossiers_for(policies, list_id, as_of=as_of)
    strategy = person.flatmap(
        lambda d: st.tuples(st.just(d), findings(d.person.id, as_of=as_of, kinds=kinds))
    )
    _run(test, strategy, max_examples, hypothesis_settings)


def _assessment(
    policies: PolicySet,
    policy: GradePolicy,
    entries: Sequence[Entry],
    outcomes: dict[str, dict[str, Outcome]],
    as_of: date,
) -> Assessment:
    scoring = policies.of(SCORING)
    return assess(
        policy,
        entries,
        rubric=scoring.rubrics.get(policy.rubric or ""),
        vote_rule=scoring.votes.get(policy.vote or ""),
        parameters=policies.values_on(as_of),
        list_outcomes=outcomes,
        as_of=as_of,
    )


def _assessments(
    policies: PolicySet, policy_id: str
) -> st.SearchStrategy[tuple[list[Entry], dict[str, dict[str, Outcome]]]]:
    """Entries, and for each person an outcome of every list the policy's vetoes and
    overrides name."""
    policy = policies.of(SCORING).grade_policy(policy_id)
    named = sorted(
        {v.list for v in policy.vetoes if v.list} | {o.list for o in policy.overrides if o.list}
    )
    outcome = st.sampled_from(list(Outcome))

    def with_outcomes(entries: list[Entry]) -> st.SearchStrategy[Any]:
        lists = st.fixed_dictionaries(dict.fromkeys(named, outcome))
        return st.tuples(
            st.just(entries), st.fixed_dictionaries({e.person: lists for e in entries})
        )

    return entries_for(policies, policy_id).flatmap(with_outcomes)


def veto_dominates_score(
    policies: PolicySet,
    policy_id: str,
    *,
    as_of: date = AS_OF,
    max_examples: int = 100,
    hypothesis_settings: settings | None = None,
) -> None:
    """Nobody whose veto condition holds gets the grade it bars, however high their score
    (a grade set directly by an override aside)."""
    policy = policies.of(SCORING).grade_policy(policy_id)

    def test(drawn: tuple[list[Entry], dict[str, dict[str, Outcome]]]) -> None:
        entries, outcomes = drawn
        result = _assessment(policies, policy, entries, outcomes, as_of)
        for g in result.graded:
            if g.grade is None or (g.decided_by or "").startswith("override "):
                continue
            sheet = result.sheets.get(g.person_id)
            for veto in policy.vetoes:
                if veto.grade != g.grade:
                    continue
                if veto.kind is VetoKind.LIST_HIT:
                    holds = outcomes[g.person_id].get(veto.list or "") is Outcome.HIT
                elif sheet is None:
                    continue
                elif veto.kind is VetoKind.SECTIONS_BELOW:
                    subtotal = sum(sheet.sections.get(s, 0) for s in veto.sections or ())
                    holds = subtotal < (veto.threshold or 0)
                else:
                    points = sheet.points_of(veto.input or "")
                    holds = points is not None and points < 0
                if holds:
                    raise InvariantError(
                        _(
                            "{policy_id}: {person_id} got {grade} (score {score}, place {place}, by {rule!r}) although veto {id} ({zh}) holds"
                        ).format(
                            policy_id=policy_id,
                            person_id=g.person_id,
                            grade=g.grade,
                            score=g.score,
                            place=g.place,
                            rule=g.rule,
                            id=veto.id,
                            zh=veto.title.zh,
                        )
                    )

    _run(test, _assessments(policies, policy_id), max_examples, hypothesis_settings)


def quotas_respect_shares(
    policies: PolicySet,
    policy_id: str,
    *,
    as_of: date = AS_OF,
    max_examples: int = 100,
    hypothesis_settings: settings | None = None,
) -> None:
    """In every group, no quota's grade goes to more people than the quota allows; under
    ``ties: extend`` only those tied on the boundary score may take it past its size."""
    policy = policies.of(SCORING).grade_policy(policy_id)
    values = policies.values_on(as_of)
    bottom = {q.grade for q in policy.bottom}

    def test(drawn: tuple[list[Entry], dict[str, dict[str, Outcome]]]) -> None:
        entries, outcomes = drawn
        result = _assessment(policies, policy, entries, outcomes, as_of)
        for group in result.groups():
            members = [g for g in result.graded if g.group == group]
            for quota in (*policy.top, *policy.bottom):
                size = quota.size(len(members), policy.rounding, values)
                holders = [
                    g.score
                    for g in members
                    if g.grade == quota.grade and not (g.decided_by or "").startswith("override ")
                ]
                if size is None or len(holders) <= size:
                    continue
                if policy.ties is Ties.EXTEND and None not in holders:
                    sign = -1 if quota.grade in bottom else 1  # the bottom counts from the worst
                    boundary = min(sign * h for h in holders if h is not None)
                    if sum(1 for h in holders if h is not None and sign * h > boundary) < size:
                        continue  # the rest are tied on the boundary
                raise InvariantError(
                    _(
                        "{policy_id}: group {group} of {members} has {holders} {grade} (scores {scores}), more than its quota {quota} allows ({size})"
                    ).format(
                        policy_id=policy_id,
                        group="/".join(group) or _("(all)"),
                        members=len(members),
                        holders=len(holders),
                        grade=quota.grade,
                        scores=sorted(map(str, holders)),
                        quota=quota.describe(),
                        size=size,
                    )
                )

    _run(test, _assessments(policies, policy_id), max_examples, hypothesis_settings)


def grades_independent_of_order(
    policies: PolicySet,
    policy_id: str,
    *,
    as_of: date = AS_OF,
    max_examples: int = 50,
    hypothesis_settings: settings | None = None,
) -> None:
    """Shuffling the entries changes nobody's score, place or grade."""
    policy = policies.of(SCORING).grade_policy(policy_id)

    def test(drawn: tuple[tuple[list[Entry], dict[str, dict[str, Outcome]]], int]) -> None:
        (entries, outcomes), seed = drawn
        shuffled = list(entries)
        random.Random(seed).shuffle(shuffled)
        first = _assessment(policies, policy, entries, outcomes, as_of)
        second = _assessment(policies, policy, shuffled, outcomes, as_of)
        a = {g.person_id: (g.score, g.place, g.grade) for g in first.graded}
        b = {g.person_id: (g.score, g.place, g.grade) for g in second.graded}
        for person in a:
            if a[person] != b[person]:
                raise InvariantError(
                    _(
                        "{policy_id}: {person} is (score, place, grade) {given} in the order given and {shuffled} shuffled"
                    ).format(
                        policy_id=policy_id, person=person, given=a[person], shuffled=b[person]
                    )
                )

    _run(
        test,
        st.tuples(_assessments(policies, policy_id), st.integers(0, 2**32)),
        max_examples,
        hypothesis_settings,
    )


def verdicts_independent_of_order(
    policies: PolicySet,
    list_id: str,
    *,
    as_of: date = AS_OF,
    max_examples: int = 50,
    hypothesis_settings: settings | None = None,
) -> None:
    """Evaluating people in another order gives each the same verdict."""
    compiled = policies.of(CRITERIA).find(list_id)
    values = policies.values_on(as_of)

    def test(drawn: tuple[list[Dossier], int]) -> None:
        people, seed = drawn
        shuffled = list(people)
        random.Random(seed).shuffle(shuffled)
        a = {v.person_id: _state(v) for v in compiled.evaluate(people, values, explain=False)}
        b = {v.person_id: _state(v) for v in compiled.evaluate(shuffled, values, explain=False)}
        if a != b:
            raise InvariantError(
                _("{list_id}: verdicts differ with the order: {a} against {b}").format(
                    list_id=list_id, a=a, b=b
                )
            )

    unique = st.lists(
        dossiers_for(policies, list_id, as_of=as_of),
        max_size=8,
        unique_by=lambda d: d.person.id,
    )
    _run(test, st.tuples(unique, st.integers(0, 2**32)), max_examples, hypothesis_settings)


def results_independent_of_plugin_order(
    load: Callable[[Sequence[str]], PolicySet],
    plugins: Sequence[str],
    *,
    as_of: date = AS_OF,
    max_examples: int = 30,
    hypothesis_settings: settings | None = None,
) -> None:
    """Loading ``plugins`` in the order given and reversed gives every list the same
    verdicts. ``load`` builds a policy set from plugin names (``lambda names:
    Engine.load(plugins=names).policies``)."""
    forward, backward = load(list(plugins)), load(list(reversed(plugins)))
    if sorted(forward.of(CRITERIA)) != sorted(backward.of(CRITERIA)):
        raise InvariantError(
            _("the lists loaded differ with the plugin order: {forward} against {backward}").format(
                forward=sorted(forward.of(CRITERIA)), backward=sorted(backward.of(CRITERIA))
            )
        )
    for list_id in sorted(forward.of(CRITERIA)):
        test = _same_verdicts(list_id, forward, backward, as_of, plugins)
        _run(test, dossiers_for(forward, list_id, as_of=as_of), max_examples, hypothesis_settings)


def _same_verdicts(
    list_id: str, forward: PolicySet, backward: PolicySet, as_of: date, plugins: Sequence[str]
) -> Callable[[Dossier], None]:
    compiled = [p.of(CRITERIA).find(list_id) for p in (forward, backward)]
    values = [p.values_on(as_of) for p in (forward, backward)]

    def test(d: Dossier) -> None:
        a, b = (
            _state(c.evaluate([d], v, explain=False)[0])
            for c, v in zip(compiled, values, strict=True)
        )
        if a != b:
            raise InvariantError(
                _("{list_id} for {d}: {a} with plugins {plugins}, {b} reversed").format(
                    list_id=list_id, d=_who(d), a=a, plugins=list(plugins), b=b
                )
            )

    return test


def scores_within_bounds(
    policies: PolicySet,
    rubric_id: str,
    *,
    max_examples: int = 100,
    hypothesis_settings: settings | None = None,
) -> None:
    """A line's deductions never take more than its points; a section of base points and
    deductions only stays between 0 and its base; bonuses never go below zero."""
    rubric = policies.of(SCORING).rubrics[rubric_id]
    lines = {(s.id, line.id): line for s in rubric.sections for line in s.lines}

    def test(inputs: dict[str, Any]) -> None:
        sheet = score(rubric, "p1", inputs)
        by_line: dict[tuple[str, str], Any] = {}
        for row in sheet.lines:
            if row.points < 0:
                key = (row.section, row.line)
                by_line[key] = by_line.get(key, 0) + row.points
        for key, taken in by_line.items():
            line = lines[key]
            if line.points is not None and -taken > line.points:
                raise InvariantError(
                    _(
                        "{rubric_id}: line {v1} ({zh}) deducts {value}, more than its {points} points, for inputs {inputs}"
                    ).format(
                        rubric_id=rubric_id,
                        v1=key[1],
                        zh=line.title.zh,
                        value=-taken,
                        points=line.points,
                        inputs=inputs,
                    )
                )
        for section, total in zip(rubric.sections, sheet.totals, strict=True):
            plain = all(r.is_deduction for line in section.lines for r in line.rules)
            bonuses = all(r.kind in _BONUSES for line in section.lines for r in line.rules)
            if bonuses and total < 0:
                raise InvariantError(
                    _("{rubric_id}: bonus section {id} totals {total} for inputs {inputs}").format(
                        rubric_id=rubric_id, id=section.id, total=total, inputs=inputs
                    )
                )
            if section.base is not None and plain and not 0 <= total <= section.base:
                raise InvariantError(
                    _(
                        "{rubric_id}: section {id} totals {total}, outside 0–{base}, for inputs {inputs}"
                    ).format(
                        rubric_id=rubric_id,
                        id=section.id,
                        total=total,
                        base=section.base,
                        inputs=inputs,
                    )
                )

    _run(test, rubric_inputs(rubric), max_examples, hypothesis_settings)
