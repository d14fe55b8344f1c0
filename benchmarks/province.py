"""Benchmark: the main job over a province of example districts (jobs/province.py), each
district with its own store and workbook, as a district runs its own.

Prints the growth table — districts, villages, CPU seconds, wall seconds, CPU per village and
peak memory of the one process that ran them — for each scale (1× is the example district, 447
villages; 112× is a province of 50,000), then the same scale with ``--jobs N`` worker processes
against one process, interleaved in rounds, with whether every district's records (the chain's
head) and decisions came out the same — and on a Dask LocalCluster of as many workers (started
before the clock). The CPU seconds of the last scale are split by phase: load, gather, decide,
record, workbook.

Targets (issue [scale]): 112× in at most 25 s CPU and 600 MiB in one process; at least 1.7×
with --jobs 2 on 2 cores, identical results.
Run: python benchmarks/province.py [--scales 1 4 16 112] [--jobs 2] [--jobs-scale 16]
     [--rounds 2]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from governance_core.jobs.example_district import VILLAGES
from governance_core.jobs.province import (
    DistrictResult,
    peak_memory_mib,
    province_seeds,
    run_example_province,
)
from governance_core.plugins import example_settings_file
from governance_core.present.workbook import write_workbook
from governance_core.rules.cycles import Period

PERIOD = Period.parse("2024Q4")


def _province(
    scale: int, jobs: int, dask: bool = False
) -> tuple[list[DistrictResult], float, float, float]:
    """Run a province of ``scale`` districts in this (fresh) process — with ``jobs`` > 1 in
    that many worker processes, or with ``dask`` on a Dask LocalCluster of ``jobs`` workers
    (started before the clock, as a cluster is) — : the results, CPU seconds of every
    process, wall seconds and this process's peak memory."""
    client = None
    if dask:
        from distributed import Client, LocalCluster

        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)  # type: ignore[no-untyped-call]
    with tempfile.TemporaryDirectory() as folder:
        cpu, wall = time.process_time(), time.perf_counter()
        results = run_example_province(
            example_settings_file(),
            PERIOD,
            province_seeds(scale),
            Path(folder),
            jobs=1 if dask else jobs,
            write_book=write_workbook,
            client=client,
        )
        wall = time.perf_counter() - wall
        cpu = time.process_time() - cpu
    if client is not None:
        client.close()  # type: ignore[no-untyped-call]
        cluster.close()
    if jobs > 1:  # the workers' CPU, as they measured it
        cpu += sum(r.cpu_seconds for r in results)
    return results, cpu, wall, peak_memory_mib()


def in_fresh_process(
    scale: int, jobs: int, dask: bool = False
) -> tuple[list[DistrictResult], float, float, float]:
    """:func:`_province` in a new interpreter: its memory is that run's alone."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        return pool.submit(_province, scale, jobs, dask).result()


def _phases(results: list[DistrictResult]) -> str:
    """CPU seconds by phase over every district, and each phase's share."""
    total: dict[str, float] = {}
    for r in results:
        for phase, seconds in r.phases.items():
            total[phase] = total.get(phase, 0.0) + seconds
    whole = sum(total.values()) or 1.0
    return ", ".join(f"{p} {s:.1f} s ({s / whole:.0%})" for p, s in total.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 4, 16, 112])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--jobs-scale", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    print(
        f"{'scale':>6} {'villages':>9} {'CPU s':>8} {'wall s':>8} {'ms CPU/village':>15} "
        f"{'peak MiB':>9} {'records':>9}"
    )
    split = ""
    for scale in args.scales:
        results, cpu, wall, peak = in_fresh_process(scale, 1)
        villages = scale * VILLAGES
        print(
            f"{scale:>5}× {villages:>9} {cpu:>8.1f} {wall:>8.1f} {cpu / villages * 1000:>15.2f} "
            f"{peak:>9.0f} {sum(r.records for r in results):>9}"
        )
        split = f"phases at {scale}× (CPU): {_phases(results)}"
    print(split)

    if args.jobs > 1:
        one, many, dask, same = [], [], [], True
        for _ in range(args.rounds):  # interleaved: a busy machine slows all alike
            first, _cpu, wall, _peak = in_fresh_process(args.jobs_scale, 1)
            one.append(wall)
            second, _cpu, wall, _peak = in_fresh_process(args.jobs_scale, args.jobs)
            many.append(wall)
            third, _cpu, wall, _peak = in_fresh_process(args.jobs_scale, args.jobs, dask=True)
            dask.append(wall)
            same &= (
                [(r.head, r.decisions) for r in first]
                == [(r.head, r.decisions) for r in second]
                == [(r.head, r.decisions) for r in third]
            )
        print(f"\n{args.jobs_scale}× on {args.jobs} workers against one process (wall seconds):")
        for name, times in (("--jobs (processes)", many), ("Dask LocalCluster", dask)):
            ratios = [o / m for o, m in zip(one, times, strict=True)]
            print(
                f"  {name:<19} one process {statistics.median(one):.1f} s, workers "
                f"{statistics.median(times):.1f} s; speed-up median "
                f"{statistics.median(ratios):.2f}× (min {min(ratios):.2f}, max {max(ratios):.2f}; "
                f"target ≥ 1.7× on 2 idle cores)"
            )
        print(f"  identical records and decisions every way: {'yes' if same else 'NO'}")
        if not same:
            raise SystemExit("the districts' results differ with --jobs or on Dask")


if __name__ == "__main__":
    main()
