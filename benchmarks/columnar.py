"""Benchmark: the 12-item list of ``criteria.py`` evaluated column-wise with NumPy.

The roster is turned into one array per fact the conditions read (a Python pass over the
dossiers, as any columnar engine must make from these records), then the 12 conditions are
array operations. Prints, interleaved in rounds in CPU seconds against the fused hand-written
function (the floor of the compiled path), median and min–max:
  - columns built and evaluated (what a roster of records costs),
  - evaluated only (what a roster already held in columns would cost),
after checking the answers equal the fused function's on every record.

Amounts are compared as integers of fen here, which these records allow; the library's
amounts are Decimal, and a float column would be a second, inexact semantics.
Run: python benchmarks/columnar.py [--records N] [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from criteria import AS_OF, fused, make_dossiers
from governance_core import Dossier

_SINCE_3 = date(AS_OF.year - 3, AS_OF.month, AS_OF.day).toordinal()
_SINCE_2 = date(AS_OF.year - 2, AS_OF.month, AS_OF.day).toordinal()
_LOW_EDUCATION = frozenset(("初中", "小学"))

Columns = dict[str, npt.NDArray[Any]]


def _latest(d: Dossier, kind: str) -> int:
    """The ordinal of the latest finding of ``kind`` (0 for none)."""
    return max(
        (f.established_on.toordinal() for f in d.findings or () if f.kind == kind), default=0
    )


def _start_of_post(d: Dossier) -> date:
    held = [p.start for p in d.posts if p.role == "党组织书记" and p.held_on(d.as_of)]
    return held[0] if held else d.as_of


def columns(dossiers: Sequence[Dossier]) -> Columns:
    """One array per fact the 12 conditions read."""

    def column(read: Callable[[Dossier], Any], kind: Any) -> npt.NDArray[Any]:
        return np.fromiter((read(d) for d in dossiers), dtype=kind, count=len(dossiers))

    def ymd(read: Callable[[Dossier], date]) -> npt.NDArray[np.int64]:
        def number(d: Dossier) -> int:
            day = read(d)
            return day.year * 10_000 + day.month * 100 + day.day

        return column(number, np.int64)

    return {
        "organised_crime": column(
            lambda d: any(f.kind == "涉黑涉恶" for f in d.findings or ()), bool
        ),
        "three_assets": column(lambda d: _latest(d, "“三资”管理混乱"), np.int64),
        "non_performance": column(lambda d: _latest(d, "长期不履职"), np.int64),
        "missed_days": column(lambda d: d.counts["民主活动日缺席"], np.int64),
        "missed_meetings": column(lambda d: d.counts["工作例会缺席"], np.int64),
        "income_fen": column(lambda d: int(d.amounts["集体经济收入"] * 100), np.int64),
        "post_start": ymd(_start_of_post),
        "birth": ymd(lambda d: d.person.birth_date or AS_OF),
        "low_education": column(lambda d: d.person.education in _LOW_EDUCATION, bool),
        "unfit_2023": column(lambda d: d.grades[2023] == "不称职", bool),
        "rank": column(lambda d: d.ranks["2024-Q1"], np.int64),
        "report": column(lambda d: any(x.kind == "调研报告" for x in d.documents or ()), bool),
    }


def _full_years(start: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Whole years from each yyyymmdd in ``start`` to AS_OF (a birthday not yet reached
    this year does not count)."""
    today = AS_OF.year * 10_000 + AS_OF.month * 100 + AS_OF.day
    return (today - start) // 10_000


def evaluate(c: Columns) -> npt.NDArray[np.bool_]:
    """The 12 conditions, one row per record."""
    in_post = _full_years(c["post_start"])
    return np.column_stack(
        [
            c["organised_crime"],
            c["three_assets"] > _SINCE_3,
            c["non_performance"] > _SINCE_2,
            c["missed_days"] > 3,
            c["missed_meetings"] >= 2,
            c["income_fen"] < 50_000 * 100,
            in_post < 1,
            _full_years(c["birth"]) >= 60,
            c["low_education"],
            c["unfit_2023"],
            c["rank"] > 20,
            ~c["report"],
        ]
    )


def cpu(run: Callable[[], Any]) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    dossiers = make_dossiers(args.records)
    held = columns(dossiers)
    expected = np.array([fused(d) for d in dossiers])
    assert (evaluate(held) == expected).all(), "the columns disagree with the fused function"

    ratios: dict[str, list[float]] = {"built": [], "held": []}
    for _ in range(args.rounds):  # interleaved: a busy machine slows them alike
        floor = cpu(lambda: [fused(d) for d in dossiers])
        ratios["built"].append(cpu(lambda: evaluate(columns(dossiers))) / floor)
        ratios["held"].append(cpu(lambda: evaluate(held)) / floor)
    print(f"12-item list, {args.records:,} records, columnar (NumPy {np.__version__})")
    for name, label in (("built", "columns built + evaluated"), ("held", "evaluated only")):
        spread = ratios[name]
        print(
            f"  {label:<26} / fused function = {statistics.median(spread):.3f}x median "
            f"(min {min(spread):.3f}, max {max(spread):.3f}), CPU time"
        )


if __name__ == "__main__":
    main()
