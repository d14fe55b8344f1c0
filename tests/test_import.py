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


def test_a_workbook_becomes_a_roster_the_engine_reads(tmp_path: Path) -> None:
    roster = read_roster_tables(workbook(tmp_path / "book.xlsx", SHEETS))
    assert [o.level for o in roster.organisations] == [
        OrgLevel.DISTRICT, OrgLevel.TOWN, OrgLevel.VILLAGE
    ]  # fmt: skip
    assert len(roster.people) == 1 and roster.posts[0].area is not None
    engine = Engine.load(plugins=["shizhong"])
    (v,) = engine.evaluate("shizhong.exit_conditions", roster, date(2024, 6, 30))
    assert v.outcome.value == "hit" and v.met()[0].evidence == ("F-2024-007",)


def test_the_command_writes_a_roster_file(tmp_path: Path) -> None:
    out = tmp_path / "roster.yaml"
    result = runner.invoke(
        app, ["import", str(workbook(tmp_path / "book.xlsx", SHEETS)), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "3 organisations, 1 people, 1 posts, 1 findings" in result.output
    assert load_roster(out) == read_roster_tables(tmp_path / "book.xlsx")


def test_every_problem_names_sheet_row_and_column_and_nothing_is_written(tmp_path: Path) -> None:
    bad: dict[str, list[list[Any]]] = {
        **SHEETS,
        "人员": [["编号", "姓名", "出生日期", "学位"], ["p002", "李明", "去年", "本科"]],
        "职务": [["人员", "职务", "组织", "任职开始"], ["p009", "党组织书记", "houcun", date(2022, 5, 10)]],
    }  # fmt: skip
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
    result = runner.invoke(app, ["import", str(path), "-o", str(out)])
    assert result.exit_code == 1 and "bad.xlsx[人员]:2:3" in result.output
    assert out.read_text(encoding="utf-8") == "kept"  # nothing written


def test_rows_naming_what_the_roster_does_not_hold_are_located(tmp_path: Path) -> None:
    bad: dict[str, list[list[Any]]] = {**SHEETS, "职务": [["人员", "职务", "组织", "任职开始"],
                              ["p009", "党组织书记", "nowhere", date(2022, 5, 10)]]}  # fmt: skip
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
