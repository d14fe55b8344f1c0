"""Workbooks the project writes: safe sheet titles, text that stays text, atomic saving.

A workbook is opened by clerks in Excel or WPS. A name, a reason or a title that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be taken for a formula there (CSV
or formula injection, OWASP): ``=HYPERLINK(...)`` in a person's name could send data away when
the sheet is opened. So before saving, every such text cell is stored as a text cell with
Excel's quote prefix (as if typed after an apostrophe), and sheet titles lose the characters
Excel forbids.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from governance_core.files._masking import masked

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = ["as_table", "save_workbook", "sheet_title"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_TITLE_LENGTH = 31  # Excel's limit


def sheet_title(name: str, taken: set[str]) -> str:
    """A title Excel accepts for ``name``, not in ``taken`` (which it joins)."""
    base = _BAD_TITLE.sub("_", name).strip("'") or "_"
    base = base.lstrip("=+-@") or "_"
    title, n = base[:_TITLE_LENGTH], 2
    while title in taken:
        suffix = f"~{n}"
        title, n = base[: _TITLE_LENGTH - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


def _width(value: object) -> int:
    # a CJK character is two columns wide in Excel's default fonts
    text = "" if value is None else str(value)
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


_WIDEST = 40  # characters of a column; longer text wraps


def as_table(sheet: Any, header_row: int = 1, *, mark: str | None = None) -> None:
    """Make ``sheet`` read as a table from ``header_row`` on: the header frozen, a filter on
    every column, each column as wide as its content (within bounds). ``mark`` (示例: invented
    data) is written two columns right of the header, so every sheet says what it holds."""
    from openpyxl.styles import Alignment  # only writing workbooks needs openpyxl
    from openpyxl.utils import get_column_letter

    wrap, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")

    last_column = sheet.max_column
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    if sheet.max_row > header_row:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(last_column)}{sheet.max_row}"
    lines: dict[int, int] = {}  # rows that wrap: how many lines their longest text takes
    for column in range(1, last_column + 1):
        cells = [sheet.cell(row=r, column=column) for r in range(header_row, sheet.max_row + 1)]
        widest = max((_width(c.value) for c in cells), default=8)
        sheet.column_dimensions[get_column_letter(column)].width = min(max(widest + 2, 8), _WIDEST)
        if widest + 2 > _WIDEST:  # long text (a rule in words, a consequence) wraps in its cell
            for c in cells:
                c.alignment = wrap
                needed = -(-_width(c.value) // (_WIDEST - 10))  # fonts differ: a margin
                lines[c.row] = max(lines.get(c.row, 1), needed)
    for row, count in lines.items():  # readers do not all size a wrapped row themselves
        if count > 1:
            sheet.row_dimensions[row].height = 16 * count
            for c in sheet[row]:  # a row read from its top, as its wrapped text is
                if not c.alignment.wrap_text:
                    c.alignment = top
    if mark:
        sheet.cell(row=header_row, column=last_column + 2, value=mark)
    # printed, or rendered to PDF: landscape, as wide as the page, the header on every page
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.gridLines = True


def _defuse(book: Workbook) -> None:
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                cell.value = masked(value)
                if value.startswith(_FORMULA_START):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def save_workbook(book: Workbook, path: Path) -> None:
    """Save ``book`` at ``path`` with every text cell kept as text and its personal data
    masked (unless the caller is :func:`showing_personal_data`), written beside the target
    and moved into place: never a half-written workbook."""
    _defuse(book)
    partial = path.with_name(f".{path.name}.partial")
    try:
        book.save(partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
