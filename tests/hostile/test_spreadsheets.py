"""Workbooks the project writes cannot attack their reader: text that Excel would take for a
formula is stored as text (OWASP formula injection), sheet titles are what Excel accepts."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from governance_core.cli import app
from governance_core.files.spreadsheets import save_workbook, sheet_title

JIAOZHOU = Path(__file__).parents[2] / "plugins_contrib" / "jiaozhou" / "docs"
ATTACKS = ['=HYPERLINK("http://x","点此")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_text_that_looks_like_a_formula_is_read_back_as_text(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([*ATTACKS, "普通文本", 12])
    save_workbook(book, tmp_path / "out.xlsx")
    cells = next(iter(load_workbook(tmp_path / "out.xlsx").active.iter_rows()))  # type: ignore[union-attr]
    assert [c.data_type for c in cells] == ["s"] * (len(ATTACKS) + 1) + ["n"]
    # XML reads a carriage return back as a line feed
    assert [c.value for c in cells[: len(ATTACKS)]] == [a.replace("\r", "\n") for a in ATTACKS]
    assert all(c.quotePrefix for c in cells[: len(ATTACKS)])


@pytest.mark.parametrize("name", ["[/x]", "a:b*c?d/e\\f", "=cmd|'/C calc'!A0", "x" * 40, "'"])
def test_sheet_titles_are_ones_excel_accepts(tmp_path: Path, name: str) -> None:
    taken: set[str] = set()
    book = Workbook()
    titles = [sheet_title(name, taken), sheet_title(name, taken)]
    for title in titles:
        book.create_sheet(title)  # openpyxl refuses a title Excel would not open
    assert titles[0] != titles[1] and all(len(t) <= 31 for t in titles)
    assert not any(t.startswith(("=", "+", "-", "@")) for t in titles)


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
