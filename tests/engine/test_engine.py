"""The Engine on the bundled examples: verdicts, completeness, strictness, both paths agree."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from governance_core import (
    Engine,
    ItemStatus,
    ListVerdict,
    Outcome,
    ParameterError,
    Post,
    Roster,
    UnknownPolicyError,
)
from governance_core.present.verdicts import check_text, item_reasons, outcome_text
from governance_core.rules.criteria.kind import CRITERIA
from tests.support import AS_OF, dossier, policy_yaml

Write = Callable[..., Path]


def by_person(engine: Engine, list_id: str, roster: Roster, **kw: bool) -> dict[str, ListVerdict]:
    return {v.person_name: v for v in engine.evaluate(list_id, roster, AS_OF, **kw)}


@pytest.mark.districts
def test_a_finding_opens_the_dismissal_procedure(examples: Engine, example_roster: Roster) -> None:
    verdicts = by_person(examples, "shizhong.exit_conditions", example_roster)
    li = verdicts["李明"]
    assert li.outcome is Outcome.HIT and li.conclusive and li.procedure == "shizhong.exit_dismissal"
    assert [i.evidence for i in li.met()] == [("F-2024-007",)]


@pytest.mark.districts
def test_an_incomplete_list_never_reads_as_cleared(
    examples: Engine, example_roster: Roster
) -> None:
    wang = by_person(examples, "shizhong.exit_conditions", example_roster)["王建国"]
    assert wang.outcome is Outcome.NOT_HIT and not wang.conclusive
    assert wang.completeness.encoded == 3 and wang.completeness.declared == 9
    assert "inconclusive" in outcome_text(wang, "en") and "3 of 9" in outcome_text(wang, "en")
    assert "结论不确定" in outcome_text(wang, "zh")


@pytest.mark.districts
def test_unpublished_parameters_make_items_unknown_or_fail_in_strict_mode(
    example_roster: Roster,
) -> None:
    lenient = by_person(
        Engine.load(plugins=["shizhong"]), "shizhong.treatment_common_requirements", example_roster
    )
    tenure = lenient["李明"].items[0]
    assert tenure.status is ItemStatus.UNKNOWN
    assert any(
        "shizhong_min_tenure_years" in r and "has no value on 2024-06-30" in r
        for r in item_reasons(tenure, "en")
    )
    with pytest.raises(ParameterError, match="shizhong_min_tenure_years"):
        Engine.load(plugins=["shizhong"], strict_parameters=True).evaluate(
            "shizhong.treatment_common_requirements", example_roster, AS_OF
        )


def test_deciding_values_are_rendered_both_languages(write: Write) -> None:
    engine = Engine.from_files([write(policy_yaml('任职年限("党组织书记") >= min_years'))])
    secretary = dossier(posts=(Post("p1", "党组织书记", "v1", date(2022, 6, 1)),))
    verdict = engine.evaluate("test.list", [secretary], AS_OF)[0]
    check = verdict.items[0].checks[0]
    assert check_text(check, "zh") == '任职年限("党组织书记") = 2，要求 ≥ min_years (= 3)'
    assert check_text(check, "en") == '任职年限("党组织书记") = 2, requires ≥ min_years (= 3)'
    assert verdict.items[0].citation.article == "第一条"


@pytest.mark.districts
def test_fast_path_agrees_with_explained_path(examples: Engine, example_roster: Roster) -> None:
    for list_id in examples.policies.of(CRITERIA):
        fast = examples.evaluate(list_id, example_roster, AS_OF, explain=False)
        slow = examples.evaluate(list_id, example_roster, AS_OF)
        assert [(v.outcome, [i.status for i in v.items]) for v in fast] == [
            (v.outcome, [i.status for i in v.items]) for v in slow
        ]


def test_items_out_of_effect_are_reported_and_skipped(write: Write) -> None:
    text = policy_yaml().replace(
        "        expression:", "        effective_from: 2025-01-01\n        expression:"
    )
    engine = Engine.from_files([write(text)])
    for explain in (True, False):
        verdict = engine.evaluate("test.list", [dossier()], AS_OF, explain=explain)[0]
        assert verdict.items[0].status is ItemStatus.NOT_IN_EFFECT
        assert verdict.outcome is Outcome.NOT_IN_EFFECT


@pytest.mark.districts
def test_unknown_list_suggests_a_name(examples: Engine, example_roster: Roster) -> None:
    with pytest.raises(UnknownPolicyError, match=r"did you mean 'shizhong\.exit_conditions'"):
        examples.evaluate("shizhong.exit_condition", example_roster, AS_OF)


@pytest.mark.districts
def test_evaluation_does_not_read_the_clock(examples: Engine, example_roster: Roster) -> None:
    early = by_person(examples, "shizhong.exit_conditions", example_roster)
    before = {
        v.person_name: v
        for v in examples.evaluate("shizhong.exit_conditions", example_roster, date(2024, 1, 1))
    }
    assert early["李明"].outcome is Outcome.HIT
    assert before["李明"].outcome is Outcome.NOT_HIT  # the finding came on 2024-04-12


@pytest.mark.districts
def test_decisions_beyond_the_cache_are_still_correct(
    examples: Engine, example_roster: Roster, monkeypatch: pytest.MonkeyPatch
) -> None:
    from governance_core.rules.criteria import evaluation

    monkeypatch.setattr(evaluation, "_DECISIONS_KEPT", 0)
    for list_id in examples.policies.of(CRITERIA):
        fast = examples.evaluate(list_id, example_roster, AS_OF, explain=False)
        slow = examples.evaluate(list_id, example_roster, AS_OF)
        assert [(v.outcome, v.conclusive) for v in fast] == [
            (v.outcome, v.conclusive) for v in slow
        ]
        assert [[i.status for i in v.items] for v in fast] == [
            [i.status for i in v.items] for v in slow
        ]


@pytest.mark.districts
def test_every_verdict_of_a_list_shares_one_list_facts(
    examples: Engine, example_roster: Roster
) -> None:
    verdicts = examples.evaluate("shizhong.exit_conditions", example_roster, AS_OF)
    assert len({id(v.list) for v in verdicts}) == 1
    assert verdicts[0].list_id == "shizhong.exit_conditions"
    assert verdicts[0].list is examples.policies.of(CRITERIA).find("shizhong.exit_conditions").facts
