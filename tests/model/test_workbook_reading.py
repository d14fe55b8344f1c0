"""Workbooks are read by python-calamine (files/_xlsx.py), and by openpyxl when a cell does
not say where it is: both give the same tables, at the same cells, and calamine is never
asked for a block past the table limits."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from governance_core.errors import RosterError
from governance_core.files import _xlsx, tables
from governance_core.model.roster_tables import ROSTER_TABLES, read_roster_tables
from tests.support import ROOT

SAMPLE = ROOT / "src" / "governance_core" / "examples" / "sample-district.xlsx"


def _book(tmp_path: Path) -> Path:
    book = Workbook()
    people = book.active
    assert people is not None
    people.title = "人员"
    people.append(["编号", "姓名", "出生日期"])
    people.append([1001, " 张三 ", date(1980, 5, 1)])  # a number where an id is kept: 1001
    people.append([None, None, None])
    people.append(["p2", "李四", datetime(1975, 1, 2, 0, 0)])
    path = tmp_path / "book.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("source", ["sample", "made"])
def test_calamine_and_openpyxl_read_the_same_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    path = SAMPLE if source == "sample" else _book(tmp_path)
    fast = tables.read_tables(path, ROSTER_TABLES, RosterError, skip={"评分"})
    monkeypatch.setattr(_xlsx, "extent", lambda _archive: None)  # as if a cell had no reference
    streamed = tables.read_tables(path, ROSTER_TABLES, RosterError, skip={"评分"})
    assert fast.data == streamed.data
    assert dict(fast.values) == dict(streamed.values)


def test_numbers_and_dates_read_as_a_clerk_typed_them(tmp_path: Path) -> None:
    located = tables.read_tables(_book(tmp_path), ROSTER_TABLES, RosterError)
    first, second = located.data["people"]
    assert first == {"id": 1001, "name": "张三", "birth_date": date(1980, 5, 1)}
    assert second["birth_date"] == date(1975, 1, 2)
    where = located.position(("people", 1, "name"))
    assert where is not None and (where.line, where.column) == (4, 2)  # the empty row skipped


def test_a_cell_far_away_is_refused_before_calamine_reads(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "人员"
    sheet.append(["编号", "姓名"])
    sheet["GR150000"] = "远处"  # 200 columns by 150,000 rows: thirty million cells as a block
    path = tmp_path / "far.xlsx"
    book.save(path)
    with pytest.raises(RosterError) as raised:
        read_roster_tables(path)
    assert "4,000,000" in str(raised.value) or "行" in str(raised.value)


def test_a_control_character_in_a_cell_is_located(tmp_path: Path) -> None:
    import xlsxwriter  # openpyxl refuses to write one; Excel and XlsxWriter escape it (_x0007_)

    path = tmp_path / "bell.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("人员")
    for row, values in enumerate([["编号", "姓名"], ["p1", "张三"], ["p2", "李\x07四"]]):
        sheet.write_row(row, 0, values)
    book.close()
    with pytest.raises(RosterError) as raised:
        tables.read_tables(path, ROSTER_TABLES, RosterError)
    (problem,) = raised.value.problems
    assert (problem.line, problem.column) == (3, 2)
    assert problem.file is not None and problem.file.endswith("[人员]")


def test_the_records_organisations_keep_read_from_their_sheet(tmp_path: Path) -> None:
    book = Workbook()
    tree = book.active
    assert tree is not None
    tree.title = "组织"
    for row in (
        ["编号", "名称", "层级", "上级"],
        ["d", "区", "区", None],
        ["v1", "东村", "村", "t"],
    ):
        tree.append(row)
    tree.append(["t", "镇", "镇", "d"])
    book.create_sheet("人员").append(["编号", "姓名"])
    kept = book.create_sheet("组织记录")
    kept.append(["编号", "组织", "类型", "日期"])
    kept.append(["M1", "v1", "党员和村民代表会议", date(2024, 11, 20)])
    kept.append(["M2", "v9", "党员和村民代表会议", date(2024, 11, 20)])
    path = tmp_path / "book.xlsx"
    book.save(path)
    with pytest.raises(RosterError) as raised:
        read_roster_tables(path)
    (problem,) = raised.value.problems
    assert "v9" in problem.message and problem.file is not None and "组织记录" in problem.file
    assert (problem.line, problem.column) == (3, 2)
    book["组织记录"].delete_rows(3)
    book.save(path)
    roster = read_roster_tables(path)
    (record,) = roster.organisation_records
    assert (record.organisation, record.kind, record.dated) == (
        "v1",
        "党员和村民代表会议",
        date(2024, 11, 20),
    )
