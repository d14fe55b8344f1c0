"""Scoring: rubric lines of every kind, votes with an exact quorum, grades with quotas, ties,
vetoes and overrides; and the bad inputs of each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest

from governance_core import Engine, PolicyError, ScoringError
from governance_core.model import converter
from governance_core.rules.common import Citation, Title
from governance_core.rules.scoring import (
    Ballots,
    Candidate,
    Composite,
    GradePolicy,
    Override,
    OverrideKind,
    Quota,
    Rounding,
    Ties,
    Veto,
    VetoedSlot,
    VetoKind,
    VoteRule,
    assess,
    grade_group,
    score,
    tally,
)
from governance_core.rules.scoring._sheet import sheet_data
from governance_core.rules.scoring.kind import SCORING
from tests.support import CITATION, ROOT

Write = Callable[..., Path]
SOURCE = Citation("测试细则", "第一条", "tests/rules/test_scoring.py")

RUBRIC = f"""\
rubrics:
  - id: test.rubric
    title: {{zh: 测试考评, en: Test rubric}}
    citation: {CITATION}
    sections:
      - id: basic
        title: {{zh: 基本目标, en: Basic goals}}
        citation: {CITATION}
        base: 20
        lines:
          - id: study
            title: {{zh: 学习, en: Study}}
            citation: {CITATION}
            points: 10
            rules:
              - {{id: studied, kind: deduct_unless, input: studied, points: 5, title: {{zh: 未学习扣5分, en: not studied}}}}
              - {{id: conflict, kind: deduct_judged, input: conflict, range: [1, 5], title: {{zh: 视情扣1-5分, en: judged}}}}
          - id: days
            title: {{zh: 活动日, en: Days}}
            citation: {CITATION}
            points: 10
            rules:
              - {{id: missed, kind: deduct_per, input: missed, per: 3, title: {{zh: 每缺1次扣3分, en: per miss}}}}
      - id: bonus
        title: {{zh: 奖分, en: Bonuses}}
        citation: {CITATION}
        lines:
          - id: money
            title: {{zh: 投入, en: Money}}
            citation: {CITATION}
            rules:
              - {{id: funds, kind: bonus_per_amount, input: funds, per: 5, unit: 10000, rounding: whole_units, title: {{zh: 每1万元奖5分, en: per 10k}}}}
              - {{id: exact_funds, kind: bonus_per_amount, input: exact_funds, per: 2, unit: 10000, rounding: exact, title: {{zh: 每1万元奖2分, en: per 10k exact}}}}
              - {{id: projects, kind: bonus_by_class, input: projects, classes: {{一类: 40, 二类: 30}}, title: {{zh: 项目, en: projects}}}}
              - {{id: grade, kind: grade_steps, input: grade, scale: [A, B, C, D], up: 10, down: 10, title: {{zh: 晋位升级, en: grade}}}}
"""

INPUTS: dict[str, Any] = {
    "studied": True,
    "conflict": 0,
    "missed": 0,
    "funds": 0,
    "exact_funds": 0,
    "projects": [],
    "grade": {"from": "B", "to": "B"},
}


@pytest.fixture
def engine(write: Write) -> Engine:
    return Engine.from_files([write(RUBRIC, "rubric.yaml")])


def sheet_of(engine: Engine, **changes: Any) -> Any:
    return score(engine.policies.of(SCORING).rubrics["test.rubric"], "p1", {**INPUTS, **changes})


def test_every_requirement_met_scores_the_base(engine: Engine) -> None:
    sheet = sheet_of(engine)
    assert sheet.total == 20 and sheet.sections == {"basic": 20, "bonus": 0}
    assert [line.rule for line in sheet.lines] == [
        "studied",
        "conflict",
        "missed",
        "funds",
        "exact_funds",
        "projects",
        "grade",
    ]


def test_each_kind_of_rule(engine: Engine) -> None:
    sheet = sheet_of(
        engine,
        studied=False,
        conflict=3,
        missed=1,
        funds="19999",
        exact_funds="15000",
        projects=["一类", "二类"],
        grade={"from": "C", "to": "A"},
    )
    points = {line.rule: line.points for line in sheet.lines}
    assert points == {
        "studied": -5,
        "conflict": -3,
        "missed": -3,
        "funds": 5,
        "exact_funds": 3,
        "projects": 70,
        "grade": 20,
    }
    assert sheet.total == 20 - 11 + 98
    fell = sheet_of(engine, grade={"from": "A", "to": "C"})
    assert fell.total == 20 - 20


def test_a_sheet_as_data_is_each_line_as_the_converter_gives_it(engine: Engine) -> None:
    # sheet_data builds the lines from parts shared by every sheet of a rubric (the store
    # records one per person); what it gives is what unstructuring each line gives
    for changes in ({}, {"studied": False, "missed": 5, "projects": ["一类"]}):
        sheet = sheet_of(engine, **changes)
        expected = [
            {**converter.unstructure(line), "points": str(line.points)} for line in sheet.lines
        ]
        assert sheet_data(sheet)["lines"] == expected
        assert any(line["capped"] for line in expected) == bool(changes)


def test_a_line_never_loses_more_than_its_points(engine: Engine) -> None:
    sheet = sheet_of(engine, missed=5)  # 5 × 3 = 15 > the line's 10
    (missed,) = [line for line in sheet.lines if line.rule == "missed"]
    assert missed.points == -10 and missed.capped
    assert sheet.sections["basic"] == 10


def test_every_bad_input_is_named_with_its_rule(engine: Engine) -> None:
    rubric = engine.policies.of(SCORING).rubrics["test.rubric"]
    bad = {**INPUTS, "conflict": 7, "missed": -1, "projects": ["五类"], "typo": 1}
    del bad["funds"]
    with pytest.raises(ScoringError) as caught:
        score(rubric, "p9", bad)
    found = [str(p) for p in caught.value.problems]
    assert any("[test.rubric.conflict]" in p and "outside 1–5" in p for p in found), found
    assert any("[test.rubric.missed]" in p and "count of 0 or more" in p for p in found), found
    assert any("[test.rubric.funds]" in p and "no input 'funds' for p9" in p for p in found)
    assert any("'五类' is not one of the classes" in p for p in found)
    assert any("input 'typo' is read by no rule" in p for p in found)
    assert all(p.startswith("p9:") for p in found)


def test_rubric_problems_are_located(write: Write) -> None:
    broken = (
        RUBRIC.replace("base: 20", "base: 25")
        .replace("per: 3,", "points: 3,")
        .replace("input: exact_funds", "input: funds")
    )
    with pytest.raises(PolicyError) as caught:
        Engine.from_files([write(broken, "broken.yaml")])
    found = [str(p) for p in caught.value.problems]
    assert any("base 25 is not the sum of its lines' points (20)" in p for p in found), found
    assert any("a deduct_per rule needs per" in p for p in found), found
    assert any("a deduct_per rule has no points" in p for p in found), found
    assert any("input 'funds' is read by rule 'funds' already" in p for p in found), found
    assert all("broken.yaml:" in p for p in found)


# --- votes -------------------------------------------------------------------------------

VOTE = VoteRule(
    "test.vote",
    Title("满意度", "Satisfaction"),
    SOURCE,
    ("很满意", "满意", "基本满意", "不满意"),
    ("很满意", "满意"),
    (2, 3),
)


def test_the_quorum_is_compared_exactly() -> None:
    at_quorum = tally(VOTE, "p1", Ballots(60, {"很满意": 20, "满意": 10, "不满意": 10}))
    assert at_quorum.valid and at_quorum.satisfaction == Fraction(30, 40)
    below = tally(VOTE, "p1", Ballots(60, {"很满意": 39}))
    assert not below.valid and below.satisfaction is None
    assert "below the quorum 2/3" in below.reason


def test_impossible_ballots() -> None:
    with pytest.raises(ScoringError) as caught:
        tally(VOTE, "p1", Ballots(10, {"很满意": 8, "还行": 3}))
    found = [str(p) for p in caught.value.problems]
    assert any("'还行' is not an answer" in p for p in found)
    assert any("11 ballots cast but only 10 may vote" in p for p in found)


# --- grades ------------------------------------------------------------------------------


def policy(**changes: Any) -> GradePolicy:
    fields: dict[str, Any] = {
        "id": "test.grades",
        "title": Title("定档", "Grades"),
        "citation": SOURCE,
        "composite": Composite.GIVEN,
        "grades": ("优秀", "良好", "称职", "不称职"),
        "group_by": ("unit",),
        "rest": "称职",
        "rounding": Rounding.FLOOR,
        "ties": Ties.WITHHOLD,
        "vetoed_slot": VetoedSlot.REFILL,
        "top": (Quota("优秀", share=(3, 10)), Quota("良好", share=(3, 10))),
    }
    fields.update(changes)
    return GradePolicy(**fields)


def people(*scores: int | None, lists: dict[str, Any] | None = None) -> list[Candidate]:
    return [
        Candidate(
            f"p{i}",
            f"人员{i}",
            {"unit": "镇街"},
            None if s is None else Fraction(s),
            "no score given" if s is None else "given",
            lists=(lists or {}).get(f"p{i}", {}),
        )
        for i, s in enumerate(scores)
    ]


def grades(p: GradePolicy, candidates: list[Candidate]) -> dict[str, str | None]:
    return {g.person_id: g.grade for g in grade_group(p, ("镇街",), candidates, {})}


def test_a_group_of_seven_rounds_down() -> None:
    result = grade_group(policy(), ("镇街",), people(90, 80, 70, 60, 50, 40, 30), {})
    assert [g.grade for g in result] == ["优秀", "优秀", "良好", "良好", "称职", "称职", "称职"]
    assert result[0].rule == "quota 优秀 3/10 of 7 → 2 (floor, ties withhold)"
    assert [g.place for g in result] == [1, 2, 3, 4, 5, 6, 7]


def test_a_group_of_one_has_no_excellent_when_rounding_down() -> None:
    assert grades(policy(), people(99)) == {"p0": "称职"}
    assert grades(policy(rounding=Rounding.CEIL), people(99)) == {"p0": "优秀"}


def test_a_tie_across_the_boundary() -> None:
    tied = people(90, 80, 80, 70, 60, 50, 40)  # 2 places for 优秀; p1 and p2 tie for the 2nd
    assert grades(policy(), tied) == {
        "p0": "优秀",
        "p1": "良好",
        "p2": "良好",
        "p3": "称职",
        "p4": "称职",
        "p5": "称职",
        "p6": "称职",
    }
    extended = grades(policy(ties=Ties.EXTEND), tied)
    assert [extended[p] for p in ("p0", "p1", "p2")] == ["优秀", "优秀", "优秀"]


VETO = Veto("v", Title("否决", "Veto"), SOURCE, "优秀", VetoKind.LIST_HIT, list="bad.list")


def test_a_vetoed_person_is_never_excellent_and_the_place_is_refilled_or_left() -> None:
    hit = {"p0": {"bad.list": __import__("governance_core").Outcome.HIT}}
    ceil = policy(vetoes=(VETO,), rounding=Rounding.CEIL)  # 1 place for 优秀, 1 for 良好
    refill = grade_group(ceil, ("镇街",), people(90, 80, 70, lists=hit), {})
    assert [(g.person_id, g.grade) for g in refill] == [
        ("p0", "良好"),
        ("p1", "优秀"),
        ("p2", "称职"),
    ]
    (note,) = refill[0].notes  # the veto in words, with what decided it and its article
    assert note.endswith(": list bad.list is hit, so not 优秀 (第一条)")
    candidates = people(99, 90, 80, 70, 60, 50, 40, 30, 20, 10, lists=hit)
    refilled = grades(policy(vetoes=(VETO,)), candidates)
    assert refilled["p0"] == "良好" and refilled["p1"] == refilled["p2"] == refilled["p3"] == "优秀"
    left = grades(policy(vetoes=(VETO,), vetoed_slot=VetoedSlot.LEAVE), candidates)
    assert left["p0"] == "良好" and [left[p] for p in ("p1", "p2", "p3")] == [
        "优秀",
        "优秀",
        "良好",
    ]


def test_a_veto_names_its_list_by_title_with_the_id_beside_it() -> None:
    from governance_core import Outcome
    from governance_core.messages import in_language

    hit = {"p0": {"bad.list": Outcome.HIT}}
    titles = {"bad.list": Title("负面清单", "Negative list")}
    with in_language("zh"):
        (graded,) = grade_group(
            policy(vetoes=(VETO,)), ("镇街",), people(90, lists=hit), {}, titles
        )
    assert "命中清单 “负面清单”（bad.list）" in graded.notes[0]
    (untitled,) = grade_group(policy(vetoes=(VETO,)), ("镇街",), people(90, lists=hit), {})
    assert "list bad.list is hit" in untitled.notes[0]  # a caller without the titles


def test_an_unknown_veto_makes_the_grade_inconclusive() -> None:
    result = grade_group(policy(vetoes=(VETO,)), ("镇街",), people(90), {})
    assert not result[0].conclusive and "cannot be known" in result[0].notes[0]


def test_overrides_set_the_grade_directly_and_the_worst_wins() -> None:
    from governance_core import Outcome

    overrides = (
        Override(
            "unfit", Title("不称职", "Unfit"), SOURCE, "不称职", OverrideKind.LIST_HIT, list="u"
        ),
        Override("good", Title("良好", "Good"), SOURCE, "良好", OverrideKind.LIST_HIT, list="g"),
    )
    hits = {
        "p0": {"u": Outcome.HIT, "g": Outcome.HIT},
        "p1": {"u": Outcome.NOT_HIT, "g": Outcome.HIT},
    }
    result = {
        g.person_id: g
        for g in grade_group(policy(overrides=overrides), ("镇街",), people(99, 10, lists=hits), {})
    }
    assert result["p0"].grade == "不称职" and result["p0"].decided_by == "override unfit"
    assert result["p0"].rule.endswith(": list u is hit (第一条)")
    assert result["p1"].grade == "良好" and result["p1"].place is None


def test_a_person_without_a_score_gets_no_grade() -> None:
    result = grade_group(policy(), ("镇街",), people(None, 50), {})
    missing = next(g for g in result if g.person_id == "p0")
    assert missing.grade is None and not missing.conclusive and "no score given" in missing.rule


def test_bottom_quotas_fill_from_the_worst() -> None:
    p = policy(
        top=(Quota("优秀", share=(4, 10)),), bottom=(Quota("不称职", share=(1, 10)),), rest="良好"
    )
    result = grades(p, people(*range(100, 0, -10)))
    assert [result[f"p{i}"] for i in range(10)] == ["优秀"] * 4 + ["良好"] * 5 + ["不称职"]


# --- the command line ----------------------------------------------------------------------

JIAOZHOU_DOCS = ROOT / "plugins_contrib" / "jiaozhou" / "docs"


@pytest.mark.districts
def test_rank_writes_a_workbook_with_a_sheet_per_group(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from governance_core.cli import app

    output = tmp_path / "grades.xlsx"
    args = ["rank", str(JIAOZHOU_DOCS / "example-assessment.yaml"), "--plugin", "jiaozhou"]
    result = CliRunner().invoke(app, [*args, "-f", "xlsx", "--output", str(output)])
    assert result.exit_code == 0, result.output
    book = load_workbook(output)
    assert book.sheetnames[0] == "汇总" and len(book.sheetnames) == 3
    group = book[book.sheetnames[2]]
    assert [c.value for c in group[1]][:3] == ["名次", "人员编号", "姓名"]
    assert not list(tmp_path.glob(".*partial"))
    missing = CliRunner().invoke(app, [*args, "-f", "xlsx"])
    assert missing.exit_code == 2 and "--output" in missing.output


@pytest.mark.districts
def test_score_and_rank_as_json(tmp_path: Path) -> None:
    import orjson
    from typer.testing import CliRunner

    from governance_core.cli import app

    path = str(JIAOZHOU_DOCS / "example-assessment.yaml")
    result = CliRunner().invoke(app, ["score", path, "--plugin", "jiaozhou", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = orjson.loads(result.stdout)
    assert data["sheets"]["j002"]["total"] == "171"
    assert data["votes"]["j007"]["valid"] is False
    table = CliRunner().invoke(app, ["score", path, "--plugin", "jiaozhou", "--person", "j001"])
    assert table.exit_code == 0 and "未组织学习" in table.output


@pytest.mark.districts
def test_a_bad_assessment_file_exits_1_and_says_where(write: Write) -> None:
    from typer.testing import CliRunner

    from governance_core.cli import app

    text = (JIAOZHOU_DOCS / "example-assessment.yaml").read_text(encoding="utf-8")
    bad = write(text.replace("person: j002", "person: j001", 1))
    result = CliRunner().invoke(app, ["rank", str(bad), "--plugin", "jiaozhou"])
    assert result.exit_code == 1
    assert "人员 'j001' 重复出现" in result.output and "Traceback" not in result.output
    negative = write(text.replace("meetings_missed: 0", "meetings_missed: -1", 1), "neg.yaml")
    result = CliRunner().invoke(app, ["rank", str(negative), "--plugin", "jiaozhou"])
    assert result.exit_code == 1
    assert (
        "j001: [jiaozhou.first_secretary_goals.work_meetings] 输入 'work_meetings_missed'：应为 0 或更大的次数"
        in result.output
    )


def test_a_quota_sized_by_a_parameter() -> None:
    bottom = (Quota("不称职", parameter="bottom_k"),)
    p = policy(top=(), bottom=bottom)
    result = grades(p, people(90, 80, 70, 60))
    assert result == {"p0": "称职", "p1": "称职", "p2": "称职", "p3": "称职"}
    sized = {
        g.person_id: g for g in grade_group(p, ("镇街",), people(90, 80, 70, 60), {"bottom_k": 2})
    }
    assert [sized[f"p{i}"].grade for i in range(4)] == ["称职", "称职", "不称职", "不称职"]
    assert sized["p3"].conclusive and sized["p3"].rule.startswith("quota 不称职: 2 of 4 (bottom_k)")
    unsized = grade_group(p, ("镇街",), people(90, 80), {})
    assert all(
        not g.conclusive and "quota 不称职: bottom_k has no value" in g.notes for g in unsized
    )


def test_grades_by_score_bands() -> None:
    from governance_core.rules.scoring import Band

    p = policy(top=(), bands=(Band("优秀", "excellent_from"), Band("良好", "good_from")))
    thresholds = {"excellent_from": 90, "good_from": 75}
    result = {g.person_id: g for g in grade_group(p, ("镇街",), people(95, 80, 60), thresholds)}
    assert [result[f"p{i}"].grade for i in range(3)] == ["优秀", "良好", "称职"]
    assert result["p0"].rule == "band 优秀: score ≥ 90 (excellent_from)"
    unpublished = grade_group(p, ("镇街",), people(95), {"good_from": 75})
    assert unpublished[0].grade == "良好" and not unpublished[0].conclusive
    assert "band 优秀: excellent_from has no value" in unpublished[0].notes


def test_a_policy_or_rubric_not_in_effect_is_an_error(engine: Engine) -> None:
    rubric = next(iter(engine.policies.of(SCORING).rubrics.values()))
    ended = attrs.evolve(rubric, effective_to=date(2023, 12, 31))
    grading = attrs.evolve(policy(), effective_from=date(2025, 1, 1))
    with pytest.raises(ScoringError) as raised:
        assess(
            grading,
            [],
            rubric=ended,
            vote_rule=None,
            parameters={},
            list_outcomes={},
            as_of=date(2024, 12, 31),
        )
    assert [p.message for p in raised.value.problems] == [
        "grade policy 'test.grades' is not in effect on 2024-12-31",
        f"rubric {rubric.id!r} is not in effect on 2024-12-31",
    ]
    assert raised.value.problems[1].hint == (
        "it is in effect from — to 2023-12-31: assess as of a date in that range"
    )


def test_a_group_no_bigger_than_a_quota_of_people_is_warned() -> None:
    # 市中区 bars the bottom 2 of a town; a town of one village: its secretary is last
    p = policy(top=(), bottom=(Quota("不称职", count=2),))
    (alone,) = grade_group(p, ("镇街",), people(90), {})
    assert alone.grade == "不称职"
    assert any("the group has 1, no more than the 2 of quota 不称职" in n for n in alone.notes)
    # a town of five is what the rule presumes: no such note
    assert not any(
        "no more than" in n
        for g in grade_group(p, ("镇街",), people(9, 8, 7, 6, 5), {})
        for n in g.notes
    )


def test_a_tie_at_a_quotas_edge_names_the_tied_and_what_it_did() -> None:
    # 优秀: 3/10 of 10 → 3 places; places 3 and 4 tie at 80
    scores = (95, 90, 80, 80, 70, 60, 50, 40, 30, 20)
    withheld = {g.person_id: g for g in grade_group(policy(), ("镇街",), people(*scores), {})}
    assert withheld["p2"].grade == withheld["p3"].grade == "良好"
    said = "tied at the edge of quota 优秀: 人员2、人员3 all scored 80, 2 for 1 place(s) left"
    assert any(n.startswith(said) and "none of them" in n for n in withheld["p2"].notes)
    extended = grade_group(policy(ties=Ties.EXTEND), ("镇街",), people(*scores), {})
    assert [g.grade for g in extended][:4] == ["优秀"] * 4
    assert any("all of them are given 优秀" in n for n in extended[3].notes)
