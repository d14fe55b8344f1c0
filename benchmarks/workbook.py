"""Benchmark: writing a district's workbook, against well-kept writers given the same cells.

The cells are those the example district's quarter puts in its workbook's tables (captured
from ``TableBook.table`` while ``write_workbook`` runs), dates and other values already as the
text the workbook shows. Each writer writes every table, one sheet each:

- ours: ``TableBook.table`` (column widths, wrapping, formats, masking, print setup, filter);
- XlsxWriter ``write_row`` in constant-memory mode (no formats, no print setup): the writer ours
  is built on, doing only the cells;
- PyExcelerate's ``new_sheet(data=…)`` and rustpy-xlsxwriter (Rust) when installed: other
  writers of the same cells, without print setup, so not able to write the same workbook.

Each writer runs once per round, interleaved, in CPU seconds; the ratios are per round (ours
over the writer), with min, median and max.

Target (issue [scale]): ours ≤ 1.2× the fastest well-kept writer measured.
Run: python benchmarks/workbook.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from governance_core import Engine
from governance_core.files import spreadsheets
from governance_core.files.spreadsheets import TableBook, writing_book
from governance_core.jobs.cycle_run import run_period
from governance_core.jobs.example_district import example_district
from governance_core.jobs.main_job import finding_kinds
from governance_core.plugins import example_settings_file, read_settings
from governance_core.present.workbook import write_workbook
from governance_core.rules.cycles import Period
from governance_core.storage import SqlStore

PERIOD = Period.parse("2024Q4")
Table = tuple[str, list[str], list[list[Any]]]


def _shown(value: Any) -> Any:
    """A cell as the workbook shows it: text, a number, or nothing."""
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, int | float | Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def tables(folder: Path) -> list[Table]:
    """The tables of the example district's workbook for a quarter."""
    engine = Engine.load(read_settings(example_settings_file()))
    data = example_district(as_of=PERIOD.end, finding_kinds=finding_kinds(engine, PERIOD.end))
    report = run_period(engine, PERIOD, data, SqlStore(f"sqlite:///{folder / 'g.db'}"))
    captured: list[Table] = []
    original = TableBook.table

    def capture(
        self: TableBook, name: str, header: Sequence[str], rows: Sequence[Sequence[Any]], **kw: Any
    ) -> str:
        captured.append((name, list(header), [[_shown(v) for v in r] for r in rows]))
        return original(self, name, header, rows, **kw)

    spreadsheets.TableBook.table = capture  # type: ignore[method-assign]
    try:
        write_workbook(report, engine, folder / "captured.xlsx")
    finally:
        spreadsheets.TableBook.table = original  # type: ignore[method-assign]
    return captured


def ours(found: list[Table], path: Path) -> None:
    with writing_book(path) as book:
        for name, header, rows in found:
            book.table(name, header, rows)


def xlsxwriter_rows(found: list[Table], path: Path) -> None:
    from xlsxwriter import Workbook

    book = Workbook(str(path), {"constant_memory": True})
    for k, (_name, header, rows) in enumerate(found):
        sheet = book.add_worksheet(f"s{k}")
        sheet.write_row(0, 0, header)
        for number, row in enumerate(rows, 1):
            sheet.write_row(number, 0, row)
    book.close()


def pyexcelerate(found: list[Table], path: Path) -> None:
    from pyexcelerate import Workbook

    book = Workbook()
    for k, (_name, header, rows) in enumerate(found):
        book.new_sheet(f"s{k}", data=[header, *rows])
    book.save(str(path))


def rustpy(found: list[Table], path: Path) -> None:
    from rustpy_xlsxwriter import FastExcel

    with FastExcel(str(path)) as book:
        for k, (_name, header, rows) in enumerate(found):
            keys = [f"{c}:{h}" for c, h in enumerate(header)]
            width = len(keys)
            records = [dict(zip(keys, (row + [None] * width)[:width], strict=True)) for row in rows]
            book.sheet(f"s{k}", records)


def _available(name: str) -> bool:
    try:
        __import__(name)
    except ImportError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    writers: dict[str, Callable[[list[Table], Path], None]] = {
        "ours (TableBook.table)": ours,
        "XlsxWriter write_row": xlsxwriter_rows,
    }
    if _available("pyexcelerate"):
        writers["PyExcelerate"] = pyexcelerate
    if _available("rustpy_xlsxwriter"):
        writers["rustpy-xlsxwriter"] = rustpy
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        found = tables(folder)
        cells = sum(len(h) + sum(len(r) for r in rows) for _n, h, rows in found)
        print(f"{len(found)} tables, {cells:,} cells; {args.rounds} rounds, CPU seconds")
        seconds: dict[str, list[float]] = {name: [] for name in writers}
        for round_ in range(args.rounds):  # interleaved: a busy machine slows all alike
            for name, write in writers.items():
                started = time.process_time()
                write(found, folder / f"{round_}-{len(seconds[name])}.xlsx")
                seconds[name].append(time.process_time() - started)
    mine = seconds["ours (TableBook.table)"]
    print(f"{'writer':<24} {'median s':>9} {'min s':>7} {'ours / writer: median (min–max)':>34}")
    for name, times in seconds.items():
        ratios = [o / t for o, t in zip(mine, times, strict=True)]
        print(
            f"{name:<24} {statistics.median(times):>9.3f} {min(times):>7.3f} "
            f"{statistics.median(ratios):>20.2f}× ({min(ratios):.2f}–{max(ratios):.2f})"
        )
    print("target: ours ≤ 1.2× the fastest writer measured (today's target, issue [scale])")


if __name__ == "__main__":
    main()
