"""The bundled example district: the sizes the sources report, the same for the same seed,
a roster without problems, and inputs the contrib policies can assess."""

from __future__ import annotations

from collections import Counter
from datetime import date

from governance_core import Engine
from governance_core.jobs.example_district import (
    FIRST_SECRETARY_ORIGINS,
    TOWNS,
    VILLAGES,
    Origin,
    example_district,
)
from governance_core.model import OrgLevel


def test_the_sizes_are_the_sources() -> None:
    district = example_district()
    assert (TOWNS, VILLAGES) == (13, 447)  # 003: 13个镇街道、447个村居
    assert len(district.towns) == 13 and len(district.villages()) == 447
    counts = Counter(f.origin for f in district.first_secretaries)
    assert counts == {
        Origin.CITY_DEPARTMENT: 23, Origin.DISTRICT_ORGAN: 71,
        Origin.RETIRED: 10, Origin.TOWN_CADRE: 67,
    }  # fmt: skip
    assert sum(FIRST_SECRETARY_ORIGINS.values()) == len(district.first_secretaries) == 171
    assert {o.level for o in district.villages()} == {OrgLevel.VILLAGE, OrgLevel.COMMUNITY}


def test_the_same_seed_gives_the_same_district() -> None:
    kinds = ("涉黑涉恶", "长期不履职")
    a, b = example_district(finding_kinds=kinds), example_district(finding_kinds=kinds)
    assert a == b
    assert example_district(seed=7, finding_kinds=kinds) != a
    assert a.monthly_scores(date(2024, 5, 1)) == b.monthly_scores(date(2024, 5, 1))


def test_the_roster_has_no_problems_and_some_findings() -> None:
    district = example_district(finding_kinds=("涉黑涉恶",))
    assert district.roster.issues() == []
    findings = district.roster.findings or ()
    assert 0 < len(findings) < 30 and {f.kind for f in findings} == {"涉黑涉恶"}


def test_every_village_secretary_is_scored_in_their_town() -> None:
    district = example_district()
    entries = district.monthly_scores(date(2024, 6, 1))
    assert len(entries) == 447
    assert len({e.groups["town"] for e in entries}) == 13
    assert all(60 <= (e.score or 0) <= 100 for e in entries)


def test_the_first_secretaries_can_be_assessed_under_jiaozhou_s_policy() -> None:
    engine = Engine.load(plugins=["jiaozhou"])
    scoring = engine.policies.scoring
    policy = scoring.grade_policy("jiaozhou.first_secretary_grades")
    district = example_district()
    entries = district.first_secretary_entries(
        scoring.rubrics[policy.rubric or ""], scoring.votes[policy.vote or ""], 2024
    )
    result = engine.assess(policy.id, entries, date(2024, 12, 31), roster=district.roster)
    assert len(result.graded) == 171
    grades = Counter(g.grade for g in result.graded)
    assert grades["优秀"] > 0 and grades[None] > 0  # some votes miss the 2/3 turnout
