"""Tables read from an Excel workbook (one sheet per table) or from CSV files (one file per
table), every cell with where it came from: the file and sheet, the row and the column.

A table's first row holds its headers, matched through the caller's :class:`TableSpec`
(Chinese and English names both work: 姓名 or name). Empty rows are skipped. The result is a
:class:`~governance_core.files.yaml_tree.Located` whose positions point at the cells, so that
records structured from it report problems as ``book.xlsx[人员]:5:3`` (row 5, column 3).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path as FilePath
from typing import Any, final
from xml.etree import ElementTree

import attrs

from governance_core.errors import Problem, ProblemKind, ProblemsError
from governance_core.files import _xlsx
from governance_core.files._cell_positions import CellPositions, Field
from governance_core.files.limits import (
    MAX_TABLE_CELLS,
    MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS,
    MAX_UNPACKED_BYTES,
    capped,
    read_bounded,
)
from governance_core.files.yaml_tree import Located, Path, Position, decode_text
from governance_core.messages import _, language

__all__ = [
    "EXAMPLE_MARK",
    "NOTES_SHEETS",
    "REMARKS",
    "TableSpec",
    "read_tables",
    "rows_of",
    "sheet_names",
    "table_names",
]

NOTES_SHEETS = ("说明", "readme")
REMARKS = ("备注", "remarks")
"""Headers of a column of remarks, which every table may have and no reader reads."""
EXAMPLE_MARK = "示例"
"""A row whose remark begins with it is an example (a template's), not data: it is not read."""
"""Sheets (or CSV files) of notes a district writes for whoever fills the book in; every
reader of tables reads past them."""


@final
@attrs.frozen(slots=True)
class TableSpec:
    """A table: the sheet (or CSV file) names it may have, and each accepted header → the
    field it fills. ``prefixes`` map a header prefix to a field holding a mapping
    (``分组:unit`` → ``groups["unit"]``); with ``extra``, any other header fills that field's
    mapping under its own name (a rubric's inputs), instead of being refused."""

    names: tuple[str, ...]
    headers: Mapping[str, str]
    prefixes: Mapping[str, str] = attrs.field(factory=dict)
    extra: str | None = None
    required: tuple[str, ...] = ()
    """Fields every row must fill: a sheet without a column for one is one problem, at its
    header row, not one per row."""

    def field_of(self, header: str) -> tuple[str, str | None] | None:
        """(field, key within it) of a header; None for a header this table does not take."""
        if header in self.headers:
            return self.headers[header], None
        for prefix, field in self.prefixes.items():
            if header.startswith(prefix) and len(header) > len(prefix):
                return field, header[len(prefix) :]
        return (self.extra, header) if self.extra else None


@final
class _UnsavedFormula:
    """A cell holding a formula whose value no program computed (see
    :func:`governance_core.files._xlsx.unsaved_formulas`)."""

    def __repr__(self) -> str:
        return "UNSAVED_FORMULA"


UNSAVED_FORMULA = _UnsavedFormula()


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    # Excel keeps every number as a float: an integral one is an integer, as openpyxl reads it
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, datetime):  # a date cell comes back as midnight
        return value.date() if value.time() == datetime.min.time() else value
    return value


class _UnreadableError(Exception):
    """The file cannot be read as a table at all; ``problem`` says why and where."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _damaged(where: str, exc: BaseException) -> _UnreadableError:
    return _UnreadableError(
        Problem(
            _("the workbook is damaged and cannot be read ({reason})").format(
                reason=type(exc).__name__
            ),
            where,
            hint=_("open it in Excel and save it again as .xlsx"),
        )
    )


def _too_large(where: str, line: int | None = None) -> _UnreadableError:
    return _UnreadableError(
        Problem(
            _(
                "the table is larger than {rows:,} rows, {columns} columns or {cells:,} cells"
            ).format(rows=MAX_TABLE_ROWS, columns=MAX_TABLE_COLUMNS, cells=MAX_TABLE_CELLS),
            where,
            line,
            hint=_("split it into several files"),
        )
    )


def _bounded_rows(rows: Iterable[Sequence[Any]], where: str) -> list[list[Any]]:
    """The rows, trailing empty cells dropped, refused beyond the table limits."""
    out: list[list[Any]] = []
    cells = 0
    blank: object = None  # openpyxl fills a gap of rows with one shared empty row
    for line, row in enumerate(rows, 1):
        if line > MAX_TABLE_ROWS:
            raise _too_large(where, line)
        if row is blank:
            out.append([])
            continue
        cut = row if isinstance(row, list) else list(row)  # calamine's rows are fresh lists
        while cut and cut[-1] in (None, ""):
            cut.pop()
        if not cut:
            blank = row
        cells += len(cut)
        if len(cut) > MAX_TABLE_COLUMNS or cells > MAX_TABLE_CELLS:
            raise _too_large(where, line)
        out.append(cut)
    return out


# characters no Chinese office text holds: a file that decodes as GB18030 only into these
# was not GB18030 (C1 controls, the private use area GB18030 maps its unassigned codes to)
_NOT_TEXT = re.compile("[\x80-\x9f\ue000-\uf8ff]")


def decode_csv(data: bytes, where: str) -> str:
    """A CSV file's text: UTF-8 (with or without the byte-order mark Excel writes), else
    GB18030, which Chinese Excel's "CSV" is saved in (code page 936, GBK, which GB18030
    contains). Tried in that order, each strictly: a file that is valid UTF-8 is read as such
    (a GBK file almost never is), and one that is neither, or that decodes as GB18030 only
    into characters no text holds, is a problem at the first byte UTF-8 could not read."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if text and not _NOT_TEXT.search(text):
        return text
    try:
        return decode_text(data, where, ProblemsError)  # raises, located at the bad byte
    except ProblemsError as error:
        problem = error.problems[0]
        raise ProblemsError(
            [
                attrs.evolve(
                    problem,
                    message=_("neither UTF-8 nor GB18030 (GBK) text: {reason}").format(
                        reason=problem.message
                    ),
                    hint=_("save it again from Excel as CSV (UTF-8) or CSV (GBK)"),
                )
            ]
        ) from None


def _csv(file: FilePath) -> list[list[Any]]:
    where = str(file)
    text = decode_csv(read_bounded(file, ProblemsError), where)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _bounded_rows(reader, where)
    except csv.Error as exc:  # a field over the csv module's limit, a stray quote
        raise _UnreadableError(
            Problem(
                _("not a readable CSV file: {reason}").format(reason=exc),
                where,
                reader.line_num,
                hint=_("save it again as CSV (UTF-8) from Excel"),
            )
        ) from None


def _other_format(data: bytes) -> str | None:
    """What the file is instead of a workbook, when its first bytes tell."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return _("an old .xls workbook (or an encrypted one)")
    if data.startswith(b"%PDF"):
        return _("a PDF document")
    return None


def _check_container(data: bytes, where: str) -> zipfile.ZipFile:
    """The workbook's zip archive, after checking what it is and what it unpacks to: a
    5 KB file can unpack to gigabytes of repeated cells or shared strings."""
    what = _other_format(data)
    if what is not None:
        raise _UnreadableError(
            Problem(
                _("this is {what}, not an .xlsx workbook").format(what=what),
                where,
                hint=_("open it in Excel and save it as .xlsx"),
            )
        )
    if not data:
        raise _UnreadableError(Problem(_("the file is empty"), where))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise _UnreadableError(
            Problem(
                _("not an .xlsx workbook: the file is not a complete zip archive"),
                where,
                hint=_("it may be truncated or another kind of file; save it again as .xlsx"),
            )
        ) from None
    unpacked = sum(m.file_size for m in members)
    bomb = [
        m.filename
        for m in members
        if m.file_size > 2**20 and m.file_size > 100 * max(m.compress_size, 1)
    ]
    if unpacked > MAX_UNPACKED_BYTES or bomb:
        raise _UnreadableError(
            Problem(
                _("the workbook unpacks to {size:,} bytes, far more than its cells need").format(
                    size=unpacked
                ),
                where,
                hint=_("save it again from Excel; it may be built to attack its reader"),
            )
        )
    return archive


def _declared_sheets(archive: zipfile.ZipFile) -> int:
    """How many sheets ``xl/workbook.xml`` names: openpyxl leaves out a sheet whose part is
    missing, and a roster would import empty."""
    try:
        root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except (KeyError, ElementTree.ParseError):
        return 0
    return sum(1 for element in root.iter() if element.tag.endswith("}sheet"))


def _workbook(path: FilePath) -> dict[str, tuple[str, list[list[Any]]]]:
    data = read_bounded(path, ProblemsError)
    archive = _check_container(data, str(path))
    spans = _xlsx.extent(archive)
    if spans is None:  # a cell that does not say where it is: openpyxl streams the sheet
        return _streamed(path, data, archive)
    rows, columns = spans
    if rows > MAX_TABLE_ROWS or columns > MAX_TABLE_COLUMNS or rows * columns > MAX_TABLE_CELLS:
        raise _too_large(str(path), min(rows, MAX_TABLE_ROWS + 1))
    try:
        read = _xlsx.read_sheets(data)
    except Exception as exc:  # calamine parses hostile XML: any failure is a damaged file
        raise _damaged(str(path), exc) from None
    unsaved = _xlsx.unsaved_formulas(archive)
    for name, cells in read:
        for row, column in unsaved.get(name, ()):
            if row <= len(cells) and column <= len(cells[row - 1]):
                cells[row - 1][column - 1] = UNSAVED_FORMULA
    return {
        name: (where, _bounded_rows(cells, where))
        for name, cells in read
        for where in [f"{path}[{name}]"]
    }


def _streamed(
    path: FilePath, data: bytes, archive: zipfile.ZipFile
) -> dict[str, tuple[str, list[list[Any]]]]:
    """The sheets read by openpyxl, a row at a time (slower, but bounded by any sheet)."""
    from openpyxl import load_workbook  # only reading workbooks needs it

    sheets: dict[str, tuple[str, list[list[Any]]]] = {}
    where = str(path)
    try:
        # data_only: a formula cell gives the value Excel computed, never the formula
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for ws in book.worksheets:
                where = f"{path}[{ws.title}]"
                ws.reset_dimensions()  # the <dimension> a file claims is not believed
                rows = ws.iter_rows(max_col=MAX_TABLE_COLUMNS + 1, values_only=True)
                sheets[ws.title] = (where, _bounded_rows(rows, where))
            declared = _declared_sheets(archive)
            if declared != len(book.sheetnames):
                raise _UnreadableError(
                    Problem(
                        _("the workbook names {declared} sheets but holds {held}").format(
                            declared=declared, held=len(book.sheetnames)
                        ),
                        str(path),
                        hint=_("the file is damaged; save it again from Excel"),
                    )
                )
        finally:
            book.close()
    except (_UnreadableError, ProblemsError):
        raise
    except Exception as exc:  # openpyxl parses hostile XML: any failure is a damaged file
        raise _damaged(where, exc) from None
    return sheets


def _sheets(path: FilePath) -> dict[str, tuple[str, list[list[Any]]]]:
    """Every sheet of a workbook, or every CSV file of a folder (or the one CSV file), by
    name, with the location its cells are reported under."""
    if path.is_dir():
        return {f.stem: (str(f), _csv(f)) for f in sorted(path.glob("*.csv"))}
    if path.suffix.lower() == ".csv":
        return {path.stem: (str(path), _csv(path))}
    return _workbook(path)


def table_names(path: str | FilePath, error: type[ProblemsError]) -> tuple[str, ...]:
    """The names of the tables ``path`` holds (sheets, or CSV files), without reading their
    cells; a file that is not a readable workbook is ``error``."""
    source = FilePath(path)
    if source.is_dir():
        return tuple(sorted(f.stem for f in source.glob("*.csv")))
    if source.suffix.lower() == ".csv":
        return (source.stem,)
    try:
        data = read_bounded(source, error)
        _check_container(data, str(source))
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        try:
            return tuple(book.sheetnames)
        finally:
            book.close()
    except _UnreadableError as unreadable:
        raise error([unreadable.problem]) from None
    except ProblemsError:
        raise
    except Exception as exc:  # openpyxl parses hostile XML: any failure is a damaged file
        raise error([_damaged(str(source), exc).problem]) from None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters but tab and newlines


def _text_problem(value: Any, where: str, line: int, column: int) -> Problem | None:
    if isinstance(value, str) and _CONTROL.search(value):
        return Problem(
            _("the cell holds a control character (such as NUL)"),
            where,
            line,
            column,
            hint=_("retype the cell"),
        )
    return None


def _in_reader_words(names: set[str]) -> list[str]:
    """The sheet names a reader of the current language writes: the Chinese ones under zh
    (every table has one), the others under en."""
    chinese = language() == "zh"
    return sorted(n for n in names if (not n.isascii()) == chinese) or sorted(names)


def _is_example(remark: Any) -> bool:
    return isinstance(remark, str) and remark.strip().startswith(EXAMPLE_MARK)


def read_tables(
    path: str | FilePath,
    specs: Mapping[str, TableSpec],
    error: type[ProblemsError],
    *,
    skip: Collection[str] = (),
) -> Located:
    """The tables of ``path`` (a workbook, a CSV file, or a folder of CSV files) as
    ``{table: [row, ...]}``, each cell located. A sheet or header no spec knows (sheets named
    in ``skip`` and sheets of notes, :data:`NOTES_SHEETS`, aside), and a file that cannot be
    read, are problems, raised together as ``error``."""
    located, problems = read_tables_checked(path, specs, error, skip=skip)
    if problems:
        raise error(problems)
    return located


def read_tables_checked(
    path: str | FilePath,
    specs: Mapping[str, TableSpec],
    error: type[ProblemsError],
    *,
    skip: Collection[str] = (),
) -> tuple[Located, list[Problem]]:
    """:func:`read_tables`, returning the tables with the problems found (at most
    :data:`MAX_PROBLEMS` and their count) instead of raising them, so that a caller reading
    several files says every file's problems at once. What the tables hold is what reads
    well: an unknown sheet or column is left out, and so is a row with a bad cell (its
    problem says why). A file that cannot be read at all is still raised as ``error``."""
    source = FilePath(path)
    try:
        sheets = _sheets(source)
    except _UnreadableError as unreadable:
        raise error([unreadable.problem]) from None
    except ProblemsError as failure:
        raise error(failure.problems) from None
    table_of = {name: table for table, spec in specs.items() for name in spec.names}
    data: dict[str, list[dict[str, Any]]] = {}
    values = CellPositions()
    problems: list[Problem] = []
    for sheet, (where, rows) in sheets.items():
        if sheet in skip or sheet.strip().lower() in NOTES_SHEETS:
            continue
        table = table_of.get(sheet)
        if table is None:  # the sheets another reader of the same book takes are named too
            known = "、".join(_in_reader_words({*table_of, *skip}))
            problems.append(
                Problem(
                    _("no table is called {sheet!r}").format(sheet=sheet),
                    file=where,
                    hint=_("name it one of {known}").format(known=known),
                    kind=ProblemKind.LAYOUT,
                )
            )
            continue
        spec = specs[table]
        fields: list[Field | None] = []
        first: dict[Field, int] = {}
        remarks: int | None = None
        for column, header in enumerate(rows[0] if rows else (), 1):
            name = _cell(header)
            field = spec.field_of(str(name)) if name is not None else None
            if isinstance(name, str) and name.lower() in REMARKS:
                remarks, field = column - 1, None
            elif name is not None and field is None:
                problems.append(
                    Problem(
                        _("unknown column {name!r}").format(name=name),
                        file=where,
                        line=1,
                        column=column,
                        hint=_("{table} takes {value}").format(
                            table=table, value=", ".join(sorted(spec.headers))
                        ),
                        kind=ProblemKind.LAYOUT,
                    )
                )
            elif field is not None and field in first:
                problems.append(
                    Problem(
                        _("column {column} fills the same field as column {first} ({name})").format(
                            column=column, first=first[field], name=name
                        ),
                        where,
                        1,
                        column,
                        hint=_("keep one of the two columns"),
                        kind=ProblemKind.LAYOUT,
                    )
                )
                field = None
            elif field is not None:
                first[field] = column
            fields.append(field)
        has_rows = any(any(_cell(v) is not None for v in row) for row in rows[1:])
        for wanted in spec.required if has_rows else ():
            if (wanted, None) not in first:
                headers = [h for h, f in spec.headers.items() if f == wanted]
                problems.append(
                    Problem(
                        _("no column for {field}: every row needs it").format(
                            field=_in_reader_words(set(headers))[0]
                        ),
                        where,
                        1,
                        len(fields) + 1,
                        hint=_("add a column headed {headers}").format(
                            headers=_(" or ").join(repr(h) for h in headers)
                        ),
                        kind=ProblemKind.LAYOUT,
                    )
                )
        out = data.setdefault(table, [])
        columns = {field: column for column, field in enumerate(fields, 1) if field is not None}
        picked = [(i, field) for i, field in enumerate(fields) if field is not None]
        # a control character is rare: looked for once in the sheet, then row by row to say where
        texts = (v for row in rows[1:] for v in row if isinstance(v, str))
        controls = _CONTROL.search("\n".join(texts)) is not None
        for line, row in enumerate(rows[1:], 2):
            if remarks is not None and remarks < len(row) and _is_example(row[remarks]):
                continue
            cells = [  # most cells are text: read here, the rest by _cell
                (field, (v.strip() or None) if type(v := row[i]) is str else _cell(v))
                for i, field in picked
                if i < len(row)
            ]
            if all(v is None for _, v in cells):
                continue
            record: dict[str, Any] = {}
            before = len(problems)
            if controls and _CONTROL.search("\n".join(v for v in row if isinstance(v, str))):
                for column, raw in enumerate(row, 1):
                    bad = _text_problem(raw, where, line, column)
                    if bad is not None:
                        problems.append(bad)
            for (name, key), value in cells:
                if value is UNSAVED_FORMULA:
                    problems.append(
                        Problem(
                            _("the cell holds a formula whose value was never saved"),
                            where,
                            line,
                            columns[(name, key)],
                            hint=_("open the book in Excel and save it, or type the value"),
                        )
                    )
                    continue
                if value is None:
                    continue
                if key is None:
                    record[name] = value
                else:
                    record.setdefault(name, {})[key] = value
            if len(problems) == before:  # a row with a bad cell is said once, not read on
                values.add(table, where, line, columns)
                out.append(record)
    return Located(data, str(source), values, {}, cells=True), capped(problems, str(source))


def rows_of(
    located: Located, chosen: Mapping[str, Sequence[int]], *, drop: Collection[str] = ()
) -> Located:
    """Some rows of ``located``'s tables (say, one period's among a year's), numbered from 0
    again, each cell keeping its sheet, row and column; the fields ``drop`` left out."""
    renumber = {table: {old: new for new, old in enumerate(rows)} for table, rows in chosen.items()}
    data = {
        table: [
            {k: v for k, v in located.data[table][old].items() if k not in drop} for old in rows
        ]
        for table, rows in chosen.items()
    }
    values: dict[Path, Position] = {}
    for path, position in located.values.items():
        if len(path) >= 2 and isinstance(path[1], int):
            new = renumber.get(str(path[0]), {}).get(path[1])
            if new is not None:
                values[(path[0], new, *path[2:])] = position
    return Located(data, located.file, values, {}, cells=True)


def sheet_names(specs: Mapping[str, TableSpec]) -> set[str]:
    """Every sheet name the tables of ``specs`` take (another reader skips them)."""
    return {name for spec in specs.values() for name in spec.names}
