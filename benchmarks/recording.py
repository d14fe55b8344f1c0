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

``--postgres URL`` (a server's SQLAlchemy URL, as the test command's postgres lane starts one)
measures the same on PostgreSQL instead: each writer into a database of its own, created and
dropped per round; the floors are psycopg's ``executemany``. The server does the inserts in
its own process, so there the times are wall-clock seconds.
Run: python benchmarks/recording.py [--rounds 5] [--synchronous NORMAL] [--postgres URL]
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import create_engine, make_url, text

from governance_core import Engine
from governance_core.jobs.cycle_run import run_period
from governance_core.jobs.example_district import example_district
from governance_core.jobs.main_job import finding_kinds
from governance_core.plugins import example_settings_file, read_settings
from governance_core.rules.cycles import Period
from governance_core.storage import GENESIS, SqlStore

PERIOD = Period.parse("2024Q4")
TABLES = ("events", "verdicts", "score_sheets")


class Target:
    """Where the stores are: SQLite files in a folder (CPU seconds), or databases on a
    PostgreSQL server (wall-clock seconds: the server inserts in its own process)."""

    def __init__(self, folder: Path, synchronous: str, server: str | None) -> None:
        self.folder, self.synchronous, self.server = folder, synchronous, server
        self.mark = "?" if server is None else "%s"
        self.clock = time.process_time if server is None else time.perf_counter
        self.made: list[str] = []

    def url(self, name: str) -> str:
        if self.server is None:
            return f"sqlite:///{self.folder / name}"
        return f"{self.server.rsplit('/', 1)[0]}/{name}"

    def store(self, name: str) -> SqlStore:
        """A new store of the schema, made untimed."""
        if self.server is not None:
            self._admin(f'CREATE DATABASE "{name}"')
            self.made.append(name)
            return SqlStore(self.url(name))
        return SqlStore(self.url(name), synchronous=self.synchronous)

    def connect(self, name: str) -> Any:
        """A plain driver connection, its transactions begun by hand."""
        if self.server is None:
            c = sqlite3.connect(self.folder / name, isolation_level=None)
            c.execute(f"PRAGMA synchronous={self.synchronous}")
            return c
        import psycopg

        return psycopg.connect(
            make_url(self.url(name))
            .set(drivername="postgresql")
            .render_as_string(hide_password=False),
            autocommit=True,
        )

    def drop(self) -> None:
        for name in self.made:
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.made.clear()

    def _admin(self, statement: str) -> None:
        assert self.server is not None
        admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(statement))
        admin.dispose()


def decided(engine: Engine, folder: Path) -> list[Any]:
    """What the example district decides in a quarter: each step's verdicts or assessment."""
    data = example_district(as_of=PERIOD.end, finding_kinds=finding_kinds(engine, PERIOD.end))
    report = run_period(engine, PERIOD, data, SqlStore(f"sqlite:///{folder / 'warm.db'}"))
    return [s for s in report.steps if s.assessment is not None or s.verdicts]


def ours(target: Target, name: str, steps: list[Any]) -> tuple[float, int]:
    store = target.store(name)
    started = target.clock()
    written = 0
    for step in steps:
        if step.assessment is not None:
            written += store.decisions.record_assessment(step.assessment, run=step.name)
        else:
            written += store.decisions.record_verdicts(step.verdicts, run=step.name)
    seconds = target.clock() - started
    store.engine.dispose()
    return seconds, written


def rows_of(target: Target, name: str) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    c = target.connect(name)
    found = {}
    for table in TABLES:
        cursor = c.execute(f"SELECT * FROM {table} WHERE position > 0")
        found[table] = ([d[0] for d in cursor.description], cursor.fetchall())
    c.close()
    return found


def _insert(c: Any, target: Target, table: str, columns: list[str], values: list[Any]) -> None:
    marks = ", ".join(target.mark for _ in columns)
    c.cursor().executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)


def floor(target: Target, name: str, rows: dict[str, Any]) -> float:
    target.store(name).engine.dispose()  # the same schema, untimed
    c = target.connect(name)
    started = target.clock()
    for table, (columns, values) in rows.items():
        c.execute("BEGIN")
        _insert(c, target, table, columns, values)
        c.execute("COMMIT")
    seconds = target.clock() - started
    c.close()
    return seconds


def chained(target: Target, name: str) -> list[tuple[str, str | None, Any]]:
    """The records a store holds, as plain data: kind, request id and parsed body."""
    c = target.connect(name)
    found = c.execute(
        "SELECT kind, request_id, body FROM events WHERE position > 0 ORDER BY position"
    ).fetchall()
    c.close()
    return [(kind, request_id, orjson.loads(body)) for kind, request_id, body in found]


def floor_with_json(target: Target, name: str, records: list[Any], rows: dict[str, Any]) -> float:
    """The floor that also does what recording must: each body's canonical JSON (orjson,
    sorted keys) from plain data, the chain's hashes, then the rows through executemany."""
    target.store(name).engine.dispose()  # the same schema, untimed
    c = target.connect(name)
    started = target.clock()
    previous, chain = GENESIS, []
    for position, (kind, request_id, body) in enumerate(records, 1):
        text = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
        digest = hashlib.sha256(previous.encode() + text).hexdigest()
        chain.append((position, kind, request_id, text.decode(), digest, previous))
        previous = digest
    c.execute("BEGIN")
    columns = ["position", "kind", "request_id", "body", "hash", "previous_hash"]
    _insert(c, target, "events", columns, chain)
    for table, (columns, values) in rows.items():
        if table != "events":
            _insert(c, target, table, columns, values)
    c.execute("COMMIT")
    seconds = target.clock() - started
    c.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--synchronous", default="NORMAL", choices=["NORMAL", "FULL"])
    parser.add_argument("--postgres", metavar="URL", help="measure on this PostgreSQL server")
    args = parser.parse_args()
    engine = Engine.load(read_settings(example_settings_file()))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        steps = decided(engine, folder)
        target = Target(folder, args.synchronous, args.postgres)
        run = uuid.uuid4().hex[:8]  # databases of this run: a server may hold others
        mine, raw, with_json, written = [], [], [], 0
        try:
            for k in range(args.rounds):  # interleaved: a busy machine slows all alike
                seconds, written = ours(target, f"ours_{run}_{k}", steps)
                mine.append(seconds)
                rows = rows_of(target, f"ours_{run}_{k}")
                raw.append(floor(target, f"raw_{run}_{k}", rows))
                records = chained(target, f"ours_{run}_{k}")
                with_json.append(floor_with_json(target, f"json_{run}_{k}", records, rows))
        finally:
            target.drop()
    where = "PostgreSQL, wall clock" if args.postgres else f"SQLite {args.synchronous}, CPU"
    plain = "psycopg" if args.postgres else "sqlite3"
    print(
        f"recording {written:,} records ({where}): ours "
        f"{written / statistics.median(mine):,.0f}/s; plain {plain} executemany "
        f"{written / statistics.median(raw):,.0f}/s; the same with canonical JSON and the chain "
        f"hash {written / statistics.median(with_json):,.0f}/s"
    )
    for name, floors, wanted in (
        ("plain executemany", raw, "≤ 2× (≥ 0.5× its rate)"),
        ("executemany + JSON + hash", with_json, "≤ 1.5×"),
    ):
        ratios = [m / f for m, f in zip(mine, floors, strict=True)]
        print(
            f"  ours / {name}: median {statistics.median(ratios):.2f}× "
            f"(min {min(ratios):.2f}, max {max(ratios):.2f}); today's target {wanted}"
        )


if __name__ == "__main__":
    main()
