"""Benchmark: how long, and how much memory, each hostile file of the corpus takes to be
refused, by every loader it is meant for (docs/security.md). Each load runs in a forked
child, timed and with its own peak memory, and is killed after --timeout seconds (a hang).

Target: every file under 1 MB refused in under 2 s and 200 MB, with a located problem.
Outcomes: "refused" (a located GovernanceError), "accepted" (no error: a wrong acceptance
unless the file is valid), "traceback" (any other exception) and "hang" (killed).
Run: python benchmarks/hostile.py [--timeout S] [--quick]
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

from tests.hostile.corpus import CSV, YAML, workbooks

from governance_core.errors import GovernanceError
from governance_core.loading import read_overlay, read_policy_file
from governance_core.model import load_roster
from governance_core.model.roster_tables import read_roster_tables
from governance_core.plugins import read_settings
from governance_core.rules.common import Supplier, SupplierKind
from governance_core.rules.scoring import read_assessment
from governance_core.testing.case_files import read_cases

FILE = Supplier(SupplierKind.FILE, "hostile", "0")
YAML_LOADERS: dict[str, Callable[[Path], object]] = {
    "policy": lambda p: read_policy_file(p, FILE),
    "overlay": read_overlay,
    "roster": load_roster,
    "assessment": read_assessment,
    "cases": read_cases,
}
TOML = {
    "nested 3,000 deep": b"a = " + b"[" * 3000 + b"]" * 3000 + b"\n",
    "not UTF-8": "[run]\nmonthly = '名单'\n".encode("gbk"),
}
EXIT = {"refused": 10, "accepted": 11, "traceback": 12}
VALID = {"dimension claims A1:XFD1048576"}  # a valid workbook that merely claims more cells


def _child(load: Callable[[Path], object], path: Path) -> int:
    try:
        load(path)
    except GovernanceError as error:
        problems = getattr(error, "problems", ())
        located = not problems or problems[0].file is not None
        return EXIT["refused"] if located else EXIT["traceback"]
    except BaseException:
        return EXIT["traceback"]
    return EXIT["accepted"]


def _measure(
    load: Callable[[Path], object], path: Path, timeout: float
) -> tuple[str, float, float]:
    """(outcome, seconds, peak MB) of ``load(path)`` in a forked child."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: load, and say how it went in the exit code
        os._exit(_child(load, path))
    deadline = start + timeout
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.perf_counter() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.wait4(pid, 0)
            return "hang", timeout, float("nan")
        time.sleep(0.005)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    outcome = next((name for name, value in EXIT.items() if value == code), "traceback")
    return outcome, seconds, usage.ru_maxrss / 1024  # the child's peak, the library included


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--quick", action="store_true", help="one loader per YAML file")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    rows: list[tuple[str, str, int, str, float, float]] = []

    def run(
        name: str, loader: str, data: bytes, suffix: str, load: Callable[[Path], object]
    ) -> None:
        path = folder / f"input{suffix}"
        path.write_bytes(data)
        rows.append((name, loader, len(data), *_measure(load, path, args.timeout)))

    loaders = list(YAML_LOADERS.items())[:1] if args.quick else YAML_LOADERS.items()
    for name, data in YAML.items():
        for loader, load in loaders:
            run(name, loader, data, ".yaml", load)
    for name, data in TOML.items():
        run(name, "settings", data, ".toml", read_settings)
    for name, data in workbooks().items():
        run(name, "import (xlsx)", data, ".xlsx", read_roster_tables)
    for name, data in CSV.items():
        (folder / "人员.csv").write_bytes(data)
        rows.append(
            (
                name,
                "import (csv)",
                len(data),
                *_measure(read_roster_tables, folder / "人员.csv", args.timeout),
            )
        )
    print(f"{'input':<40} {'loader':<14} {'bytes':>8} {'outcome':<10} {'s':>6} {'MB':>7}")
    rows = [
        (n, ld, z, "valid" if o == "accepted" and n in VALID else o, s, m)
        for n, ld, z, o, s, m in rows
    ]
    for name, loader, size, outcome, seconds, mb in rows:
        print(f"{name:<40} {loader:<14} {size:>8,} {outcome:<10} {seconds:>6.2f} {mb:>7.1f}")
    counts = Counter(outcome for *_rest, outcome, _s, _mb in rows)
    slowest = max(rows, key=lambda r: r[4])
    print(f"\n{len(rows)} loads: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    print(
        f"slowest: {slowest[0]} ({slowest[1]}) {slowest[4]:.2f} s; "
        f"most memory: {max(r[5] for r in rows if r[5] == r[5]):.1f} MB (target 2 s, 200 MB)"
    )


if __name__ == "__main__":
    main()
