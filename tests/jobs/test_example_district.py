"""The bundled example district: the sizes the sources report, the same for the same seed,
a roster without problems, and inputs the contrib policies can assess."""

from __future__ import annotations

from collections import Counter
from datetime import date

import attrs
import pytest

from governance_core import Engine
from governance_core.jobs.example_district import (
    FIRST_SECRETARY_ORIGINS,
    TOWNS,
    VILLAGES,
    Origin,
    example_district,
)
from governance_core.model import OrgLevel
from governance_core.rules.scoring.kind import SCORING


def test_the_sizes_are_the_sources() -> None:
    district = example_district()
    assert (TOWNS, VILLAGES) == (13, 447)  # 003: 13个镇街道、447个村居
    assert len(district.towns) == 13 and len(district.villages()) == 447
    counts = Counter(f.origin for f in district.first_secretaries)
    assert counts == {
        Origin.CITY_DEPARTMENT: 23,
        Origin.DISTRICT_ORGAN: 71,
        Origin.RETIRED: 10,
        Origin.TOWN_CADRE: 67,
    }
    assert sum(FIRST_SECRETARY_ORIGINS.values()) == len(district.first_secretaries) == 171
    assert {o.level for o in district.villages()} == {OrgLevel.VILLAGE, OrgLevel.COMMUNITY}


@pytest.mark.districts
def test_the_same_seed_gives_the_same_district() -> None:
    kinds = ("涉黑涉恶", "长期不履职")
    a, b = example_district(finding_kinds=kinds), example_district(finding_kinds=kinds)
    assert a == b
    assert example_district(seed=7, finding_kinds=kinds) != a
    policy = (
        Engine.load(plugins=["shizhong"])
        .policies.of(SCORING)
        .grade_policy("shizhong.monthly_ranking")
    )
    assert a.entries_for(policy, None, None, "2024-05") == b.entries_for(
        policy, None, None, "2024-05"
    )


def test_the_roster_has_no_problems_and_some_findings() -> None:
    district = example_district(finding_kinds=("涉黑涉恶",))
    assert district.roster.issues() == []
    findings = district.roster.findings or ()
    assert 0 < len(findings) < 30 and {f.kind for f in findings} == {"涉黑涉恶"}


@pytest.mark.districts
def test_every_village_secretary_is_scored_in_their_town() -> None:
    district = example_district()
    policy = (
        Engine.load(plugins=["shizhong"])
        .policies.of(SCORING)
        .grade_policy("shizhong.monthly_ranking")
    )
    entries, whom = district.entries_for(policy, None, None, "2024-06")
    assert len(entries) == 447 and whom == "village secretaries"
    assert len({e.groups["town"] for e in entries}) == 13
    assert all(60 <= (e.score or 0) <= 100 for e in entries)


@pytest.mark.districts
def test_the_first_secretaries_can_be_assessed_under_jiaozhou_s_policy() -> None:
    engine = Engine.load(plugins=["jiaozhou"])
    scoring = engine.policies.of(SCORING)
    policy = scoring.grade_policy("jiaozhou.first_secretary_grades")
    district = example_district()
    entries, whom = district.entries_for(
        policy, scoring.rubrics[policy.rubric or ""], scoring.votes[policy.vote or ""], "2024"
    )
    assert whom == "first secretaries"
    result = engine.assess(policy.id, entries, date(2024, 12, 31), roster=district.roster)
    assert len(result.graded) == 171
    grades = Counter(g.grade for g in result.graded)
    assert grades["优秀"] > 0 and grades[None] > 0  # some votes miss the 2/3 turnout


@pytest.mark.districts
def test_a_policy_grouping_by_subject_grades_the_dual_reporting() -> None:
    # 汶上 grades organs' party organisations and serving members apart (002)
    policy = (
        Engine.load(plugins=["wenshang"])
        .policies.of(SCORING)
        .grade_policy("wenshang.dual_report_grades")
    )
    entries, whom = example_district().entries_for(policy, None, None, "2024")
    assert whom == "dual reporting" and len(entries) == 200
    assert Counter(e.groups["subject"] for e in entries) == {
        "机关企事业单位党组织": 40,
        "在职党员": 160,
    }
    assert len({e.person for e in entries}) == 200 and all(e.score is not None for e in entries)


@pytest.mark.districts
def test_a_policy_grouping_by_an_unknown_attribute_says_so() -> None:
    policy = (
        Engine.load(plugins=["shizhong"])
        .policies.of(SCORING)
        .grade_policy("shizhong.monthly_ranking")
    )
    odd = attrs.evolve(policy, group_by=("brigade",))
    entries, whom = example_district().entries_for(odd, None, None, "2024-06")
    assert {e.groups["brigade"] for e in entries} == {"示例"}
    assert "brigade" in whom and whom.startswith("village secretaries")
