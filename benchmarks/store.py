"""Benchmark: the SQL store on SQLite, each figure against a baseline measured in the same run.

- persisted fire: ``Runtime.fire`` through :class:`SqlStore` (compare-and-swap UPDATE, the
  chained event, the head, the deadlines, one commit) against a raw loop of the same core SQL
  (version-checked UPDATE + INSERT + COMMIT) on the same file, under synchronous FULL and
  NORMAL; target ≥ 0.75× the raw rate;
- bulk import of historical events (``import_history``, one transaction) against inserting
  the same events with one FULL commit each; target ≥ 10×;
- ``audit verify``: rows per second.
Run: python benchmarks/store.py [--fires N] [--events N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import bindparam, insert, update

from governance_core import Actor, Engine, Event, ProcessInstance
from governance_core.store import SqlStore, schema
from governance_core.store.audit import verify
from governance_core.store.sql import GENESIS, canonical_event, chain_hash

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


def persisted(folder: Path, synchronous: str, fires: int, engine: Engine) -> float:
    store = SqlStore(f"sqlite:///{folder / f'fire-{synchronous}.db'}", synchronous=synchronous)
    runtime = engine.runtime(store)
    instances = [
        runtime.start(FOUR, f"m{n}", Actor("a"), AT, instance_id=f"m{n}")
        for n in range(fires // len(STEPS) + 1)
    ]
    start = time.perf_counter()
    done = 0
    for step, role, kind in STEPS:
        actor = Actor("b", frozenset({role}))
        for instance in instances:
            if done == fires:
                break
            runtime.fire(instance, step, actor, AT, evidence={kind: "d"})
            done += 1
    return fires / (time.perf_counter() - start)


def raw(folder: Path, synchronous: str, fires: int) -> float:
    store = SqlStore(f"sqlite:///{folder / f'raw-{synchronous}.db'}", synchronous=synchronous)
    engine = Engine.load()
    runtime = engine.runtime(store)
    runtime.start(FOUR, "m", Actor("a"), AT, instance_id="m")
    body = canonical_event(runtime.history("m")[0]).decode()
    digest = chain_hash(GENESIS, body.encode())
    # the statements built once, as the store builds its own
    swap = (
        update(schema.instances)
        .where(schema.instances.c.id == "m", schema.instances.c.version == bindparam("old"))
        .values(version=bindparam("new"))
    )
    add = insert(schema.events)
    start = time.perf_counter()
    for n in range(fires):
        with store.engine.begin() as c:
            c.execute(swap, {"old": n + 1, "new": n + 2})
            c.execute(
                add,
                {
                    "position": n + 2,
                    "instance": "m",
                    "sequence": n + 2,
                    "body": body,
                    "hash": digest,
                    "previous_hash": digest,
                },
            )
    return fires / (time.perf_counter() - start)


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
            ours = persisted(folder, synchronous, args.fires, engine)
            baseline = raw(folder, synchronous, args.fires)
            print(
                f"fire, synchronous={synchronous}: raw SQL {baseline:,.0f}/s, SqlStore "
                f"{ours:,.0f}/s → {ours / baseline:.2f}× the raw rate (target ≥ 0.75×)"
            )
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
