"""Benchmark: one person's dossier in a large roster (what a procedure's guard asks for each
fire), against the floor of reading that person's rows by hand, interleaved in rounds.

Target (issue [scale]): at 100,000 people, one dossier in at most 1 ms, through an index built
once per roster. Prints the index's one-off cost, the per-call time and its ratio to the floor.
Run: python benchmarks/dossier.py [--people 100000] [--rounds 5] [--calls 2000]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

import attrs

from governance_core.jobs.example_district import example_district
from governance_core.model import Roster

AS_OF = date(2024, 6, 30)


def roster_of(people: int) -> Roster:
    """The example district's secretaries, copied until there are ``people`` of them."""
    base = example_district().roster
    copies = max(1, people // len(base.people))
    return Roster(
        people=tuple(attrs.evolve(p, id=f"{p.id}-{k}") for k in range(copies) for p in base.people),
        organisations=base.organisations,
        posts=tuple(
            attrs.evolve(p, person=f"{p.person}-{k}") for k in range(copies) for p in base.posts
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    roster = roster_of(args.people)
    wanted = roster.people[len(roster.people) // 2].id
    started = time.perf_counter()
    roster.dossier(wanted, AS_OF)  # builds the index
    index_s = time.perf_counter() - started
    posts = {p.person: p for p in roster.posts}  # the floor: that person's row, by hand
    ours, floor = [], []
    for _ in range(args.rounds):  # interleaved, so a busy machine slows both alike
        started = time.perf_counter()
        for _ in range(args.calls):
            roster.dossier(wanted, AS_OF)
        ours.append((time.perf_counter() - started) / args.calls)
        started = time.perf_counter()
        for _ in range(args.calls):
            row = posts[wanted]
            _ = (row,) if row.start <= AS_OF else ()
        floor.append((time.perf_counter() - started) / args.calls)
    per_call_ms = statistics.median(ours) * 1000
    ratios = [o / f for o, f in zip(ours, floor, strict=True)]
    print(f"people: {len(roster.people)}; index built once in {index_s:.2f} s")
    print(
        f"one dossier: {per_call_ms:.4f} ms (median of {args.rounds} rounds); "
        f"target <= 1 ms: {'met' if per_call_ms <= 1 else 'NOT met'}"
    )
    print(
        f"ratio to reading the row by hand: median {statistics.median(ratios):.0f}x, "
        f"range {min(ratios):.0f}x-{max(ratios):.0f}x"
    )


if __name__ == "__main__":
    main()
