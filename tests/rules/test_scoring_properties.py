"""Properties of scoring, for any inputs hypothesis finds: quotas hold their shares, vetoes
hold, deductions and ballots move scores the right way, order and ties decide nothing."""

from __future__ import annotations

import functools
import tempfile
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from governance_core import Engine, Outcome
from governance_core.rules.scoring import (
    Ballots,
    Candidate,
    Quota,
    Rounding,
    Rubric,
    Ties,
    VetoedSlot,
    grade_group,
    score,
    tally,
)
from governance_core.rules.scoring.kind import SCORING
from tests.rules.test_scoring import RUBRIC, VETO, VOTE, policy

SCORES = st.lists(st.integers(0, 12), min_size=1, max_size=25)  # few values: many ties
SHARES = st.tuples(st.integers(1, 5), st.integers(5, 10))


def candidates(
    scores: list[int], vetoed: frozenset[int] | set[int] = frozenset()
) -> list[Candidate]:
    return [
        Candidate(
            f"p{i:02d}",
            "",
            {"unit": "x"},
            Fraction(s),
            "given",
            lists={"bad.list": Outcome.HIT if i in vetoed else Outcome.NOT_HIT},
        )
        for i, s in enumerate(scores)
    ]


@given(SCORES, SHARES, SHARES, st.sampled_from(list(Rounding)), st.sampled_from(list(VetoedSlot)))
def test_a_quota_never_assigns_more_than_its_share(
    scores: list[int],
    first: tuple[int, int],
    second: tuple[int, int],
    rounding: Rounding,
    slot: VetoedSlot,
) -> None:
    p = policy(
        top=(Quota("优秀", share=first), Quota("良好", share=second)),
        rounding=rounding,
        ties=Ties.WITHHOLD,
        vetoed_slot=slot,
    )
    counts = Counter(g.grade for g in grade_group(p, ("x",), candidates(scores), {}))
    for quota in p.top:
        assert counts[quota.grade] <= (quota.size(len(scores), rounding, {}) or 0)


@given(
    SCORES,
    st.sets(st.integers(0, 24)),
    st.sampled_from(list(VetoedSlot)),
    st.sampled_from(list(Ties)),
)
def test_a_vetoed_person_is_never_excellent(
    scores: list[int], vetoed: set[int], slot: VetoedSlot, ties: Ties
) -> None:
    p = policy(vetoes=(VETO,), vetoed_slot=slot, ties=ties, rounding=Rounding.CEIL)
    for graded in grade_group(p, ("x",), candidates(scores, vetoed), {}):
        if int(graded.person_id[1:]) in vetoed:
            assert graded.grade != "优秀"


@given(SCORES, st.randoms(use_true_random=False))
def test_grades_do_not_depend_on_the_order_of_the_roster(scores: list[int], rng: Any) -> None:
    people = candidates(scores)
    shuffled = list(people)
    rng.shuffle(shuffled)
    p = policy(vetoes=(VETO,))
    assert grade_group(p, ("x",), people, {}) == grade_group(p, ("x",), shuffled, {})


@given(SCORES, st.sampled_from(list(Ties)), st.sampled_from(list(Rounding)))
def test_equal_scores_get_equal_grades(scores: list[int], ties: Ties, rounding: Rounding) -> None:
    p = policy(ties=ties, rounding=rounding)
    by_score: dict[Fraction | None, set[str | None]] = {}
    for graded in grade_group(p, ("x",), candidates(scores), {}):
        by_score.setdefault(graded.score, set()).add(graded.grade)
    assert all(len(grades) == 1 for grades in by_score.values())


@given(
    st.integers(1, 200),
    st.lists(st.integers(0, 60), min_size=4, max_size=4),
)
def test_one_more_very_satisfied_ballot_never_lowers_satisfaction(
    eligible: int, counts: list[int]
) -> None:
    cast = dict(zip(VOTE.answers, counts, strict=True))
    if sum(counts) + 1 > eligible:
        eligible = sum(counts) + 1
    before = tally(VOTE, "p", Ballots(eligible, cast))
    after = tally(VOTE, "p", Ballots(eligible, {**cast, "很满意": cast["很满意"] + 1}))
    if before.valid:
        assert after.valid
        assert after.satisfaction is not None and before.satisfaction is not None
        assert after.satisfaction >= before.satisfaction


def rubric_inputs() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "studied": st.booleans(),
            "conflict": st.sampled_from([0, 1, 2, 3, 4, 5]),
            "missed": st.integers(0, 10),
            "funds": st.integers(0, 500_000),
            "exact_funds": st.integers(0, 500_000),
            "projects": st.lists(st.sampled_from(["一类", "二类"]), max_size=3),
            "grade": st.fixed_dictionaries(
                {"from": st.sampled_from("ABCD"), "to": st.sampled_from("ABCD")}
            ),
        }
    )


@functools.cache
def rubric() -> Rubric:
    """The test rubric of test_scoring, loaded once (hypothesis runs a property many times)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rubric.yaml"
        path.write_text(RUBRIC, encoding="utf-8")
        return Engine.from_files([path]).policies.of(SCORING).rubrics["test.rubric"]


@given(rubric_inputs(), st.sampled_from(["studied", "conflict", "missed"]))
def test_an_extra_deduction_never_raises_a_score(inputs: dict[str, Any], which: str) -> None:
    worse = dict(inputs)
    if which == "studied":
        worse["studied"] = False
    elif which == "conflict":
        worse["conflict"] = min(5, max(1, inputs["conflict"] + 1))
    else:
        worse["missed"] = inputs["missed"] + 1
    assert score(rubric(), "p", worse).total <= score(rubric(), "p", inputs).total
