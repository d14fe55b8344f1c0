"""Workbooks the project writes: tables a clerk can read and print, text that stays text, and
a file that is whole or absent.

A workbook is opened by clerks in Excel or WPS. A name, a reason or a title that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be taken for a formula there (CSV
or formula injection, OWASP): ``=HYPERLINK(...)`` in a person's name could send data away when
the sheet is opened. So every text is written as a text cell, and such a text with Excel's
quote prefix (as if typed after an apostrophe); sheet titles lose the characters Excel
forbids; ID-card and mobile numbers are masked under the one policy of every output.

Tables are written with XlsxWriter in constant-memory mode: each row goes to disk as it is
written, so a province's workbook costs the memory of one row, and about a fifth of the time
openpyxl took (docs/performance.md, "Workbooks").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, final

from governance_core.files._masking import masked
from governance_core.messages import _

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

__all__ = ["Cell", "TableBook", "sheet_title", "writing_book"]

Cell = str | int | float | Decimal | bool | date | None
"""What a table's cell holds: text, a number, a yes/no, a date, or nothing."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_TITLE_LENGTH = 31  # Excel's limit
_WIDEST = 40  # characters of a column; longer text wraps
_LINE_HEIGHT = 15  # points of a wrapped line, for readers that do not size rows themselves
_A4 = 9  # XlsxWriter's paper code


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


def _width(value: Cell) -> int:
    """Columns ``value`` takes: a CJK character is two wide in Excel's default fonts (its UTF-8
    form is three bytes, an ASCII one one: counted in C, not character by character)."""
    if value is None:
        return 0
    text = value if isinstance(value, str) else str(value)
    return len(text) + (len(text.encode("utf-8")) - len(text)) // 2


def _escaped(text: str) -> str:
    """Text for a printed page header, where ``&`` starts a code."""
    return masked(text).replace("&", "&&")


@final
class TableBook:
    """A workbook being written: :meth:`table` adds a sheet that reads as a table, :meth:`notes`
    a sheet of lines. Made by :func:`writing_book`, which puts the file in place when done."""

    def __init__(self, book: Workbook, title: str | None = None) -> None:
        self._book = book
        self._title = title
        self._titles: set[str] = set()
        self._formats: dict[tuple[str, bool], Format] = {}
        # the header row reads as a header on screen and on paper: bold, shaded, ruled
        self._header = book.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "bottom": 1, "valign": "top", "text_wrap": True}
        )

    def _format(self, layout: str, quoted: bool) -> Format | None:
        """The cell format of a layout ("", "wrap" or "top") with or without the quote prefix."""
        if not layout and not quoted:
            return None
        key = (layout, quoted)
        if key not in self._formats:
            properties: dict[str, Any] = {"quote_prefix": quoted}
            if layout:
                properties |= {"valign": "top", "text_wrap": layout == "wrap"}
            self._formats[key] = self._book.add_format(properties)
        return self._formats[key]

    def _write(self, sheet: Worksheet, row: int, column: int, value: Cell, layout: str) -> None:
        if value is None:
            if layout:
                sheet.write_blank(row, column, None, self._format(layout, False))
        elif isinstance(value, bool):
            sheet.write_boolean(row, column, value, self._format(layout, False))
        elif isinstance(value, int | float | Decimal):
            sheet.write_number(row, column, float(value), self._format(layout, False))
        else:
            text = masked(value if isinstance(value, str) else value.isoformat())
            quoted = text.startswith(_FORMULA_START)
            sheet.write_string(row, column, text, self._format(layout, quoted))

    def notes(self, name: str, lines: Sequence[str]) -> str:
        """A sheet of ``lines``, one per row (a workbook's instructions); its title."""
        title = sheet_title(name, self._titles)
        sheet = self._book.add_worksheet(title)
        for row, line in enumerate(lines):
            self._write(sheet, row, 0, line, "")
        return title

    def table(
        self,
        name: str,
        header: Sequence[str],
        rows: Sequence[Sequence[Cell]],
        *,
        mark: str | None = None,
    ) -> str:
        """A sheet titled after ``name`` (made one Excel accepts) that reads as a table: the
        header frozen, a filter on every column, each column as wide as its content within
        bounds, long text wrapped with its row sized, printed landscape as wide as an A4 page
        with the header on every page. ``mark`` (示例: invented data) is written two columns
        right of the header, so every sheet says what it holds. Returns the title."""
        title = sheet_title(name, self._titles)
        sheet = self._book.add_worksheet(title)
        columns = max([len(header), *(len(r) for r in rows)])
        widths = [_width(h) for h in header] + [0] * (columns - len(header))
        for r in rows:
            for c, value in enumerate(r):
                widths[c] = max(widths[c], _width(value))
        wraps = [w + 2 > _WIDEST for w in widths]
        for c, width in enumerate(widths):
            sheet.set_column(c, c, min(max(width + 2, 8), _WIDEST))
        for number, values in enumerate([header, *rows]):
            # a wrapped row is read from its top, and is as high as its longest text needs
            # (fonts differ: a margin of six columns: three clipped the example as rendered)
            lines = max(
                (-(-_width(v) // (_WIDEST - 6)) for c, v in enumerate(values) if wraps[c]),
                default=1,
            )
            if lines > 1:
                sheet.set_row(number, _LINE_HEIGHT * lines)
            for c, value in enumerate(values):
                if number == 0:
                    sheet.write_string(0, c, masked(str(value or "")), self._header)
                    continue
                layout = "wrap" if wraps[c] else "top" if lines > 1 else ""
                self._write(sheet, number, c, value, layout)
            if number == 0 and mark:
                self._write(sheet, 0, columns + 1, mark, "")
        sheet.freeze_panes(1, 0)
        if rows:
            sheet.autofilter(0, 0, len(rows), columns - 1)
        sheet.set_landscape()
        sheet.set_paper(_A4)
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(0)
        sheet.hide_gridlines(0)  # gridlines on screen and on paper
        # the table alone is printed (the 示例 mark beside it costs no columns: it is in the
        # page header), with the book, the sheet and the page on every page
        sheet.print_area(0, 0, max(len(rows), 1), columns - 1)
        left = _escaped(self._title or "")
        example = f"&R{_escaped(mark)}" if mark else ""
        sheet.set_header(f"&L{left}&C&A{example}")
        sheet.set_footer("&C" + _escaped(_("page {page} of {pages}")).format(page="&P", pages="&N"))
        return title


@contextmanager
def writing_book(path: Path, *, title: str | None = None) -> Iterator[TableBook]:
    """A :class:`TableBook` written beside ``path`` and moved into place once the block ends
    without an error: never a half-written workbook, and an existing one is replaced whole."""
    from xlsxwriter import Workbook  # only writing workbooks needs it

    partial = path.with_name(f".{path.name}.partial")
    book = Workbook(str(partial), {"constant_memory": True})
    if title is not None:
        book.set_properties({"title": masked(title)})
    try:
        yield TableBook(book, title)
        book.close()
        partial.replace(path)
    finally:  # the block failed, or saving did: what was written goes (rows kept in
        partial.unlink(missing_ok=True)  # temporary files go with the book)
