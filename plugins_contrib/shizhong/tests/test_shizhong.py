"""The 市中区 plugin: every list against real-looking dossiers, its gaps, and the example
overlay. Dossiers are invented; the kinds of findings and documents are the source's titles."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from governance_core import (
    Document,
    Dossier,
    Engine,
    Finding,
    ItemStatus,
    ListVerdict,
    Outcome,
    Person,
    Post,
)
from governance_core.present.verdicts import outcome_text
from governance_core.rules.common import SupplierKind
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.scoring import read_assessment
from governance_core.rules.scoring.kind import SCORING

AS_OF = date(2024, 6, 30)
EXAMPLE_OVERLAY = Path(__file__).parent.parent / "docs" / "example-overlay.yaml"

DECLARED = {
    "shizhong.exit_conditions": (9, 3),
    "shizhong.personnel_file_categories": (12, 3),
    "shizhong.two_committees_bars": (12, 0),
    "shizhong.two_committees_discouraged": (5, 0),
    "shizhong.treatment_common_requirements": (6, 3),
    "shizhong.treatment_rural_requirements": (2, 2),
    "shizhong.treatment_urban_requirements": (1, 1),
    "shizhong.treatment_basic_conditions_rural": (9, 0),
    "shizhong.treatment_basic_conditions_urban": (7, 0),
    "shizhong.treatment_negative_list": (7, 3),
    "shizhong.selection_standard": (6, 0),  # 三好三强: six by its name, none named
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(plugins=["shizhong"])


def secretary(*kinds: str, documents: tuple[str, ...] = (), **fields: Any) -> Dossier:
    """A village party secretary since 2019 with findings of these kinds."""
    return Dossier(
        person=Person("s1", "王建国", birth_date=date(1972, 3, 14), education="大专"),
        as_of=AS_OF,
        posts=(Post("s1", "党组织书记", "wangjiazhuang", date(2019, 3, 1)),),
        findings=tuple(
            Finding(f"F{n}", "s1", kind, date(2024, 4, 1), "税郭镇党委")
            for n, kind in enumerate(kinds)
        ),
        documents=tuple(
            Document(f"D{n}", "s1", kind, date(2020, 1, 1)) for n, kind in enumerate(documents)
        ),
        grades={2023: "优秀"},
        **fields,
    )


def verdict(engine: Engine, list_id: str, dossier: Dossier) -> ListVerdict:
    return engine.evaluate(list_id, [dossier], AS_OF)[0]


def test_every_list_of_the_source_with_its_declared_size(engine: Engine) -> None:
    found = {
        list_id: (c.criteria.declared_size, len(c.criteria.items))
        for list_id, c in engine.policies.of(CRITERIA).items()
    }
    assert found == DECLARED


def test_every_item_and_list_is_cited_to_source_000_and_supplied_by_the_plugin(
    engine: Engine,
) -> None:
    for compiled in engine.policies.of(CRITERIA).values():
        assert compiled.criteria.citation.source == "000_52a1aa9704ccaee1.txt"
        assert compiled.supplied_by.kind is SupplierKind.PLUGIN
        assert compiled.supplied_by.name == "shizhong"
        for item in compiled.criteria.items:
            assert item.citation.source == "000_52a1aa9704ccaee1.txt"
    first = verdict(engine, "shizhong.exit_conditions", secretary())
    assert all(str(i.supplied_by).startswith("plugin shizhong ") for i in first.items)


def test_one_exit_condition_opens_the_dismissal_procedure(engine: Engine) -> None:
    v = verdict(engine, "shizhong.exit_conditions", secretary("“三资”管理混乱"))
    assert v.outcome is Outcome.HIT and v.conclusive
    assert v.procedure == "shizhong.exit_dismissal"
    assert [i.evidence for i in v.met()] == [("F0",)]


def test_no_named_exit_condition_is_not_a_clean_record(engine: Engine) -> None:
    v = verdict(engine, "shizhong.exit_conditions", secretary())
    assert v.outcome is Outcome.NOT_HIT and not v.conclusive
    assert "3 of 9" in outcome_text(v, "en") and "inconclusive" in outcome_text(v, "en")
    assert "已编码3/9项" in outcome_text(v, "zh")


def test_personnel_file_with_the_named_categories_is_still_incomplete(engine: Engine) -> None:
    full = secretary(documents=("党员关系", "教育学历", "奖励处分"))
    v = verdict(engine, "shizhong.personnel_file_categories", full)
    assert v.outcome is Outcome.HIT and not v.conclusive  # 9 categories are not published
    missing = verdict(
        engine, "shizhong.personnel_file_categories", secretary(documents=("党员关系",))
    )
    assert missing.outcome is Outcome.NOT_HIT and missing.conclusive


def test_lists_with_no_named_item_are_unknown_for_everyone(engine: Engine) -> None:
    for list_id in (
        "shizhong.two_committees_bars",
        "shizhong.two_committees_discouraged",
        "shizhong.treatment_basic_conditions_rural",
        "shizhong.treatment_basic_conditions_urban",
    ):
        v = verdict(engine, list_id, secretary("涉黑涉恶"))
        assert v.outcome is Outcome.UNKNOWN and not v.conclusive, list_id
        assert v.completeness.encoded == 0
    bars = verdict(engine, "shizhong.two_committees_bars", secretary())
    assert bars.completeness.missing_numbers == tuple(range(1, 13))


def test_common_requirements_wait_for_the_unpublished_thresholds(engine: Engine) -> None:
    v = verdict(engine, "shizhong.treatment_common_requirements", secretary())
    tenure = next(i for i in v.items if i.id == "tenure")
    assert tenure.status is ItemStatus.UNKNOWN
    assert v.outcome is Outcome.UNKNOWN and not v.conclusive
    unvalued = {p.id for p in engine.policies.unvalued(AS_OF)}
    assert unvalued == {
        "shizhong_exit_review_cadence",  # the cycle: what the source does not publish
        "shizhong_quarterly_results_deadline_working_days",
        "shizhong_min_tenure_years",
        "shizhong_qualifying_grades",
        "shizhong_qualifying_honours",
        "shizhong_treatment_notice_working_days",
        "shizhong_households_per_two_committees_member",  # 若干户
        "shizhong_quarter_awards_bar_months",  # the effects: how long is not said
        "shizhong_lagging_label_months",
    }


def test_rural_and_urban_extra_requirements_are_complete_lists(engine: Engine) -> None:
    rural = secretary("达到“专业化管理村党组织书记”标准", "集体经济发展成效显著")
    v = verdict(engine, "shizhong.treatment_rural_requirements", rural)
    assert v.outcome is Outcome.HIT and v.conclusive
    half = verdict(
        engine, "shizhong.treatment_rural_requirements", secretary("集体经济发展成效显著")
    )
    assert half.outcome is Outcome.NOT_HIT and half.conclusive
    urban = secretary("在基层治理、为民服务等工作中表现突出")
    assert verdict(engine, "shizhong.treatment_urban_requirements", urban).outcome is Outcome.HIT


def test_negative_list_removes_the_treatment(engine: Engine) -> None:
    v = verdict(engine, "shizhong.treatment_negative_list", secretary("个人出现违纪违法问题"))
    assert v.outcome is Outcome.HIT and v.conclusive
    assert "disqualified" in outcome_text(v, "en")


def test_findings_not_recorded_make_the_items_unknown(engine: Engine) -> None:
    unrecorded = Dossier(Person("s2", "赵丽"), AS_OF, findings=None)
    v = verdict(engine, "shizhong.treatment_negative_list", unrecorded)
    assert {i.status for i in v.items} == {ItemStatus.UNKNOWN}


def test_the_numbers_the_source_publishes(engine: Engine) -> None:
    values = engine.policies.values_on(AS_OF)
    assert values["shizhong_ranking_deadline_day"] == 10
    assert values["shizhong_monthly_report_day"] == 28
    assert values["shizhong_quarter_bottom_barred_from_awards"] == 2
    assert values["shizhong_quarter_last_lagging"] == 1
    assert values["shizhong_treatment_validity_years"] == 1
    assert values["shizhong_secretary_talks_per_quarter"] == 1


def test_the_example_overlay_completes_the_exit_list_without_touching_the_base(
    engine: Engine,
) -> None:
    completed = engine.with_overlays([EXAMPLE_OVERLAY])
    clean = secretary()
    v = verdict(completed, "shizhong.exit_conditions", clean)
    assert v.completeness.encoded == 9 and v.completeness.declared == 9
    assert v.outcome is Outcome.NOT_HIT and v.conclusive
    added = [i for i in v.items if i.id.startswith("example_condition_")]
    assert len(added) == 6
    assert all(
        i.supplied_by is not None and i.supplied_by.kind is SupplierKind.OVERLAY for i in added
    )
    assert {c.rule_id for c in completed.policies.changes} >= {
        "shizhong.exit_conditions.example_condition_4",
        "shizhong_min_tenure_years",
    }
    # the base is left as it was
    assert verdict(engine, "shizhong.exit_conditions", clean).completeness.encoded == 3
    tenure = next(
        i
        for i in verdict(completed, "shizhong.treatment_common_requirements", clean).items
        if i.id == "tenure"
    )
    assert tenure.status is ItemStatus.MET  # 5 years in post, example threshold 3


EXAMPLE_QUARTER = Path(__file__).parent.parent / "docs" / "example-quarter.yaml"


def grades_under(engine: Engine, policy_id: str) -> dict[str, tuple[int | None, str | None]]:
    read = read_assessment(EXAMPLE_QUARTER)
    result = engine.assess(policy_id, read.entries, read.as_of)
    return {g.person_id: (g.place, g.grade) for g in result.graded}


def test_the_ranking_rules_read_the_published_numbers(engine: Engine) -> None:
    scoring = engine.policies.of(SCORING)
    for policy_id in (
        "shizhong.monthly_ranking",
        "shizhong.quarterly_awards_bar",
        "shizhong.quarterly_lagging",
    ):
        policy = scoring.grade_policy(policy_id)
        assert policy.citation.source == "000_52a1aa9704ccaee1.txt"
        assert policy.group_by == ("town",) and policy.composite.value == "given"
    bar = scoring.grade_policy("shizhong.quarterly_awards_bar").bottom[0]
    assert bar.parameter == "shizhong_quarter_bottom_barred_from_awards"
    last = scoring.grade_policy("shizhong.quarterly_lagging").bottom[0]
    assert last.parameter == "shizhong_quarter_last_lagging"


def test_the_monthly_ranking_places_everyone_per_town(engine: Engine) -> None:
    ranked = grades_under(engine, "shizhong.monthly_ranking")
    assert [ranked[f"sg0{n}"][0] for n in range(1, 6)] == [1, 2, 3, 4, 5]
    assert ranked["wh03"][0] == ranked["wh04"][0] == 3  # a tie shares its place
    assert {grade for _, grade in ranked.values()} == {"逐一排名通报"}


def test_the_bottom_2_of_a_town_are_barred_from_awards(engine: Engine) -> None:
    barred = grades_under(engine, "shizhong.quarterly_awards_bar")
    assert {p for p, (_, g) in barred.items() if g == "不得评先树优"} == {
        "sg04",
        "sg05",
        "wh03",
        "wh04",
    }


def test_the_last_of_a_town_is_lagging_and_a_tie_for_last_is_all_of_it(engine: Engine) -> None:
    lagging = grades_under(engine, "shizhong.quarterly_lagging")
    assert {p for p, (_, g) in lagging.items() if g == "工作后进村(社区)"} == {
        "sg05",
        "wh03",
        "wh04",
    }
    consequences = (
        engine.policies.of(SCORING).grade_policy("shizhong.quarterly_lagging").consequences
    )
    assert consequences["工作后进村(社区)"] == "确定为“工作后进村(社区)”"


def test_the_dates_and_counts_source_000_gives(engine: Engine) -> None:
    values = engine.policies.values_on(AS_OF)
    assert values["shizhong_treatment_first_batch_by"] == date(2023, 7, 1)  # “七一”前
    assert values["shizhong_wenhualu_matters_per_year"] == 10  # 十件惠民实事
    assert values["shizhong_wenhualu_projects_per_year"] == 1  # 从中选择一件作为“书记工程”
