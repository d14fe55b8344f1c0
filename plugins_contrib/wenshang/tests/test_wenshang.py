"""The 汶上 plugin: the four grades 好/较好/一般/差 of source 002 and their consequences; the
unpublished thresholds keep grades provisional until an overlay gives them."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance_core import Engine
from governance_core.rules.scoring import Assessment, Graded, read_assessment
from governance_core.rules.scoring.kind import SCORING

DOCS = Path(__file__).parent.parent / "docs"
POLICY = "wenshang.dual_report_grades"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(plugins=["wenshang"])


def run(engine: Engine) -> Assessment:
    read = read_assessment(DOCS / "example-evaluation.yaml")
    return engine.assess(read.policy, read.entries, read.as_of)


def by_person(result: Assessment) -> dict[str, Graded]:
    return {g.person_id: g for g in result.graded}


def test_four_grades_with_their_consequences_cited_to_source_002(engine: Engine) -> None:
    policy = engine.policies.of(SCORING).grade_policy(POLICY)
    assert policy.grades == ("好", "较好", "一般", "差")
    assert policy.citation.source == "002_6c0774b5a3b2e520.txt"
    assert dict(policy.consequences) == {
        "好": "加强总结推广",
        "较好": "调整完善",
        "一般": "调整完善",
        "差": "大力整改",
    }
    assert not policy.top and not policy.bottom  # no quota is published


def test_unpublished_thresholds_leave_every_grade_a_provisional_lower_bound(
    engine: Engine,
) -> None:
    for g in run(engine).graded:
        assert g.grade == "差" and not g.conclusive
        assert g.rule == "the rest (at least: a better band has no threshold)"
        assert "band 好: wenshang_good_from has no value" in g.notes


def test_an_overlay_with_thresholds_grades_organisations_and_members_apart(
    engine: Engine,
) -> None:
    graded = by_person(run(engine.with_overlays([DOCS / "example-overlay.yaml"])))
    assert {p: g.grade for p, g in graded.items()} == {
        "u01": "好",
        "u02": "较好",
        "u03": "一般",
        "u04": "差",
        "m01": "好",
        "m02": "一般",
        "m03": "一般",
    }
    assert all(g.conclusive for g in graded.values())
    assert graded["u02"].rule == "band 较好: score ≥ 80 (wenshang_fairly_good_from)"
    assert graded["u01"].group == ("机关企事业单位党组织",)
    assert graded["m01"].group == ("在职党员",) and graded["m01"].place == 1
