"""Where each value of a table read from a workbook or CSV file came from, found when asked:
a 50,000-row roster has half a million cells, and only a problem needs one's position."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import final

from governance_core.files.yaml_tree import Path, Position

__all__ = ["CellPositions", "Field"]

Field = tuple[str, str | None]
"""A column's field: a name, and the key within it (``attributes.party_age``) or None."""


@final
class CellPositions(Mapping[Path, Position]):
    """``(table, index)`` is the record's row; ``(table, index, name[, key])`` its field's
    cell. Rows are added as they are read: :meth:`add`."""

    __slots__ = ("_rows",)

    def __init__(self) -> None:
        # per table, per record: its file (and sheet), its row, and its sheet's columns
        self._rows: dict[str, list[tuple[str, int, Mapping[Field, int]]]] = {}

    def add(self, table: str, where: str, line: int, columns: Mapping[Field, int]) -> None:
        """The next record of ``table``: on row ``line`` of ``where``, whose fields are in
        ``columns`` (one mapping shared by the rows of a sheet)."""
        self._rows.setdefault(table, []).append((where, line, columns))

    def __getitem__(self, path: Path) -> Position:
        if len(path) < 2 or not 2 <= len(path) <= 4 or not isinstance(path[1], int):
            raise KeyError(path)
        rows = self._rows.get(str(path[0]), [])
        if not 0 <= path[1] < len(rows):
            raise KeyError(path)
        where, line, columns = rows[path[1]]
        if len(path) == 2:
            return Position(line, 1, file=where)
        column = columns.get((str(path[2]), str(path[3]) if len(path) == 4 else None))
        if column is None:
            raise KeyError(path)
        return Position(line, column, file=where)

    def __iter__(self) -> Iterator[Path]:
        for table, rows in self._rows.items():
            for index, (_where, _line, columns) in enumerate(rows):
                yield (table, index)
                for name, key in columns:
                    yield (table, index, name) if key is None else (table, index, name, key)

    def __len__(self) -> int:
        return sum(1 + len(columns) for rows in self._rows.values() for *_, columns in rows)
