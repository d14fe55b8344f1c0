"""Benchmark: recording a district's decisions in the store, against plain sqlite3.

Ours: ``SqlStore.decisions.record_verdicts`` and ``record_assessment`` of what the example
district decides in a quarter (the list that opens the dismissal over every secretary, and
each assessment), in a fresh SQLite file: each record's canonical JSON, its chain hash, its
query row, one transaction per call. The floor: the very rows that wrote, inserted with plain
``sqlite3`` ``executemany`` into a fresh file of the same schema, one transaction per table.
The two alternate in rounds, under the same ``synchronous`` setting.

Target (issue [scale]): at least 0.5× the floor's rate.
Run: python benchmarks/recording.py [--rounds 5] [--synchronous NORMAL]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from governance_core import Engine
from governance_core.jobs.cycle_run import run_period
from governance_core.jobs.example_district import example_district
from governance_core.jobs.main_job import finding_kinds
from governance_core.plugins import example_settings_file, read_settings
from governance_core.rules.cycles import Period
from governance_core.storage import SqlStore

PERIOD = Period.parse("2024Q4")
TABLES = ("events", "verdicts", "score_sheets")


def decided(engine: Engine, folder: Path) -> list[Any]:
    """What the example district decides in a quarter: each step's verdicts or assessment."""
    data = example_district(as_of=PERIOD.end, finding_kinds=finding_kinds(engine, PERIOD.end))
    report = run_period(engine, PERIOD, data, SqlStore(f"sqlite:///{folder / 'warm.db'}"))
    return [s for s in report.steps if s.assessment is not None or s.verdicts]


def ours(folder: Path, name: str, steps: list[Any], synchronous: str) -> tuple[float, int]:
    store = SqlStore(f"sqlite:///{folder / name}", synchronous=synchronous)
    started = time.perf_counter()
    written = 0
    for step in steps:
        if step.assessment is not None:
            written += store.decisions.record_assessment(step.assessment, run=step.name)
        else:
            written += store.decisions.record_verdicts(step.verdicts, run=step.name)
    seconds = time.perf_counter() - started
    store.engine.dispose()
    return seconds, written


def rows_of(path: Path) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    with sqlite3.connect(path) as c:
        found = {}
        for table in TABLES:
            cursor = c.execute(f"SELECT * FROM {table} WHERE position > 0")
            found[table] = ([d[0] for d in cursor.description], cursor.fetchall())
    return found


def floor(folder: Path, name: str, rows: dict[str, Any], synchronous: str) -> float:
    SqlStore(f"sqlite:///{folder / name}").engine.dispose()  # the same schema, untimed
    c = sqlite3.connect(folder / name, isolation_level=None)
    c.execute(f"PRAGMA synchronous={synchronous}")
    started = time.perf_counter()
    for table, (columns, values) in rows.items():
        marks = ", ".join("?" for _ in columns)
        c.execute("BEGIN")
        c.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
        c.execute("COMMIT")
    seconds = time.perf_counter() - started
    c.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--synchronous", default="NORMAL", choices=["NORMAL", "FULL"])
    args = parser.parse_args()
    engine = Engine.load(read_settings(example_settings_file()))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        steps = decided(engine, folder)
        mine, raw, written = [], [], 0
        for k in range(args.rounds):  # interleaved: a busy machine slows both alike
            seconds, written = ours(folder, f"ours-{k}.db", steps, args.synchronous)
            mine.append(seconds)
            raw.append(
                floor(folder, f"raw-{k}.db", rows_of(folder / f"ours-{k}.db"), args.synchronous)
            )
    ratios = [r / m for m, r in zip(mine, raw, strict=True)]
    print(
        f"recording {written:,} records ({args.synchronous}): ours "
        f"{written / statistics.median(mine):,.0f}/s, plain sqlite3 executemany "
        f"{written / statistics.median(raw):,.0f}/s; ratio median {statistics.median(ratios):.2f}× "
        f"(min {min(ratios):.2f}, max {max(ratios):.2f}; target ≥ 0.5×)"
    )


if __name__ == "__main__":
    main()
