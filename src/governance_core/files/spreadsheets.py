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

import enum
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, final

import attrs

from governance_core.files._masking import masked, none_masked
from governance_core.messages import _

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

__all__ = ["Accepts", "Cell", "FormColumn", "TableBook", "sheet_title", "writing_book"]

Cell = str | int | float | Decimal | bool | date | None
"""What a table's cell holds: text, a number, a yes/no, a date, or nothing."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_TITLE_LENGTH = 31  # Excel's limit
_WIDEST = 40  # characters of a column; longer text wraps
_LINE_HEIGHT = 15  # points of a wrapped line, for readers that do not size rows themselves
_A4 = 9  # XlsxWriter's paper code


class Accepts(enum.Enum):
    """What a cell of a form accepts, checked by Excel (or WPS) as it is typed."""

    CHOICE = "choice"  # one of a list
    WHOLE = "whole"  # a whole number within bounds
    DECIMAL = "decimal"  # a number within bounds
    DATE = "date"
    TEXT = "text"  # anything: the prompt says what


@final
@attrs.frozen(slots=True)
class FormColumn:
    """A column of a form: its header, what its cells accept, and the prompt Excel shows when
    one is selected (in the reader's words: what to write, and whether it is required).
    ``choices`` names a list of :meth:`TableBook.notes` for a CHOICE."""

    header: str
    accepts: Accepts = Accepts.TEXT
    prompt: str = ""
    choices: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    strict: bool = True
    """Whether a value outside the check is refused; else Excel warns and lets it stand
    (the usual choices, where a district may record others)."""


_FORM_ROWS = 1_048_575  # Excel's last row, 0-based: a rule holds down the whole column
_PROMPT_LENGTH = 255  # Excel's limit on an input message
_FORM_PAGE_WIDTH = 160  # columns of text a landscape A4 page holds legibly


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
    if text.isascii():  # numbers, dates, ids: no encoding needed
        return len(text)
    return len(text) + (len(text.encode("utf-8")) - len(text)) // 2


# values a whole row is written with as they are (XlsxWriter's write, its strings never read
# as formulas or links): a Decimal is written as a float, a date as its text, cell by cell
_AS_THEY_ARE = frozenset({str, bool, int, float, type(None)})


def _runs(layouts: Sequence[str], whole: Sequence[bool]) -> list[tuple[int, int, str, bool]]:
    """The columns of a row as runs (start, end, layout, together): neighbouring columns of
    one layout written whole are one run, written together; any other column is a run of
    its own, written cell by cell."""
    runs: list[tuple[int, int, str, bool]] = []
    for c, (layout, together) in enumerate(zip(layouts, whole, strict=True)):
        if runs and together and runs[-1][3] and runs[-1][2] == layout:
            runs[-1] = (runs[-1][0], c + 1, layout, True)
        else:
            runs.append((c, c + 1, layout, together))
    return runs


def _lines(widths: Iterable[int]) -> int:
    """The lines a row needs, from the widths of its wrapped cells: a wrapped row is read
    from its top, and is as high as its longest text needs (fonts differ: a margin of six
    columns; three clipped the example as rendered)."""
    return max((-(-w // (_WIDEST - 6)) for w in widths), default=1)


def _column_name(index: int) -> str:
    """Excel's letters of a 0-based column: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


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
        self._lists: dict[str, str] = {}  # a list of choices → the cells that hold it

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

    def _write(
        self, sheet: Worksheet, row: int, column: int, value: Cell, layout: str, mask: bool = True
    ) -> None:
        """One cell; ``mask`` False when its column holds no text masking would change. Empty
        text is a blank cell, as in a row written whole."""
        if value == "":
            value = None
        if type(value) is str:  # most cells: text, its column's masking decided
            text = masked(value) if mask else value
            quoted = text.startswith(_FORMULA_START)
            sheet.write_string(row, column, text, self._format(layout, quoted))
        elif value is None:
            if layout:
                sheet.write_blank(row, column, None, self._format(layout, False))
        elif isinstance(value, bool):
            sheet.write_boolean(row, column, value, self._format(layout, False))
        elif isinstance(value, int | float | Decimal):
            sheet.write_number(row, column, float(value), self._format(layout, False))
        else:  # a date written as text, or text of a kind of str
            text = masked(value if isinstance(value, str) else value.isoformat())
            quoted = text.startswith(_FORMULA_START)
            sheet.write_string(row, column, text, self._format(layout, quoted))

    def notes(
        self, name: str, lines: Sequence[str], lists: Mapping[str, Sequence[str]] | None = None
    ) -> str:
        """A sheet of ``lines``, one per row (a workbook's instructions); its title. ``lists``
        (title → choices) are written beside the lines, one column each under its title, for
        the CHOICE columns of :meth:`form` to name."""
        title = sheet_title(name, self._titles)
        sheet = self._book.add_worksheet(title)
        lists = lists or {}
        first = 2  # a column left empty between the lines and the lists
        if lines:  # the lines are what prints: wrapped within a page's width
            sheet.set_column(0, 0, _WIDEST * 2)
            sheet.print_area(0, 0, len(lines) - 1, 0)
            sheet.fit_to_pages(1, 0)
        for c, (list_title, choices) in enumerate(lists.items(), first):
            sheet.set_column(c, c, min(max(map(_width, [list_title, *choices])) + 2, _WIDEST))
            quoted = title.replace("'", "''")
            column = _column_name(c)
            self._lists[list_title] = f"='{quoted}'!${column}$2:${column}${len(choices) + 1}"
        for row in range(max(len(lines), 1 + max(map(len, lists.values()), default=0))):
            if row < len(lines):
                self._write(sheet, row, 0, lines[row], "wrap" if lists else "")
                if lists and (wraps := -(-_width(lines[row]) // (_WIDEST * 2 - 6))) > 1:
                    sheet.set_row(row, _LINE_HEIGHT * wraps)
            for c, (list_title, choices) in enumerate(lists.items(), first):
                if row == 0:
                    sheet.write_string(0, c, masked(list_title), self._header)
                elif row <= len(choices):
                    self._write(sheet, row, c, choices[row - 1], "")
        return title

    def form(
        self,
        name: str,
        columns: Sequence[FormColumn],
        rows: Sequence[Sequence[Cell]] = (),
        *,
        mark: str | None = None,
    ) -> str:
        """A sheet a district fills in: the header locked (the sheet is protected without a
        password, so a header is not typed over by mistake; rows may be added, deleted and
        sorted), every other cell open, each column checking what is typed as its
        :class:`FormColumn` says and prompting for it. ``rows`` are data to keep or change;
        with ``mark`` they are examples instead, in grey italics, each with ``mark`` in a last
        column 备注 (a reader skips a row so marked). Returns the title."""
        title = sheet_title(name, self._titles)
        sheet = self._book.add_worksheet(title)
        header = [c.header for c in columns] + (["备注"] if mark else [])
        looks = {"italic": True, "font_color": "#7F7F7F"} if mark else {}
        open_cell = self._book.add_format({"locked": False})
        day = self._book.add_format({"locked": False, "num_format": "yyyy-mm-dd"})
        written = self._book.add_format({"locked": False, **looks})
        written_day = self._book.add_format({"locked": False, "num_format": "yyyy-mm-dd", **looks})
        for c, text in enumerate(header):
            dated = c < len(columns) and columns[c].accepts is Accepts.DATE
            width = max([_width(text), *(_width(r[c]) for r in rows if c < len(r)), 10])
            sheet.set_column(c, c, min(width + 2, _WIDEST), day if dated else open_cell)
        for c, text in enumerate(header):
            sheet.write_string(0, c, masked(text), self._header)
        for number, values in enumerate(rows, 1):
            for c, value in enumerate([*values, mark][: len(header)]):
                dated = c < len(columns) and columns[c].accepts is Accepts.DATE
                cell_format = written_day if dated else written
                if value is None:
                    sheet.write_blank(number, c, None, cell_format)
                elif isinstance(value, date):
                    sheet.write_datetime(number, c, value, cell_format)
                elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                    sheet.write_number(number, c, float(value), cell_format)
                else:
                    sheet.write_string(number, c, masked(str(value)), cell_format)
        for c, column in enumerate(columns):
            sheet.data_validation(1, c, _FORM_ROWS, c, self._validation(column))
        sheet.freeze_panes(1, 0)
        sheet.protect(
            "",
            {
                "insert_rows": True,
                "delete_rows": True,
                "sort": True,
                "autofilter": True,
                "format_columns": True,
                "format_rows": True,
            },
        )
        sheet.set_landscape()
        sheet.set_paper(_A4)
        # as many pages wide as keep it legible (a rubric may read forty inputs), the first
        # columns (期间, 步骤, 人员) on each
        wide = sum(min(max(_width(h), 10) + 2, _WIDEST) for h in header)
        sheet.fit_to_pages(-(-wide // _FORM_PAGE_WIDTH), 0)
        if wide > _FORM_PAGE_WIDTH:
            sheet.repeat_columns(0, min(2, len(header) - 1))
        sheet.repeat_rows(0)
        sheet.set_header(f"&L{_escaped(self._title or '')}&C&A")
        sheet.set_footer("&C" + _escaped(_("page {page} of {pages}")).format(page="&P", pages="&N"))
        return title

    def _validation(self, column: FormColumn) -> dict[str, Any]:
        """XlsxWriter's data validation of ``column``: its check, its prompt, and a refusal
        that says what the prompt says."""
        prompt = column.prompt[:_PROMPT_LENGTH]
        said = {
            "input_title": column.header[:32],
            "input_message": prompt,
            "error_title": column.header[:32],
            "error_message": prompt,
            "error_type": "stop" if column.strict else "warning",
            "ignore_blank": True,
        }
        if column.accepts is Accepts.CHOICE and column.choices in self._lists:
            return {"validate": "list", "source": self._lists[column.choices], **said}
        if column.accepts in (Accepts.WHOLE, Accepts.DECIMAL):
            low, high = column.minimum, column.maximum
            bounds: dict[str, Any] = (
                {"criteria": "between", "minimum": low, "maximum": high}
                if low is not None and high is not None
                else {"criteria": ">=", "value": low}
                if low is not None
                else {"criteria": "<=", "value": high}
                if high is not None
                else {"criteria": "between", "minimum": -1e15, "maximum": 1e15}
            )
            kind = "integer" if column.accepts is Accepts.WHOLE else "decimal"
            return {"validate": kind, **bounds, **said}
        if column.accepts is Accepts.DATE:
            earliest = date(1900, 1, 1)
            return {"validate": "date", "criteria": ">=", "value": earliest, **said}
        return {"validate": "any", **said}

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
        by_column = list(itertools.zip_longest(*rows)) or [()] * columns  # a short row: None
        by_column += [(None,) * len(rows)] * (columns - len(by_column))  # a heading alone
        sizes = [list(map(_width, cells)) for cells in by_column]  # each cell's, once
        headed = [_width(h) for h in header]
        widths = [
            max(headed[c] if c < len(headed) else 0, max(column, default=0))
            for c, column in enumerate(sizes)
        ]
        texts = [[v for v in cells if type(v) is str] for cells in by_column]
        # a column holding a value written with its own care (a date, a Decimal)
        careful = [any(type(v) not in _AS_THEY_ARE for v in cells) for cells in by_column]
        wraps = [w + 2 > _WIDEST for w in widths]
        # masking is decided once per column: most columns hold no run of digits at all;
        # a column no text of which masking changes or reads as a formula is written whole
        masks = [not none_masked(column) for column in texts]
        whole = [
            not (careful[c] or masks[c] or any(t.startswith(_FORMULA_START) for t in texts[c]))
            for c in range(columns)
        ]
        runs = {
            tall: _runs(["wrap" if w else "top" if tall else "" for w in wraps], whole)
            for tall in (False, True)
        }
        for c, width in enumerate(widths):
            sheet.set_column(c, c, min(max(width + 2, 8), _WIDEST))
        wrapped = [sizes[c] for c in range(columns) if wraps[c]]
        if (lines := _lines(w for w, wrap in zip(headed, wraps, strict=False) if wrap)) > 1:
            sheet.set_row(0, _LINE_HEIGHT * lines)
        for c, heading in enumerate(header):
            sheet.write_string(0, c, masked(str(heading or "")), self._header)
        if mark:
            self._write(sheet, 0, columns + 1, mark, "")
        for number, values in enumerate(rows, 1):
            if (lines := _lines(column[number - 1] for column in wrapped)) > 1:
                sheet.set_row(number, _LINE_HEIGHT * lines)
            for start, end, layout, together in runs[lines > 1]:
                if together:
                    part = values[start:end]
                    sheet.write_row(number, start, part, self._format(layout, False))
                    continue
                for c in range(start, min(end, len(values))):
                    self._write(sheet, number, c, values[c], layout, masks[c])
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
    # text is text: a row written whole never turns "=…" into a formula or "http…" into a link
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    book = Workbook(str(partial), options)
    if title is not None:
        book.set_properties({"title": masked(title)})
    try:
        yield TableBook(book, title)
        book.close()
        partial.replace(path)
    finally:  # the block failed, or saving did: what was written goes (rows kept in
        partial.unlink(missing_ok=True)  # temporary files go with the book)
