"""Workbooks the project writes cannot attack their reader: text that Excel would take for a
formula is stored as text (OWASP formula injection), sheet titles are what Excel accepts."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from governance_core.cli import app
from governance_core.files.spreadsheets import sheet_title, writing_book

JIAOZHOU = Path(__file__).parents[2] / "plugins_contrib" / "jiaozhou" / "docs"
ATTACKS = ['=HYPERLINK("http://x","点此")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_text_that_looks_like_a_formula_is_read_back_as_text(tmp_path: Path) -> None:
    with writing_book(tmp_path / "out.xlsx") as book:
        book.table("表", ["一"] * 8, [[*ATTACKS, "普通文本", 12]])
    cells = list(load_workbook(tmp_path / "out.xlsx").active.iter_rows())[1]  # type: ignore[union-attr]
    assert [c.data_type for c in cells] == ["s"] * (len(ATTACKS) + 1) + ["n"]
    # a carriage return is written as OOXML's escape, which Excel reads back (openpyxl does not)
    assert [c.value for c in cells[: len(ATTACKS)]] == [a.replace("\r", "_x000D_") for a in ATTACKS]
    assert all(c.quotePrefix for c in cells[: len(ATTACKS)])


def test_a_row_written_whole_keeps_text_as_text(tmp_path: Path) -> None:
    """Columns of plain text, numbers and booleans are written a row at a time: a link or
    a formula in a column of its own is still written as text, a short row leaves its cells
    blank, and empty text is a blank cell, on both paths."""
    from datetime import date
    from decimal import Decimal

    rows: list[list[object]] = [
        ["http://x.org/a", "普通", 1, True, "", Decimal("1.10"), date(2024, 1, 2)],
        ["mailto:a@b.cn", "=1+1", 2.5, False],
        [],
    ]
    with writing_book(tmp_path / "out.xlsx") as book:
        book.table("表", ["链接", "文本", "数", "是否", "空", "金额", "日期"], rows)  # type: ignore[arg-type]
    sheet = load_workbook(tmp_path / "out.xlsx").active
    assert sheet is not None
    cells = [[(c.value, c.data_type, c.hyperlink) for c in r] for r in sheet.iter_rows()][1:]
    assert cells[0][:4] == [
        ("http://x.org/a", "s", None),
        ("普通", "s", None),
        (1, "n", None),
        (True, "b", None),
    ]
    assert [v for v, _t, _h in cells[0][4:]] == [None, 1.1, "2024-01-02"]
    assert [v for v, _t, _h in cells[1][:4]] == ["mailto:a@b.cn", "=1+1", 2.5, False]
    assert sheet["B3"].quotePrefix
    assert sheet["E3"].value is None and len(cells) == 2  # the short rows: blank, nothing written


def test_a_long_heading_over_a_column_no_row_reaches_is_written(tmp_path: Path) -> None:
    """A heading wider than a column wraps, and its row is sized, even where no row has a
    cell under it (every row shorter than the header)."""
    long = "说明" * 30
    with writing_book(tmp_path / "out.xlsx") as book:
        book.table("表", ["编号", long], [["a"], ["b"]])
    sheet = load_workbook(tmp_path / "out.xlsx").active
    assert sheet is not None
    assert sheet["B1"].value == long and sheet["A3"].value == "b"
    assert sheet.row_dimensions[1].height is not None and sheet.row_dimensions[1].height > 15


@pytest.mark.parametrize("name", ["[/x]", "a:b*c?d/e\\f", "=cmd|'/C calc'!A0", "x" * 40, "'"])
def test_sheet_titles_are_ones_excel_accepts(tmp_path: Path, name: str) -> None:
    taken: set[str] = set()
    book = Workbook()
    titles = [sheet_title(name, taken), sheet_title(name, taken)]
    for title in titles:
        book.create_sheet(title)  # openpyxl refuses a title Excel would not open
    assert titles[0] != titles[1] and all(len(t) <= 31 for t in titles)
    assert not any(t.startswith(("=", "+", "-", "@")) for t in titles)


@pytest.mark.districts
def test_rank_workbook_keeps_a_hostile_name_and_group_as_text(tmp_path: Path) -> None:
    text = (JIAOZHOU / "example-assessment.yaml").read_text(encoding="utf-8")
    hostile = text.replace("name: 韩立新", 'name: \'=HYPERLINK("http://x","韩")\'', 1)
    hostile = hostile.replace("unit: 镇街", "unit: '=cmd|x!A0'", 1)
    assessment = tmp_path / "assessment.yaml"
    assessment.write_text(hostile, encoding="utf-8")
    output = tmp_path / "grades.xlsx"
    result = CliRunner().invoke(
        app,
        ["rank", str(assessment), "--plugin", "jiaozhou", "-f", "xlsx", "--output", str(output)],
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(output)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    hostile_cells = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert len(hostile_cells) >= 2
    assert all(c.data_type == "s" for c in hostile_cells)
    assert not any(c.data_type == "f" for c in cells)


def test_a_failed_book_leaves_no_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"the old workbook")

    def half_way() -> None:
        with writing_book(target) as book:
            book.table("表", ["一"], [["a"]])
            raise RuntimeError("stopped half way")

    with pytest.raises(RuntimeError):
        half_way()
    assert target.read_bytes() == b"the old workbook"
    assert list(tmp_path.iterdir()) == [target]


def test_a_table_reads_and_prints_as_one(tmp_path: Path) -> None:
    long = "很长的说明" * 20
    with writing_book(tmp_path / "out.xlsx") as book:
        title = book.table("名单", ["编号", "说明"], [["p1", long], ["p2", "短"]], mark="示例")
    sheet = load_workbook(tmp_path / "out.xlsx")[title]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:B3"
    assert sheet["D1"].value == "示例"
    # at most 40 characters wide (XlsxWriter adds Excel's padding), the long text wrapped
    assert 40 <= sheet.column_dimensions["B"].width < 41 and sheet["B2"].alignment.wrap_text
    # 200 columns of text: six lines of 15 points
    assert round(sheet.row_dimensions[2].height) == 15 * 6
    assert sheet.row_dimensions[3].height is None
    assert sheet["A2"].alignment.vertical == "top"  # the rest of a wrapped row, from its top
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"
    assert sheet.print_options.gridLines
