"""Benchmark: recording a district's decisions in the store, against plain sqlite3.

Ours: ``SqlStore.decisions.record_verdicts`` and ``record_assessment`` of what the example
district decides in a quarter (the list that opens the dismissal over every secretary, and
each assessment), in a fresh SQLite file: each record's canonical JSON, its chain hash, its
query row, one transaction per call. The floor: the very rows that wrote, inserted with plain
``sqlite3`` ``executemany`` into a fresh file of the same schema, one transaction per table.
They alternate in rounds, under the same ``synchronous`` setting, timed in CPU seconds (the
machines are shared: wall time varies more than the work).

A second floor also builds each body's canonical JSON from plain data and hashes the chain,
as recording must. Targets (issue [scale]): ours within 2× plain executemany, and within 1.5×
the floor with JSON and hash.
Run: python benchmarks/recording.py [--rounds 5] [--synchronous NORMAL]
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from governance_core import Engine
from governance_core.jobs.cycle_run import run_period
from governance_core.jobs.example_district import example_district
from governance_core.jobs.main_job import finding_kinds
from governance_core.plugins import example_settings_file, read_settings
from governance_core.rules.cycles import Period
from governance_core.storage import GENESIS, SqlStore

PERIOD = Period.parse("2024Q4")
TABLES = ("events", "verdicts", "score_sheets")


def decided(engine: Engine, folder: Path) -> list[Any]:
    """What the example district decides in a quarter: each step's verdicts or assessment."""
    data = example_district(as_of=PERIOD.end, finding_kinds=finding_kinds(engine, PERIOD.end))
    report = run_period(engine, PERIOD, data, SqlStore(f"sqlite:///{folder / 'warm.db'}"))
    return [s for s in report.steps if s.assessment is not None or s.verdicts]


def ours(folder: Path, name: str, steps: list[Any], synchronous: str) -> tuple[float, int]:
    store = SqlStore(f"sqlite:///{folder / name}", synchronous=synchronous)
    started = time.process_time()
    written = 0
    for step in steps:
        if step.assessment is not None:
            written += store.decisions.record_assessment(step.assessment, run=step.name)
        else:
            written += store.decisions.record_verdicts(step.verdicts, run=step.name)
    seconds = time.process_time() - started
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
    started = time.process_time()
    for table, (columns, values) in rows.items():
        marks = ", ".join("?" for _ in columns)
        c.execute("BEGIN")
        c.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
        c.execute("COMMIT")
    seconds = time.process_time() - started
    c.close()
    return seconds


def chained(path: Path) -> list[tuple[str, str | None, Any]]:
    """The records ``path`` holds, as plain data: kind, request id and parsed body."""
    with sqlite3.connect(path) as c:
        found = c.execute(
            "SELECT kind, request_id, body FROM events WHERE position > 0 ORDER BY position"
        ).fetchall()
    return [(kind, request_id, orjson.loads(body)) for kind, request_id, body in found]


def floor_with_json(
    folder: Path, name: str, records: list[Any], rows: dict[str, Any], synchronous: str
) -> float:
    """The floor that also does what recording must: each body's canonical JSON (orjson,
    sorted keys) from plain data, the chain's hashes, then the rows through executemany."""
    SqlStore(f"sqlite:///{folder / name}").engine.dispose()  # the same schema, untimed
    c = sqlite3.connect(folder / name, isolation_level=None)
    c.execute(f"PRAGMA synchronous={synchronous}")
    started = time.process_time()
    previous, chain = GENESIS, []
    for position, (kind, request_id, body) in enumerate(records, 1):
        text = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
        digest = hashlib.sha256(previous.encode() + text).hexdigest()
        chain.append((position, kind, request_id, text.decode(), digest, previous))
        previous = digest
    c.execute("BEGIN")
    c.executemany(
        "INSERT INTO events (position, kind, request_id, body, hash, previous_hash) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        chain,
    )
    for table, (columns, values) in rows.items():
        if table != "events":
            marks = ", ".join("?" for _ in columns)
            c.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
    c.execute("COMMIT")
    seconds = time.process_time() - started
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
        mine, raw, with_json, written = [], [], [], 0
        for k in range(args.rounds):  # interleaved: a busy machine slows all alike
            seconds, written = ours(folder, f"ours-{k}.db", steps, args.synchronous)
            mine.append(seconds)
            rows = rows_of(folder / f"ours-{k}.db")
            raw.append(floor(folder, f"raw-{k}.db", rows, args.synchronous))
            records = chained(folder / f"ours-{k}.db")
            with_json.append(
                floor_with_json(folder, f"json-{k}.db", records, rows, args.synchronous)
            )
    print(
        f"recording {written:,} records ({args.synchronous}): ours "
        f"{written / statistics.median(mine):,.0f}/s; plain sqlite3 executemany "
        f"{written / statistics.median(raw):,.0f}/s; the same with canonical JSON and the chain "
        f"hash {written / statistics.median(with_json):,.0f}/s"
    )
    for name, floors, target in (
        ("plain executemany", raw, "≤ 2× (≥ 0.5× its rate)"),
        ("executemany + JSON + hash", with_json, "≤ 1.5×"),
    ):
        ratios = [m / f for m, f in zip(mine, floors, strict=True)]
        print(
            f"  ours / {name}: median {statistics.median(ratios):.2f}× "
            f"(min {min(ratios):.2f}, max {max(ratios):.2f}); today's target {target}"
        )


if __name__ == "__main__":
    main()
