"""How long the analysis takes, and what a diff costs against evaluating twice.

1. ``analyse`` over every contrib plugin on one date: the time, and the solver's share of it
   (the time inside z3's ``check``).
2. ``impact`` (what `governance diff` computes) between the 市中区 and 胶州 plugins and the
   same with 市中区's example overlay, over the example district at ``--scale`` (that many
   seeds of it), against the floor of evaluating every list over the same people under
   both sets. Rounds interleave the two; the median ratio and its spread are printed
   (target: within 2× of evaluating twice).

    .venv/bin/python benchmarks/analysis.py --scale 16 --rounds 3
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

import z3

from governance_core import Engine
from governance_core.analysis import analyse
from governance_core.analysis.impact import impact
from governance_core.jobs.example_district import example_district
from governance_core.jobs.main_job import finding_kinds
from governance_core.rules.criteria.kind import CRITERIA

ROOT = Path(__file__).parent.parent
CONTRIB = ["shizhong", "jiaozhou", "zichuan", "wenshang", "jiaxiang", "yutai", "yicheng", "jining"]
OVERLAY = ROOT / "plugins_contrib/shizhong/docs/example-overlay.yaml"
DAY = date(2024, 6, 30)


def _analysis() -> tuple[float, float, int]:
    """Seconds for the whole analysis, seconds inside the solver, findings."""
    inside = [0.0]
    check = z3.Solver.check

    def timed(self: Any, *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return check(self, *args)
        finally:
            inside[0] += time.perf_counter() - started

    engine = Engine.load(plugins=CONTRIB)
    z3.Solver.check = timed
    try:
        started = time.perf_counter()
        found = analyse(engine, DAY)
        return time.perf_counter() - started, inside[0], len(found)
    finally:
        z3.Solver.check = check


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    total, solver, found = _analysis()
    print(
        f"analyse {len(CONTRIB)} contrib plugins: {total:.2f} s, the solver {solver:.2f} s "
        f"({solver / total:.0%}), {found} findings"
    )

    base = Engine.load(plugins=["shizhong", "jiaozhou"])
    other = base.with_overlays([OVERLAY])
    kinds = finding_kinds(other, DAY)  # the overlay's conditions too: someone it reaches
    rosters = [
        example_district(seed=2024 + i, as_of=DAY, finding_kinds=kinds).roster
        for i in range(args.scale)
    ]
    people = sum(len(r.people) for r in rosters)
    diffs, floors = [], []
    for _ in range(args.rounds):  # interleaved: a busy machine slows both alike
        started = time.perf_counter()
        for roster in rosters:
            impact(base, other, roster, DAY, DAY)
        diffs.append(time.perf_counter() - started)
        started = time.perf_counter()
        for roster in rosters:
            dossiers = roster.dossiers(DAY)
            for engine in (base, other):
                for list_id in engine.policies.of(CRITERIA):
                    engine.evaluate(list_id, dossiers, DAY)
        floors.append(time.perf_counter() - started)
    ratios = [d / f for d, f in zip(diffs, floors, strict=True)]
    print(
        f"diff over the example district at {args.scale}× ({people} people): "
        f"{statistics.median(diffs):.2f} s against evaluating twice "
        f"{statistics.median(floors):.2f} s: {statistics.median(ratios):.2f}× "
        f"(min {min(ratios):.2f}, max {max(ratios):.2f}; target ≤ 2×)"
    )


if __name__ == "__main__":
    main()
