"""`governance import`: a roster from a workbook or CSV files, every problem at its sheet,
row and column, and nothing written unless the whole of it is valid."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from governance_core import Engine, load_roster
from governance_core.cli import app
from governance_core.errors import RosterError
from governance_core.model import OrgLevel
from governance_core.model.roster_tables import read_roster_tables
from governance_core.rules.scoring import read_assessment
from governance_core.rules.scoring.kind import SCORING

runner = CliRunner()

SHEETS: dict[str, list[list[Any]]] = {
    "组织": [
        ["编号", "名称", "层级", "上级"],
        ["shizhong", "市中区", "区", None],
        ["qicun", "齐村镇", "镇", "shizhong"],
        ["houcun", "后村", "村", "qicun"],
    ],
    "人员": [
        ["编号", "姓名", "出生日期", "性别", "学历"],
        ["p002", "李明", date(1980, 11, 2), "男", "高中"],
        [None, None, None, None, None],  # an empty row is skipped
    ],
    "职务": [
        ["人员", "职务", "组织", "任职开始", "地域"],
        ["p002", "党组织书记", "houcun", date(2022, 5, 10), "农村"],
    ],
    "认定": [
        ["编号", "人员", "类型", "认定日期", "认定机关", "依据"],
        ["F-2024-007", "p002", "长期不履职", date(2024, 4, 12), "齐村镇党委", "齐党发〔2024〕7号"],
    ],
}


def workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


@pytest.mark.districts
def test_a_workbook_becomes_a_roster_the_engine_reads(tmp_path: Path) -> None:
    roster = read_roster_tables(workbook(tmp_path / "book.xlsx", SHEETS))
    assert [o.level for o in roster.organisations] == [
        OrgLevel.DISTRICT,
        OrgLevel.TOWN,
        OrgLevel.VILLAGE,
    ]
    assert len(roster.people) == 1 and roster.posts[0].area is not None
    engine = Engine.load(plugins=["shizhong"])
    (v,) = engine.evaluate("shizhong.exit_conditions", roster, date(2024, 6, 30))
    assert v.outcome.value == "hit" and v.met()[0].evidence == ("F-2024-007",)


def test_the_command_writes_a_roster_file(tmp_path: Path) -> None:
    out = tmp_path / "roster.yaml"
    result = runner.invoke(
        app, ["import", str(workbook(tmp_path / "book.xlsx", SHEETS)), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "组织 3，人员 1，职务 1，认定 1" in result.output
    assert load_roster(out) == read_roster_tables(tmp_path / "book.xlsx")


def test_the_output_is_written_in_the_format_its_suffix_names(tmp_path: Path) -> None:
    import orjson

    book = workbook(tmp_path / "book.xlsx", SHEETS)
    out = tmp_path / "roster.json"
    result = runner.invoke(app, ["import", str(book), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert orjson.loads(out.read_bytes())["people"][0]["name"] == "李明"  # JSON, not YAML
    assert load_roster(out) == read_roster_tables(book)
    refused = runner.invoke(app, ["import", str(book), "--output", str(tmp_path / "r.txt")])
    assert refused.exit_code == 2 and ".json" in refused.output
    assert not (tmp_path / "r.txt").exists()


def test_every_problem_names_sheet_row_and_column_and_nothing_is_written(tmp_path: Path) -> None:
    bad: dict[str, list[list[Any]]] = {
        **SHEETS,
        "人员": [["编号", "姓名", "出生日期", "学位"], ["p002", "李明", "去年", "本科"]],
        "职务": [
            ["人员", "职务", "组织", "任职开始"],
            ["p009", "党组织书记", "houcun", date(2022, 5, 10)],
        ],
    }
    path = workbook(tmp_path / "bad.xlsx", bad)
    with pytest.raises(RosterError) as caught:
        read_roster_tables(path)
    (unknown,) = caught.value.problems
    assert (unknown.file, unknown.line, unknown.column) == (f"{path}[人员]", 1, 4)
    assert "unknown column '学位'" in unknown.message  # headers first: one pass per kind
    del bad["人员"][0][3], bad["人员"][1][3]
    path = workbook(tmp_path / "bad.xlsx", bad)
    with pytest.raises(RosterError) as caught:
        read_roster_tables(path)
    (date_problem,) = caught.value.problems
    assert (date_problem.file, date_problem.line, date_problem.column) == (f"{path}[人员]", 2, 3)
    out = tmp_path / "roster.yaml"
    out.write_text("kept", encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--output", str(out)])
    assert result.exit_code == 1 and "bad.xlsx[人员]:2:3" in result.output
    assert out.read_text(encoding="utf-8") == "kept"  # nothing written


def test_rows_naming_what_the_roster_does_not_hold_are_located(tmp_path: Path) -> None:
    bad: dict[str, list[list[Any]]] = {
        **SHEETS,
        "职务": [
            ["人员", "职务", "组织", "任职开始"],
            ["p009", "党组织书记", "nowhere", date(2022, 5, 10)],
        ],
    }
    path = workbook(tmp_path / "bad.xlsx", bad)
    with pytest.raises(RosterError) as caught:
        read_roster_tables(path)
    found = {(p.file, p.line, p.column, p.message) for p in caught.value.problems}
    assert found == {
        (f"{path}[职务]", 2, 1, "no person 'p009'"),
        (f"{path}[职务]", 2, 3, "no organisation 'nowhere'"),
    }


def test_a_folder_of_csv_files(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "people.csv").write_text("id,name,birth_date\np1,张三,1970-05-01\n", "utf-8-sig")
    (folder / "组织.csv").write_text("编号,名称,层级\nd,示例区,区\n", "utf-8")
    roster = read_roster_tables(folder)
    assert roster.people[0].birth_date == date(1970, 5, 1)
    assert roster.organisations[0].level is OrgLevel.DISTRICT
    (folder / "unknown.csv").write_text("a\n1\n", "utf-8")
    with pytest.raises(RosterError, match="no table is called 'unknown'"):
        read_roster_tables(folder)


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_csv_saved_by_chinese_excel_reads_as_the_utf8_one(tmp_path: Path, encoding: str) -> None:
    tables = {
        "人员.csv": "编号,姓名,出生日期,性别,学历\np1,张三,1970-05-01,男,高中\np2,李晓燕,1982-03-09,女,大专\n",
        "组织.csv": "编号,名称,层级,上级\nd,示例区,区,\nt,齐村镇,镇,d\n",
    }
    read = {}
    for name, saved in (("utf8", "utf-8-sig"), ("chinese", encoding)):
        folder = tmp_path / name
        folder.mkdir()
        for file, text in tables.items():
            (folder / file).write_bytes(text.encode(saved))
        read[name] = read_roster_tables(folder)
    assert read["chinese"] == read["utf8"] and read["chinese"].people[1].name == "李晓燕"


def test_a_csv_in_neither_encoding_is_refused_at_its_byte(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "人员.csv").write_bytes("编号,姓名\np1,".encode() + b"\x80\xff\xfe\n")
    with pytest.raises(RosterError) as caught:
        read_roster_tables(folder)
    (problem,) = caught.value.problems
    assert "GB18030" in problem.message and problem.line == 2 and problem.hint


# --- an assessment's inputs and ballots -----------------------------------------------------

ALL_MET = {
    "team_study_organised": True,
    "team_conflict_deduction": 0,
    "party_training_held": True,
    "study_tours": 0,
    "new_leader_for_lagging_village": False,
    "development_plan": True,
    "annual_work_plan": True,
    "irregular_decisions": 0,
    "democratic_days_missed": 0,
    "membership_review": False,
    "credit_rating_system": False,
    "office_equipment": False,
    "venue_investment_yuan": 0,
    "service_agency_point": False,
    "field_research_deduction": 0,
    "research_report_submitted": True,
    "work_meetings_missed": 0,
    "meetings_missed": 0,
    "heart_to_heart_deduction": 0,
    "open_to_interviews_deduction": 0,
    "paired_households_missing": 0,
    "paired_households_visited": True,
    "student_aid": False,
    "jobs_found": 0,
    "poverty_projects": 0,
    "relief_applications": 0,
    "discipline_breaches": 0,
    "serious_discipline_breaches": 0,
    "verified_complaints": 0,
    "serious_verified_complaints": 0,
    "funds_obtained_yuan": 0,
    "policy_funds_yuan": 0,
    "demonstration_bases": 0,
}
GROUPS = ["分组:unit", "分组:attendance", "分组:rank_class"]


def assessment_book(path: Path, inputs: dict[str, Any], cast: dict[str, int]) -> Path:
    entries = [["人员", "姓名", *GROUPS, *inputs]]
    for person in ("j1", "j2"):
        entries.append([person, person, "镇街", "脱产", "正股级", *inputs.values()])
    ballots = [["人员", "应参评人数", *cast]] + [[p, 50, *cast.values()] for p in ("j1", "j2")]
    return workbook(path, {"评分": entries, "投票": ballots})


@pytest.mark.districts
def test_an_assessment_s_inputs_and_ballots(tmp_path: Path) -> None:
    cells = {
        **ALL_MET,
        "party_training_held": "否",
        "projects_introduced": "一类、三类",
        "organisation_grade": "D→B",
    }
    book = assessment_book(tmp_path / "a.xlsx", cells, {"很满意": 30, "满意": 10})
    out = tmp_path / "a.yaml"
    command = [
        "import",
        str(book),
        "--assessment",
        str(out),
        "--grade-policy",
        "jiaozhou.first_secretary_grades",
        "--as-of",
        "2024-12-31",
        "--plugin",
        "jiaozhou",
    ]
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    assert "条评分 2" in result.output and not (tmp_path / "roster.yaml").exists()
    read = read_assessment(out)
    (j1, _) = read.entries
    assert j1.groups == {"unit": "镇街", "attendance": "脱产", "rank_class": "正股级"}
    assert j1.ballots is not None and j1.ballots.eligible == 50
    assessed = Engine.load(plugins=["jiaozhou"]).assess(read.policy, read.entries, read.as_of)
    # 100 − 10 (no training) + 60 (一类 40 + 三类 20) + 20 (two steps up), × 40/40
    assert {g.score for g in assessed.graded} == {170}


@pytest.mark.districts
def test_an_assessment_s_problems_at_their_cells(tmp_path: Path) -> None:
    engine = Engine.load(plugins=["jiaozhou"])
    scoring = engine.policies.of(SCORING)
    policy = scoring.grade_policy("jiaozhou.first_secretary_grades")
    from governance_core.errors import ScoringError
    from governance_core.rules.scoring.assessment_tables import read_assessment_tables

    inputs = {
        **ALL_MET,
        "projects_introduced": "二类",
        "organisation_grade": "B→B",
        "meetings_missed": "两次",
        "meeting_missed": 1,
    }
    book = assessment_book(tmp_path / "a.xlsx", inputs, {"很满意": 30, "非常满意": 1})
    with pytest.raises(ScoringError) as caught:
        read_assessment_tables(
            book,
            policy,
            as_of=date(2024, 12, 31),
            rubric=scoring.rubric(policy.rubric or ""),
            vote=scoring.votes[policy.vote or ""],
        )
    found = {(p.file, p.line, p.column): p for p in caught.value.problems}
    column = 6 + list(inputs).index("meeting_missed")
    typo = found[(f"{book}[评分]", 2, column)]
    assert "read by no rule" in typo.message and typo.hint == "did you mean 'meetings_missed'?"
    wrong = found[(f"{book}[评分]", 2, 6 + list(inputs).index("meetings_missed"))]
    assert "meetings_missed" in wrong.message
    answer = found[(f"{book}[投票]", 2, 4)]
    assert "'非常满意' is not an answer of jiaozhou.satisfaction" in answer.message


SAMPLE = Path(__file__).parents[2] / "src/governance_core/examples/sample-district.xlsx"


@pytest.mark.districts
def test_import_reads_the_sample_books_scores_as_run_does(tmp_path: Path) -> None:
    # its 评分 sheet holds four periods in a 期间 column: one is chosen, as run chooses
    base = ["import", str(SAMPLE), "--output", str(tmp_path / "r.yaml"), "--plugin", "shizhong"]
    base += ["--assessment", str(tmp_path / "a.yaml"), "--grade-policy", "shizhong.monthly_ranking"]
    done = runner.invoke(app, [*base, "--period", "2024-11"])
    assert done.exit_code == 0, done.output
    read = read_assessment(tmp_path / "a.yaml")
    assert read.as_of == date(2024, 11, 30) and len(read.entries) == 4
    several = runner.invoke(app, [*base, "--as-of", "2024-10-31"])
    assert several.exit_code == 1 and "2024-10, 2024-11, 2024-12, 2024Q4" in several.output
    assert "--period" in several.output
    none = runner.invoke(app, [*base, "--period", "2025-01"])
    assert none.exit_code == 1 and "2025-01" in none.output
    assert "Traceback" not in several.output + none.output


def test_a_missing_required_column_is_one_problem_at_the_header(tmp_path: Path) -> None:
    people: list[list[Any]] = [["编号", "出生日期"], *[[f"p{n}", None] for n in range(30)]]
    sheets = {**SHEETS, "人员": people}
    with pytest.raises(RosterError) as caught:
        read_roster_tables(workbook(tmp_path / "book.xlsx", sheets))
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (1, 3) and "name" in problem.message
    assert problem.hint is not None and "姓名" in problem.hint
