"""`governance template`: what the template writes, the readers read (issue 34). Every
loaded plugin's template, its example rows taken as data, is read and run as a district's
book; left as written, its examples are read by nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from governance_core.cli import app
from governance_core.engine import Engine
from governance_core.jobs.cycle_run import run_period
from governance_core.jobs.district_inputs import read_district, read_roster
from governance_core.present.template import write_template
from governance_core.rules.cycles import CYCLES, Period
from governance_core.storage import SqlStore

DISTRICTS = [
    "shizhong",
    "jiaozhou",
    "jiaxiang",
    "jining",
    "wenshang",
    "yicheng",
    "yutai",
    "zichuan",
]


def _as_data(template: Path, filled: Path) -> Path:
    """The template with its example rows' 示例 mark removed: what a clerk who typed those
    rows would hand in."""
    book = load_workbook(template)
    for sheet in book:
        header = [c.value for c in sheet[1]]
        if "备注" in header:
            column = header.index("备注") + 1
            for row in range(2, sheet.max_row + 1):
                sheet.cell(row, column).value = None
    book.save(filled)
    return filled


def test_the_library_alone_writes_the_roster_sheets_checked_and_locked(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    made = write_template(Engine.load(), path, Period.parse("2024Q4"))
    assert made.steps == ()
    book = load_workbook(path)
    assert book.sheetnames == ["说明", "组织", "人员", "职务", "认定", "材料", "等次", "组织记录"]
    people = book["人员"]
    assert [c.value for c in people[1]][:2] == ["编号", "姓名"] and people.protection.sheet
    assert people.cell(1, 1).protection.locked and not people.cell(2, 1).protection.locked
    levels = [v for v in book["组织"].data_validations.dataValidation if v.type == "list"]
    assert levels and "说明" in str(levels[0].formula1)
    assert [c.value for c in book["组织"]["A"][1:]] == ["d001", "t001", "v001"]
    # the examples are read by nothing: the roster of the template as written is empty
    roster = read_roster(path)
    assert roster.people == () or list(roster.people) == []
    # taken as data, they are a roster that reads
    filled = read_roster(_as_data(path, tmp_path / "f.xlsx"))
    assert [p.id for p in filled.people] == ["p001"]


@pytest.mark.districts
@pytest.mark.parametrize("plugin", DISTRICTS)
def test_every_plugins_template_reads_and_runs(tmp_path: Path, plugin: str) -> None:
    engine = Engine.load(plugins=[plugin])
    period = Period.parse("2024Q4")
    made = write_template(engine, tmp_path / "t.xlsx", period)
    filled = _as_data(tmp_path / "t.xlsx", tmp_path / "f.xlsx")
    cycles = engine.policies.of(CYCLES).cycles.values()
    district = read_district(filled, [], {s.id for c in cycles for s in c.steps})
    assert district.problems == ()
    assert district.roster is not None and [p.id for p in district.roster.people] == ["p001"]
    if not made.steps:
        return
    report = run_period(engine, period, district, SqlStore("sqlite://"))
    ran = {s.planned.step.id for s in report.steps if s.done}
    assert {s.step.id for s in made.steps if s.periods} <= ran
    assert district.unused() == []


@pytest.mark.districts
def test_the_command_writes_a_book_run_reads(tmp_path: Path) -> None:
    book = tmp_path / "区.xlsx"
    runner = CliRunner()
    made = runner.invoke(
        app,
        ["template", "--plugin", "shizhong", "--period", "2024Q4", "--output", str(book)],
    )
    assert made.exit_code == 0, made.output
    assert "monthly_ranking" in made.output
    notes = [c.value for c in load_workbook(book)["说明"]["A"]]
    assert any("示例" in str(line) for line in notes)
    filled = str(_as_data(book, tmp_path / "f.xlsx"))
    where = ["--database", f"sqlite:///{tmp_path / 'g.db'}", "--output", str(tmp_path / "out.xlsx")]
    ran = runner.invoke(
        app, ["run", "--roster", filled, "--plugin", "shizhong", "--period", "2024Q4", *where]
    )
    assert ran.exit_code == 0, ran.output
    assert (tmp_path / "out.xlsx").exists()


def test_a_bad_period_or_folder_is_refused(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(app, ["template", "--period", "2024Q5", "--output", str(tmp_path / "t")])
    assert bad.exit_code == 2 and "--period" in bad.output
    nowhere = runner.invoke(app, ["template", "--output", str(tmp_path / "no" / "t.xlsx")])
    assert nowhere.exit_code == 2 and "不存在" in nowhere.output
