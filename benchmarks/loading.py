"""Benchmark: loading a large roster, interleaved in rounds with its baseline.

- A roster file, JSON and YAML, against its floor: ``orjson.loads`` of the same bytes and
  cattrs structuring of the result. Target (issue [scale]): within 5× the floor at 50,000
  people; positions are computed only when the file has a problem.
- The same roster as an Excel book (人员 and 职务 sheets), read into located tables
  (``files.tables.read_tables``, what ``governance import`` and ``run --roster`` do), against
  openpyxl's own streaming reader of the same cells. Target: at least 5× faster.

Run: python benchmarks/loading.py [--people 50000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import functools
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import yaml

from dossier import roster_of  # this folder is on the path of a script run from it
from governance_core.errors import RosterError
from governance_core.files.spreadsheets import writing_book
from governance_core.files.tables import read_tables
from governance_core.model import Roster, converter, load_roster
from governance_core.model.roster_tables import ROSTER_TABLES


def _structured(path: Path) -> Roster:
    return converter.structure(orjson.loads(path.read_bytes()), Roster)


def _seconds(work: Callable[[], object]) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    data = converter.unstructure(roster_of(args.people))
    with tempfile.TemporaryDirectory() as folder:
        as_json = Path(folder) / "roster.json"
        as_json.write_bytes(orjson.dumps(data))
        as_yaml = Path(folder) / "roster.yaml"
        as_yaml.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        people = len(data["people"])
        for path in (as_json, as_yaml):
            ours, floor = [], []
            for _ in range(args.rounds):  # interleaved, so a busy machine slows both alike
                ours.append(_seconds(functools.partial(load_roster, path)))
                floor.append(_seconds(functools.partial(_structured, as_json)))
            ratios = [o / f for o, f in zip(ours, floor, strict=True)]
            print(
                f"{path.suffix[1:]:>5}: {people:,} people, {path.stat().st_size / 2**20:.1f} MiB: "
                f"load_roster {statistics.median(ours):.2f} s, floor (orjson + structure) "
                f"{statistics.median(floor):.2f} s; ratio median {statistics.median(ratios):.1f}× "
                f"(min {min(ratios):.1f}, max {max(ratios):.1f}; target ≤ 5×)"
            )
        book = Path(folder) / "roster.xlsx"
        _write_book(book, data)
        ours, floor = [], []
        for _ in range(args.rounds):
            ours.append(_seconds(lambda: read_tables(book, ROSTER_TABLES, RosterError)))
            floor.append(_seconds(lambda: _openpyxl_cells(book)))
        ratios = [f / o for o, f in zip(ours, floor, strict=True)]
        print(
            f" xlsx: {people:,} people, {book.stat().st_size / 2**20:.1f} MiB: read_tables "
            f"{statistics.median(ours):.2f} s, openpyxl's reader {statistics.median(floor):.2f} s; "
            f"{statistics.median(ratios):.1f}× faster (min {min(ratios):.1f}, max "
            f"{max(ratios):.1f}; target ≥ 5×)"
        )


def _write_book(path: Path, data: dict[str, list[dict[str, Any]]]) -> None:
    """The people and posts as the sheets a district fills in, English headers."""
    with writing_book(path) as book:
        for section in ("people", "posts"):
            rows = data[section]
            fields = sorted({f for r in rows for f in r if not isinstance(r[f], dict | list)})
            sheet = ROSTER_TABLES[section].names[1]
            book.table(sheet, fields, [[r.get(f) for f in fields] for r in rows])


def _openpyxl_cells(path: Path) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    cells = sum(len(row) for ws in book.worksheets for row in ws.iter_rows(values_only=True))
    book.close()
    return cells


if __name__ == "__main__":
    main()
