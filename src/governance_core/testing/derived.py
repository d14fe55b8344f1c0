"""Strategies derived from a loaded policy: dossiers that hit a list's items (each one, none,
or several), and a rubric's inputs across every rule's whole range.

A list's dossiers are built from what its expressions mention: the strings they compare
against (finding kinds, post roles, document kinds, grades, count names), the parameters
they read (with their values on the date), and the numbers (thresholds, and their
neighbours). Drawing from those makes hits frequent; each strategy then keeps only the
dossiers that really have the outcome asked for, as the compiled list decides it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import attrs
from hypothesis import strategies as st

from governance_core.loading.mentions import Mentions, mentions
from governance_core.loading.policy_set import PolicySet
from governance_core.model import Dossier
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.criteria.verdicts import ItemStatus, ListVerdict
from governance_core.rules.scoring import Ballots, Entry, GradePolicy, Rubric, RuleKind
from governance_core.rules.scoring.kind import SCORING
from governance_core.testing.strategies import AS_OF, ballots, dossiers

__all__ = [
    "Hitting",
    "dossiers_for",
    "entries_for",
    "rubric_inputs",
    "verdict_of",
]

Hitting = Literal["none", "several", "any"]


def dossiers_from(
    found: Mentions, as_of: date, *, filled: bool = False
) -> st.SearchStrategy[Dossier]:
    """Dossiers drawn from what ``found`` mentions; ``filled``: with the facts it reads
    recorded (all kinds when it reads none the built-in functions know) and no others."""
    strings = sorted(found.strings) or ["—"]
    return dossiers(
        filled=(found.reads or {"posts", "findings", "documents", "grades", "counts"})
        if filled
        else (),
        nothing_else=filled and bool(found.reads),
        as_of=as_of,
        roles=strings,
        finding_kinds=strings,
        document_kinds=strings,
        grades=strings,
        count_names=strings,
        numbers=sorted(found.numbers),
        effect_names=strings,
    )


def verdict_of(policies: PolicySet, list_id: str, dossier: Dossier) -> ListVerdict:
    """The list's verdict for one dossier, on the dossier's date (compiled path)."""
    values = policies.values_on(dossier.as_of)
    (verdict,) = policies.of(CRITERIA).find(list_id).evaluate([dossier], values, explain=False)
    return verdict


def dossiers_for(
    policies: PolicySet, list_id: str, *, hitting: str | Hitting = "any", as_of: date = AS_OF
) -> st.SearchStrategy[Dossier]:
    """Dossiers for ``list_id`` on ``as_of``. ``hitting``: an item id (dossiers that meet
    that item), ``"none"`` (no item met), ``"several"`` (at least two met), or ``"any"``.

    >>> from governance_core import Engine
    >>> engine = Engine.load(plugins=["shizhong"])
    >>> strategy = dossiers_for(engine.policies, "shizhong.exit_conditions", hitting="organised_crime")
    """
    compiled = policies.of(CRITERIA).find(list_id)
    ids = [c.id for c in compiled.criteria.items]
    if hitting in ("any", "none", "several"):
        base = dossiers_from(mentions(policies, list_id, as_of), as_of)
    elif hitting in ids:
        found = mentions(policies, list_id, as_of, hitting)
        if found.missing:
            raise ValueError(
                f"{list_id}: item {hitting} reads {', '.join(sorted(found.missing))}, which "
                f"has no value on {as_of}, so no dossier meets it; give the parameter a value "
                "(an overlay) or test another date"
            )
        base = dossiers_from(found, as_of, filled=True)
    else:
        raise ValueError(
            f"{list_id} has no item {hitting!r}; its items: {', '.join(ids)} "
            "(or say none, several or any)"
        )

    def met(d: Dossier) -> set[str]:
        verdict = verdict_of(policies, list_id, d)
        return {i.id for i in verdict.items if i.status is ItemStatus.MET}

    if hitting == "any":
        return base
    if hitting == "none":
        return base.filter(lambda d: not met(d))
    if hitting == "several":
        if len(ids) < 2:
            raise ValueError(f"{list_id} has one item: it cannot hit several")
        return base.filter(lambda d: len(met(d)) >= 2)
    return base.filter(lambda d: hitting in met(d))


def _merged(parts: Sequence[Dossier]) -> Dossier:
    """One person's dossier holding the facts of every part (the first part's person)."""
    first = parts[0]

    def joined(name: str) -> tuple[Any, ...] | None:
        rows = [getattr(p, name) for p in parts]
        if all(r is None for r in rows):
            return None
        return tuple(x for r in rows for x in r or ())

    return attrs.evolve(
        first,
        posts=tuple(x for p in parts for x in p.posts),
        findings=joined("findings"),
        documents=joined("documents"),
        counts={k: v for p in parts for k, v in p.counts.items()},
        amounts={k: v for p in parts for k, v in p.amounts.items()},
        grades={k: v for p in parts for k, v in p.grades.items()},
        ranks={k: v for p in parts for k, v in p.ranks.items()},
    )


def dossiers_meeting(
    policies: PolicySet, list_ids: Sequence[str], *, as_of: date = AS_OF
) -> st.SearchStrategy[Dossier]:
    """Dossiers drawn to meet, at once, every item of every list of ``list_ids`` that can be
    met on ``as_of``: one dossier per item from the facts it reads, merged. Most meet them
    all; none is filtered out (a merge of a dozen filtered draws would rarely succeed), so
    check the outcome when it matters. For a requirement list of "all", or a step whose
    guards need several lists met."""
    parts = []
    for list_id in list_ids:
        for item in policies.of(CRITERIA).find(list_id).criteria.items:
            found = mentions(policies, list_id, as_of, item.id)
            if not found.missing:
                parts.append(dossiers_from(found, as_of, filled=True))
    if not parts:
        return dossiers_from(Mentions(), as_of)
    return st.tuples(*parts).map(_merged)


def _rule_values(rule: Any) -> st.SearchStrategy[Any]:
    """One rule's input across its whole range, the edges included."""
    kind = rule.kind
    if kind in (RuleKind.DEDUCT_UNLESS, RuleKind.BONUS_IF):
        return st.booleans()
    if kind in (RuleKind.DEDUCT_PER, RuleKind.BONUS_PER):
        return st.integers(0, 20)
    if kind is RuleKind.DEDUCT_JUDGED:
        low, high = rule.range
        return st.just(0) | st.integers(low, high)
    if kind is RuleKind.BONUS_PER_AMOUNT:
        return st.integers(0, 12 * int(rule.unit)).map(Decimal)
    if kind is RuleKind.BONUS_BY_CLASS:
        return st.lists(st.sampled_from(sorted(rule.classes)), unique=True)
    assert kind is RuleKind.GRADE_STEPS
    scale = st.sampled_from(list(rule.scale))
    return st.fixed_dictionaries({"from": scale, "to": scale})


def rubric_inputs(rubric: Rubric) -> st.SearchStrategy[dict[str, Any]]:
    """Inputs for every rule of ``rubric``: true/false, counts from 0 past any cap, judged
    deductions over their range, money over a dozen units, classes, grade steps."""
    return st.fixed_dictionaries({rule.input: _rule_values(rule) for _, _, rule in rubric.rules()})


@st.composite
def entries_for(
    draw: st.DrawFn,
    policies: PolicySet,
    policy_id: str,
    *,
    people: tuple[int, int] = (1, 15),
    groups: Mapping[str, tuple[str, ...]] | None = None,
) -> list[Entry]:
    """Entries for the grade policy ``policy_id``: rubric inputs, ballots under its vote
    rule, or a given score, and group attributes from ``groups`` (default: two values for
    each attribute the policy groups by)."""
    scoring = policies.of(SCORING)
    policy: GradePolicy = scoring.grade_policy(policy_id)
    rubric = scoring.rubrics.get(policy.rubric or "")
    vote = scoring.votes.get(policy.vote or "")
    choices = groups or dict.fromkeys(policy.group_by, ("甲", "乙"))
    found = []
    for n in range(1, draw(st.integers(*people)) + 1):
        cast: Ballots | None = draw(ballots(vote.answers)) if vote is not None else None
        found.append(
            Entry(
                f"p{n:03d}",
                f"人员{n}",
                groups={k: draw(st.sampled_from(v)) for k, v in choices.items()},
                inputs=draw(rubric_inputs(rubric)) if rubric is not None else {},
                ballots=cast,
                score=None if rubric is not None else Decimal(draw(st.integers(0, 100))),
            )
        )
    return found
