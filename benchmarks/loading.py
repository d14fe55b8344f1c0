"""Benchmark: loading a large roster file, JSON and YAML, against its floor — ``orjson.loads``
of the same bytes and cattrs structuring of the result — interleaved in rounds.

Target (issue [scale]): a 50,000-person roster within 5× the floor, for JSON and for YAML;
positions are computed only when the file has a problem.
Run: python benchmarks/loading.py [--people 50000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson
import yaml

from dossier import roster_of  # this folder is on the path of a script run from it
from governance_core.model import Roster, converter, load_roster


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
                ours.append(_seconds(lambda p=path: load_roster(p)))  # type: ignore[misc]
                floor.append(_seconds(lambda p=as_json: converter.structure(
                    orjson.loads(p.read_bytes()), Roster)))  # fmt: skip
            ratios = [o / f for o, f in zip(ours, floor, strict=True)]
            print(f"{path.suffix[1:]:>4}: {people:,} people, {path.stat().st_size / 2**20:.1f} MiB: "
                  f"load_roster {statistics.median(ours):.2f} s, floor (orjson + structure) "
                  f"{statistics.median(floor):.2f} s; ratio median {statistics.median(ratios):.1f}× "
                  f"(min {min(ratios):.1f}, max {max(ratios):.1f}; target ≤ 5×)")  # fmt: skip


if __name__ == "__main__":
    main()
