"""Tables read from an Excel workbook (one sheet per table) or from CSV files (one file per
table), every cell with where it came from: the file and sheet, the row and the column.

A table's first row holds its headers, matched through the caller's :class:`TableSpec`
(Chinese and English names both work: 姓名 or name). Empty rows are skipped. The result is a
:class:`~governance_core.files.yaml_tree.Located` whose positions point at the cells, so that
records structured from it report problems as ``book.xlsx[人员]:5:3`` (row 5, column 3).
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Mapping
from datetime import datetime
from pathlib import Path as FilePath
from typing import Any, final

import attrs

from governance_core.errors import Problem, ProblemsError
from governance_core.files.yaml_tree import Located, Path, Position

__all__ = ["TableSpec", "read_tables"]


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

    def field_of(self, header: str) -> tuple[str, str | None] | None:
        """(field, key within it) of a header; None for a header this table does not take."""
        if header in self.headers:
            return self.headers[header], None
        for prefix, field in self.prefixes.items():
            if header.startswith(prefix) and len(header) > len(prefix):
                return field, header[len(prefix) :]
        return (self.extra, header) if self.extra else None


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):  # a date cell comes back as midnight
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, str):
        return value.strip() or None
    return value


def _csv(file: FilePath) -> list[list[Any]]:
    with file.open(encoding="utf-8-sig", newline="") as handle:  # Excel writes a BOM
        return [list(row) for row in csv.reader(handle)]


def _sheets(path: FilePath) -> dict[str, tuple[str, list[list[Any]]]]:
    """Every sheet of a workbook, or every CSV file of a folder (or the one CSV file), by
    name, with the location its cells are reported under."""
    if path.is_dir():
        return {f.stem: (str(f), _csv(f)) for f in sorted(path.glob("*.csv"))}
    if path.suffix.lower() == ".csv":
        return {path.stem: (str(path), _csv(path))}
    from openpyxl import load_workbook  # only reading workbooks needs it

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        return {
            ws.title: (f"{path}[{ws.title}]", [list(r) for r in ws.iter_rows(values_only=True)])
            for ws in book
        }
    finally:
        book.close()


def read_tables(
    path: str | FilePath,
    specs: Mapping[str, TableSpec],
    error: type[ProblemsError],
    *,
    skip: Collection[str] = (),
) -> Located:
    """The tables of ``path`` (a workbook, a CSV file, or a folder of CSV files) as
    ``{table: [row, ...]}``, each cell located. A sheet or header no spec knows (sheets named
    in ``skip`` aside), and a file that cannot be read, are problems, raised together as
    ``error``."""
    source = FilePath(path)
    try:
        sheets = _sheets(source)
    except (OSError, ValueError, KeyError, UnicodeDecodeError) as failure:
        raise error([Problem(f"cannot read it: {failure}", file=str(source))]) from None
    table_of = {name: table for table, spec in specs.items() for name in spec.names}
    data: dict[str, list[dict[str, Any]]] = {}
    values: dict[Path, Position] = {}
    problems: list[Problem] = []
    for sheet, (where, rows) in sheets.items():
        if sheet in skip:
            continue
        table = table_of.get(sheet)
        if table is None:
            known = ", ".join(sorted(table_of))
            problems.append(Problem(f"no table is called {sheet!r}", file=where,
                                    hint=f"name it one of {known}"))  # fmt: skip
            continue
        spec = specs[table]
        fields: list[tuple[str, str | None] | None] = []
        for column, header in enumerate(rows[0] if rows else (), 1):
            name = _cell(header)
            field = spec.field_of(str(name)) if name is not None else None
            if name is not None and field is None:
                problems.append(Problem(f"unknown column {name!r}", file=where, line=1,
                                        column=column, hint=f"{table} takes "
                                        f"{', '.join(sorted(spec.headers))}"))  # fmt: skip
            fields.append(field)
        out = data.setdefault(table, [])
        for line, row in enumerate(rows[1:], 2):
            cells = [(f, _cell(v)) for f, v in zip(fields, row, strict=False) if f is not None]
            if all(v is None for _, v in cells):
                continue
            index = len(out)
            record: dict[str, Any] = {}
            values[(table, index)] = Position(line, 1, file=where)
            for column, field in enumerate(fields, 1):
                if field is None:
                    continue
                name, key = field
                at: Path = (table, index, name) if key is None else (table, index, name, key)
                values[at] = Position(line, column, file=where)
            for (name, key), value in cells:
                if value is None:
                    continue
                if key is None:
                    record[name] = value
                else:
                    record.setdefault(name, {})[key] = value
            out.append(record)
    if problems:
        raise error(problems)
    return Located(data, str(source), values, {})
