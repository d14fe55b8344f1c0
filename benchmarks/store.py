"""Benchmark: the SQL store on SQLite, each figure against a baseline measured in the same run.

- persisted fire: ``Runtime.fire`` through :class:`SqlStore` (the runtime's checks, the event,
  its canonical JSON and chain hash, the compare-and-swap UPDATE, the INSERT, one commit)
  against loops writing byte for byte the same rows (the version-checked UPDATE, the event's
  row as the store wrote it, a COMMIT per fire) through SQLAlchemy Core (target ≥ 0.75×) and
  through plain ``sqlite3`` (targets ≥ 0.9× under synchronous FULL, ≥ 0.5× under NORMAL);
- bulk import of historical events (``import_history``, one transaction) against inserting
  the same events with one FULL commit each; target ≥ 10×;
- ``audit verify``: rows per second.
Run: python benchmarks/store.py [--fires N] [--events N]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, insert, update

from governance_core import Actor, Engine, Event, ProcessInstance
from governance_core.storage import SqlStore
from governance_core.storage import _schema as schema
from governance_core.storage._chain import canonical_event
from governance_core.storage.audit import verify

FOUR = "core.four_deliberations_two_disclosures"
AT = datetime(2024, 3, 1, 9, 0)
STEPS = [
    ("propose", "village_party_branch", "proposal"),
    ("deliberate", "two_committees", "minutes"),
    ("review", "party_members_meeting", "minutes"),
    ("resolve", "representatives_meeting", "resolution"),
    ("disclose_resolution", "two_committees", "notice"),
    ("disclose_results", "two_committees", "notice"),
]


# one write of a fire, as the baselines repeat it: the instance's compare-and-swap (id, old
# version, new state, new version, entered on) and the event's row as the store wrote it
Swap = tuple[str, int, str, int, str]
Write = tuple[Swap, tuple[Any, ...]]
EVENT_COLUMNS = (
    "position",
    "kind",
    "instance",
    "sequence",
    "request_id",
    "body",
    "state",
    "hash",
    "previous_hash",
)


class Persisted:
    """Fires of 四议两公开 through ``Runtime.fire`` and a SqlStore, taken in rounds."""

    def __init__(self, folder: Path, synchronous: str, fires: int, engine: Engine) -> None:
        self.path = folder / f"fire-{synchronous}.db"
        store = SqlStore(f"sqlite:///{self.path}", synchronous=synchronous)
        self.runtime = engine.runtime(store)
        self.instances = [
            self.runtime.start(FOUR, f"m{n}", Actor("a"), AT, instance_id=f"m{n}")
            for n in range(fires // len(STEPS) + 1)
        ]
        self.moves = iter(
            [
                (instance, step, Actor("b", frozenset({role})), {kind: "d"})
                for step, role, kind in STEPS
                for instance in self.instances
            ]
        )

    def round(self, fires: int) -> tuple[float, list[Write]]:
        """Seconds taken by the next ``fires`` fires, and what they wrote (read back from the
        store's file, untimed)."""
        moves = [next(self.moves) for _ in range(fires)]
        start = time.perf_counter()
        results = [
            self.runtime.fire(instance, step, actor, AT, evidence=evidence)
            for instance, step, actor, evidence in moves
        ]
        taken = time.perf_counter() - start
        read = sqlite3.connect(self.path)
        select_row = (
            f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE instance = ? AND sequence = ?"
        )
        writes = []
        for r in results:
            e = r.event
            swap = (e.instance, e.sequence - 1, e.dest, e.sequence, e.at.date().isoformat())
            writes.append((swap, read.execute(select_row, (e.instance, e.sequence)).fetchone()))
        read.close()
        return taken, writes


class Raw:
    """The same writes by hand through SQLAlchemy Core, on a store holding the same
    instances: the version-checked UPDATE of the instance and the INSERT of its event row,
    byte for byte the row the store wrote (its body, state and hashes made beforehand), and a
    COMMIT per fire."""

    def __init__(
        self, folder: Path, synchronous: str, like: Persisted, engine: Engine, name: str = "raw"
    ) -> None:
        self.path = folder / f"{name}-{synchronous}.db"
        self.store = SqlStore(f"sqlite:///{self.path}", synchronous=synchronous)
        runtime = engine.runtime(self.store)
        for i in like.instances:
            runtime.start(FOUR, i.subject, Actor("a"), AT, instance_id=i.id)
        # the statements built once, as the store builds its own
        self.swap = (
            update(schema.instances)
            .where(
                schema.instances.c.id == bindparam("key"),
                schema.instances.c.version == bindparam("old"),
            )
            .values(
                state=bindparam("new_state"),
                version=bindparam("new"),
                entered_on=bindparam("entered_on"),
            )
        )
        self.add = insert(schema.events)

    def round(self, writes: list[Write]) -> float:
        start = time.perf_counter()
        for (key, old, state, new, entered_on), row in writes:
            with self.store.engine.begin() as c:
                c.execute(
                    self.swap,
                    {
                        "key": key,
                        "old": old,
                        "new_state": state,
                        "new": new,
                        "entered_on": date.fromisoformat(entered_on),
                    },
                )
                c.execute(self.add, dict(zip(EVENT_COLUMNS, row, strict=True)))
        return time.perf_counter() - start


class Plain(Raw):
    """The same writes through plain ``sqlite3``: the floor under SQLAlchemy itself."""

    def __init__(self, folder: Path, synchronous: str, like: Persisted, engine: Engine) -> None:
        super().__init__(folder, synchronous, like, engine, name="plain")
        self.store.engine.dispose()
        self.connection = sqlite3.connect(self.path, isolation_level=None)
        self.connection.execute(f"PRAGMA synchronous={synchronous}")
        self.connection.execute("PRAGMA journal_mode=WAL")

    def round(self, writes: list[Write]) -> float:
        c = self.connection
        swap = (
            "UPDATE instances SET state = ?, version = ?, entered_on = ? "
            "WHERE id = ? AND version = ?"
        )
        add = (
            f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
        )
        start = time.perf_counter()
        for (key, old, state, new, entered_on), row in writes:
            c.execute("BEGIN IMMEDIATE")
            c.execute(swap, (state, new, entered_on, key, old))
            c.execute(add, row)
            c.execute("COMMIT")
        return time.perf_counter() - start


def spread(ratios: list[float]) -> str:
    return f"{statistics.median(ratios):.2f}× (min {min(ratios):.2f}, max {max(ratios):.2f})"


def fire_rates(folder: Path, synchronous: str, fires: int, engine: Engine) -> str:
    """Fires per second (SqlStore, raw SQL through SQLAlchemy Core, plain sqlite3) and the
    ratios per round, taken in alternating rounds so that the machine's drift during the run
    weighs on all alike; the baselines' rounds write exactly the rows the store's round
    wrote."""
    ours = Persisted(folder, synchronous, fires, engine)
    raw = Raw(folder, synchronous, ours, engine)
    plain = Plain(folder, synchronous, ours, engine)
    rounds, size = 10, max(fires // 10, 1)
    times: list[tuple[float, float, float]] = []
    for _ in range(rounds):
        taken, writes = ours.round(size)
        times.append((taken, raw.round(writes), plain.round(writes)))
    ours_time, raw_time, plain_time = (sum(t[k] for t in times) for k in range(3))
    target = "0.9" if synchronous == "FULL" else "0.5"
    return (
        f"fire, synchronous={synchronous}: SqlStore {rounds * size / ours_time:,.0f}/s; raw "
        f"SQL through SQLAlchemy {rounds * size / raw_time:,.0f}/s → "
        f"{spread([r / o for o, r, _ in times])} (target ≥ 0.75×); plain sqlite3 "
        f"{rounds * size / plain_time:,.0f}/s → {spread([p / o for o, _, p in times])} "
        f"(target ≥ {target}×)"
    )


def history(n_events: int, engine: Engine) -> list[tuple[ProcessInstance, list[Event]]]:
    """Instances of 四议两公开 walked to their end in memory: real events to import."""
    runtime = engine.runtime()
    found = []
    for n in range(n_events // 7):
        instance = runtime.start(FOUR, f"h{n}", Actor("a"), AT, instance_id=f"h{n}")
        for step, role, kind in STEPS:
            runtime.fire(instance, step, Actor("b", frozenset({role})), AT, evidence={kind: "d"})
        found.append((instance, list(runtime.history(instance.id))))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fires", type=int, default=2_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--per-row", type=int, default=2_000, help="per-row commits timed")
    args = parser.parse_args()
    engine = Engine.load()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for synchronous in ("FULL", "NORMAL"):
            print(fire_rates(folder, synchronous, args.fires, engine))
        histories = history(args.events, engine)
        events = sum(len(e) for _, e in histories)
        store = SqlStore(f"sqlite:///{folder / 'bulk.db'}")
        engine.runtime(store)  # pins the definitions the events ran under
        start = time.perf_counter()
        store.import_history(histories)
        bulk = events / (time.perf_counter() - start)
        rows = [e for _, es in histories for e in es][: args.per_row]
        single = SqlStore(f"sqlite:///{folder / 'single.db'}")
        engine.runtime(single)
        with single.engine.begin() as c:
            c.execute(insert(schema.instances), [vars_of(i) for i, _ in histories])
        start = time.perf_counter()
        for n, e in enumerate(rows, 1):
            with single.engine.begin() as c:
                c.execute(
                    insert(schema.events).values(
                        position=n,
                        instance=e.instance,
                        sequence=e.sequence,
                        body=canonical_event(e).decode(),
                        hash="0" * 64,
                        previous_hash="0" * 64,
                    )
                )
        per_row = len(rows) / (time.perf_counter() - start)
        print(
            f"import {events:,} events: one transaction {bulk:,.0f}/s, one FULL commit per row "
            f"{per_row:,.0f}/s (timed over {len(rows):,}) → {bulk / per_row:.1f}× (target ≥ 10×)"
        )
        start = time.perf_counter()
        report = verify(store)
        rate = report.rows / (time.perf_counter() - start)
        print(f"audit verify: {report.rows:,} events, {rate:,.0f} rows/s, ok={report.ok}")


def vars_of(instance: ProcessInstance) -> dict[str, object]:
    import attrs

    return attrs.asdict(instance)


if __name__ == "__main__":
    main()
