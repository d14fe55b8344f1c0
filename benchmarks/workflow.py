"""Benchmark: the workflow runtime against bare ``transitions`` and bare attrs records.

Prints, in one run:
- fire: ``Runtime.fire`` in memory (role and state checks, version, event, store write; no
  user guards, no evidence) against a raw ``Event.trigger`` of the same transitions machine
  on a bare record, interleaved in rounds (median, min–max); target ≤ 1.3×;
- memory per instance (tracemalloc, 10,000 instances); target ≤ 1 KiB;
- building 10,000 instances (``ProcessInstance`` records pinned to a compiled definition)
  against building bare attrs records of the same fields; target ≤ 2×; and, for the record,
  ``Runtime.start`` (instance, opening event and store row) against the same bare records.
Run: python benchmarks/workflow.py [--fires N] [--instances N]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, datetime

import attrs

from governance_core.expressions import BUILTIN_FUNCTIONS, ExpressionSchema
from governance_core.loading.policy_set import PolicySet
from governance_core.rules.common import Citation, Title
from governance_core.rules.procedures import ProcessDefinition, Role, State, Step, SubjectKind
from governance_core.rules.procedures.kind import PROCEDURES
from governance_core.runtime import Actor, ProcessInstance, Runtime, build_machine

AT = datetime(2024, 3, 1, 9, 0)
T = Title("测试", "test")


def definition() -> ProcessDefinition:
    return ProcessDefinition(
        "bench.pingpong",
        T,
        Citation("基准", "一", "benchmark"),
        SubjectKind.MATTER,
        "a",
        (State("a", T), State("b", T), State("end", T, terminal=True)),
        (
            Step("go", T, ("a",), "b", roles=("r",)),
            Step("back", T, ("b",), "a", roles=("r",)),
            Step("finish", T, ("a", "b"), "end", roles=("r",)),
        ),
        roles=(Role("r", T),),
    )


@attrs.define(slots=True)
class Bare:
    """The same fields as ProcessInstance, nothing else."""

    id: str
    process: str
    process_version: int
    definition_hash: str
    subject: str
    state: str
    version: int
    entered_on: date


def best(run: Callable[[], None], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fires", type=int, default=100_000)
    parser.add_argument("--instances", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    d = definition()
    policies = PolicySet({}, ExpressionSchema({}, BUILTIN_FUNCTIONS), {PROCEDURES.name: {d.id: d}})
    actor = Actor("bench", frozenset({"r"}))
    n = args.fires

    machine = build_machine(d)
    go, back = machine.events["go"], machine.events["back"]

    def raw() -> None:
        record = Bare("x", d.id, 1, "h", "s", "a", 1, AT.date())
        for _ in range(n // 2):
            go.trigger(record)
            back.trigger(record)

    def fired() -> None:
        runtime = Runtime(policies)
        instance = runtime.start(d.id, "s", actor, AT, instance_id="x")
        fire = runtime.fire
        for _ in range(n // 2):
            fire(instance, "go", actor, AT)
            fire(instance, "back", actor, AT)

    raws, fires = [], []
    for _ in range(args.repeat):  # interleaved: a busy machine slows both alike
        raws.append(best(raw, 1) / n)
        fires.append(best(fired, 1) / n)
    ratios = [f / r for r, f in zip(raws, fires, strict=True)]
    print(
        f"fire, {n:,} in memory:  raw Event.trigger {statistics.median(raws) * 1e6:.2f} µs, "
        f"Runtime.fire {statistics.median(fires) * 1e6:.2f} µs  → median "
        f"{statistics.median(ratios):.2f}× (min {min(ratios):.2f}, max {max(ratios):.2f}; "
        f"target ≤ 1.3×)"
    )

    m = args.instances
    compiled = Runtime(policies).process(d.id)
    ids = [f"{d.id}/{i:08d}" for i in range(m)]
    subjects = [f"事项{i:06d}" for i in range(m)]
    day = AT.date()

    def bare() -> None:
        [
            Bare(i, d.id, 1, compiled.hash, s, "a", 1, day)
            for i, s in zip(ids, subjects, strict=True)
        ]

    def built() -> None:
        [
            ProcessInstance(i, d.id, d.version, compiled.hash, s, d.initial, 1, day)
            for i, s in zip(ids, subjects, strict=True)
        ]

    def started() -> None:
        runtime = Runtime(policies)
        for i, s in zip(ids, subjects, strict=True):
            runtime.start(d.id, s, actor, AT, instance_id=i)

    t_bare = best(bare, args.repeat)
    t_built = best(built, args.repeat)
    t_started = best(started, args.repeat)
    print(
        f"build {m:,} instances: bare attrs {t_bare * 1e3:.2f} ms, ProcessInstance "
        f"{t_built * 1e3:.2f} ms → {t_built / t_bare:.2f}×  (target ≤ 2×); Runtime.start "
        f"with its event and store row {t_started * 1e3:.2f} ms → {t_started / t_bare:.2f}×"
    )

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    kept = [  # each with its own id and subject strings, as instances read from a store
        ProcessInstance(
            f"{d.id}/{i:08d}", d.id, d.version, compiled.hash, f"事项{i:06d}", d.initial, 1, day
        )
        for i in range(m)
    ]
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    used = sum(s.size_diff for s in after.compare_to(before, "filename"))
    print(
        f"memory: {used / len(kept):.0f} B per instance, its own id and subject strings "
        "included (target ≤ 1 KiB)"
    )


if __name__ == "__main__":
    main()
