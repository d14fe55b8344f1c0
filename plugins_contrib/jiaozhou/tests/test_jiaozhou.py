"""The 胶州 plugin: the rubric line by line against 第十六条, the vote of 第十七条, the grading of
第十九条 and the consequences of 第二十条, on the example assessment and on hand-made cases."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from governance_core import Engine, load_roster
from governance_core.rules.scoring import Assessment, Ballots, read_assessment, score, tally
from governance_core.rules.scoring.kind import SCORING

DOCS = Path(__file__).parent.parent / "docs"
POLICY = "jiaozhou.first_secretary_grades"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(plugins=["jiaozhou"])


@pytest.fixture(scope="module")
def example(engine: Engine) -> Assessment:
    read = read_assessment(DOCS / "example-assessment.yaml")
    roster = load_roster(DOCS / "example-roster.yaml")
    return engine.assess(read.policy, read.entries, read.as_of, roster=roster)


def all_met() -> dict[str, Any]:
    """Inputs of a secretary who met every requirement and earned no bonus."""
    read = read_assessment(DOCS / "example-assessment.yaml")
    inputs = dict(read.entries[0].inputs)
    inputs.update(
        study_tours=0,
        venue_investment_yuan=0,
        projects_introduced=[],
        organisation_grade={"from": "B", "to": "B"},
    )
    return inputs


def test_the_rubric_has_every_line_of_article_16(engine: Engine) -> None:
    rubric = engine.policies.of(SCORING).rubrics["jiaozhou.first_secretary_goals"]
    assert [(s.id, s.base) for s in rubric.sections] == [
        ("basic_goals", 60),
        ("rules_and_discipline", 40),
        ("practical_matters", None),
        ("organisation_grade", None),
    ]
    assert rubric.base == 100
    assert len(list(rubric.rules())) == 35
    assert all(
        line.citation.article.startswith("第十六条") for s in rubric.sections for line in s.lines
    )


def test_all_requirements_met_is_100(engine: Engine) -> None:
    rubric = engine.policies.of(SCORING).rubrics["jiaozhou.first_secretary_goals"]
    sheet = score(rubric, "x", all_met())
    assert sheet.total == 100
    assert sheet.sections["basic_goals"] == 60 and sheet.sections["rules_and_discipline"] == 40


def test_clauses_as_the_source_writes_them(engine: Engine) -> None:
    rubric = engine.policies.of(SCORING).rubrics["jiaozhou.first_secretary_goals"]
    inputs = all_met() | {
        "party_training_held": False,  # 否则扣10分
        "democratic_days_missed": 12,  # 每缺1次扣1分, never below 0 of the clause's 10
        "meetings_missed": 1,  # 每缺一次扣2分
        "paired_households_missing": 1,  # 缺1户扣3分
        "paired_households_visited": False,  # 未入户走访扣2分
        "serious_discipline_breaches": 1,  # 情节特别严重的扣10分
        "venue_investment_yuan": 25000,  # 每投入1万元奖5分: two whole units
        "projects_introduced": ["一类", "三类"],  # 一类40 + 三类20
        "organisation_grade": {"from": "D", "to": "B"},  # two steps up: +20
    }
    points = {line.rule: line.points for line in score(rubric, "x", inputs).lines if line.points}
    assert points == {
        "party_training": -10,
        "democratic_days": -10,
        "meetings_missed": -2,
        "households_missing": -3,
        "households_visited": -2,
        "serious_breaches": -10,
        "venue_investment": 10,
        "projects_introduced": 60,
        "grade_steps": 20,
    }


def test_the_vote_needs_two_thirds_turnout(engine: Engine) -> None:
    vote = engine.policies.of(SCORING).votes["jiaozhou.satisfaction"]
    assert not tally(vote, "x", Ballots(60, {"很满意": 39})).valid
    result = tally(vote, "x", Ballots(60, {"很满意": 20, "满意": 10, "基本满意": 8, "不满意": 2}))
    assert result.valid and result.satisfaction == Fraction(30, 40)


def test_the_example_assessment(example: Assessment) -> None:
    graded = {g.person_id: g for g in example.graded}
    j002 = graded["j002"]
    assert j002.grade == "优秀" and j002.rule.startswith("quota 优秀 3/10 of 4 → 1")
    assert example.sheets["j002"].total == 100 + 3 + 3 + 5 + 60  # two 奖3, a job, 12万
    assert j002.score == example.sheets["j002"].total * Fraction(40, 44)
    # j001 and j004 scored well but j004's organisation fell from A to B: not 优秀
    assert graded["j004"].vetoed_by == ("organisation_fell",)
    assert any(
        "organisation_grade fell (-10 points), so not 优秀 (第十九条（四）)" in n
        for n in graded["j004"].notes
    )
    # a group of three rounds 30% down to nobody
    assert {graded[p].grade for p in ("j005", "j006")} == {"称职"}
    # j007's vote missed the quorum: no score, no grade, never a silent zero
    assert graded["j007"].grade is None and "below the quorum 2/3" in graded["j007"].rule


def test_grades_wait_for_the_unpublished_vote_mapping(example: Assessment) -> None:
    for g in example.graded:
        assert not g.conclusive
        # which parameter is unpublished, in words; the roster decides the direct-unfit list
        assert any("jiaozhou_satisfaction_unfit_below has no value" in n for n in g.notes)
        assert not any("jiaozhou.direct_unfit" in n for n in g.notes)


def test_a_direct_unfit_finding_overrides_the_score(engine: Engine, tmp_path: Path) -> None:
    text = (DOCS / "example-roster.yaml").read_text(encoding="utf-8")
    roster_path = tmp_path / "roster.yaml"
    head, _ = text.rsplit("findings: []", 1)
    roster_path.write_text(
        head + "findings:\n  - {id: F1, person: j002, kind: 违犯“六严禁”纪律规定，造成严重不良影响,"
        " established_on: 2024-10-01, organ: 胶州市委组织部}\n",
        encoding="utf-8",
    )
    read = read_assessment(DOCS / "example-assessment.yaml")
    result = engine.assess(POLICY, read.entries, read.as_of, roster=load_roster(roster_path))
    j002 = next(g for g in result.graded if g.person_id == "j002")
    assert j002.grade == "不称职" and j002.decided_by == "override direct_unfit"
    assert (
        "list “Situations that make the grade unfit directly” (jiaozhou.direct_unfit) is hit (第十九条（四）)"
        in j002.rule
    )
    # the worst grade, forced: no unpublished vote mapping can change it
    assert j002.conclusive
    assert j002.place is None  # out of the ranking: the next in line takes 优秀
    assert next(g for g in result.graded if g.person_id == "j001").grade == "优秀"
    assert result.policy.consequences["不称职"].startswith("由市委组织部予以诫勉谈话")


def test_an_overlay_publishing_the_vote_mapping_makes_grades_conclusive(
    engine: Engine, tmp_path: Path
) -> None:
    overlay = tmp_path / "mapping.yaml"
    overlay.write_text(
        """\
overlay:
  id: example-mapping
  title: {zh: （示例）满意度与等次的对应, en: (Example) satisfaction to grade}
  version: example
parameters:
  - parameter: jiaozhou_satisfaction_basic_competent_below
    citation: {document: （示例）市委组织部通知, article: 一, source: example}
    values: [{value: 0.6}]
  - parameter: jiaozhou_satisfaction_unfit_below
    citation: {document: （示例）市委组织部通知, article: 一, source: example}
    values: [{value: 0.4}]
""",
        encoding="utf-8",
    )
    derived = engine.with_overlays([overlay])
    read = read_assessment(DOCS / "example-assessment.yaml")
    roster = load_roster(DOCS / "example-roster.yaml")
    result = derived.assess(POLICY, read.entries, read.as_of, roster=roster)
    decided = [g for g in result.graded if g.score is not None]
    assert decided and all(g.conclusive for g in decided)
