"""A province of example districts, each run as a district runs its own main job: its own
store and workbook, nothing shared, so districts run one after another in one process or side
by side in worker processes with the same results (benchmarks/province.py; docs/performance.md).

A district's results are summed up by two digests: ``head``, the hash chain's head over every
record its store holds (so two equal heads mean the same records, byte for byte), and
``decisions``, over every verdict, grade and place as decided, before anything is recorded.
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import resource
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, final

import attrs
import orjson

from governance_core.engine import Engine
from governance_core.jobs.collection import kept_from_collection
from governance_core.jobs.cycle_run import RunReport, StepInputs, run_period
from governance_core.jobs.example_district import VILLAGES, example_district
from governance_core.jobs.main_job import finding_kinds, record_kinds
from governance_core.plugins import read_settings
from governance_core.rules.cycles import Period
from governance_core.storage import SqlStore

if TYPE_CHECKING:
    from distributed import Client

__all__ = [
    "DistrictResult",
    "WriteBook",
    "decisions_digest",
    "engine_for",
    "peak_memory_mib",
    "province_seeds",
    "run_example_province",
    "run_into",
]


@final
@attrs.frozen(slots=True)
class DistrictResult:
    """One district's run: its seed, villages, records written, the two digests, and the CPU
    seconds it took in its process."""

    seed: int
    villages: int
    records: int
    head: str
    decisions: str
    cpu_seconds: float
    phases: Mapping[str, float] = attrs.field(factory=dict, eq=False)
    """CPU seconds by phase: load (the engine, the first time in its process, and the
    district's data), gather, decide, record (the run's own) and workbook."""


def province_seeds(districts: int, *, first: int = 2024) -> list[int]:
    """The seeds of a province of ``districts`` example districts: the first is the example
    district itself, so one district is the example run."""
    return [first + k for k in range(districts)]


def decisions_digest(report: RunReport) -> str:
    """A digest of everything a run decided: each step's verdicts (list, person, outcome,
    conclusive, every item's status), grades (group, person, score, place, grade, rule,
    conclusive) and records counted (organisation, count, needed), in the order decided."""
    rows: list[Any] = []
    for step in report.steps:
        rows.append([step.name, step.done])
        if step.assessment is not None:
            rows += [
                [g.group, g.person_id, str(g.score), g.place, g.grade, g.rule, g.conclusive]
                for g in step.assessment.graded
            ]
        rows += [
            [
                v.list_id,
                v.person_id,
                v.outcome.value,
                v.conclusive,
                [i.status.value for i in v.items],
            ]
            for v in step.verdicts
        ]
        rows += [[k.organisation.id, k.count, k.needed] for k in step.kept]
    return hashlib.sha256(orjson.dumps(rows)).hexdigest()


@functools.cache
def engine_for(settings: Path) -> Engine:
    """The engine of ``settings``, loaded once per process (a worker loads each district's
    settings once, however many districts share them)."""
    return Engine.load(read_settings(settings))


WriteBook = Callable[[RunReport, Engine, Path], None]
"""How a district's workbook is written (present.workbook.write_workbook): the front end's
to give, the jobs knowing nothing of how people read a run."""


def run_into(engine: Engine, period: Period, data: StepInputs, url: str) -> tuple[RunReport, str]:
    """Run ``period`` over ``data`` into the store at ``url``: the report and the head of the
    store's chain. The store's connections are closed after (a province holds one district's
    at a time), whether the run ended or was refused."""
    store = SqlStore(url)
    try:
        report = run_period(engine, period, data, store)
        _position, head = store.head()
    finally:
        store.engine.dispose()
    return report, head


def _run_district(
    settings: Path, period: Period, folder: Path, write_book: WriteBook | None, seed: int
) -> DistrictResult:
    started = time.process_time()
    engine = engine_for(settings)
    data = example_district(
        seed=seed,
        as_of=period.end,
        finding_kinds=finding_kinds(engine, period.end),
        record_kinds=record_kinds(engine),
    )
    loaded = time.process_time() - started
    with kept_from_collection():  # a Dask worker's: the province's process kept its own
        url = f"sqlite:///{folder / f'district-{seed}.db'}"
        report, head = run_into(engine, period, data, url)
        run_done = time.process_time()
        if write_book is not None:
            write_book(report, engine, folder / f"district-{seed}.xlsx")
    phases = {"load": loaded, **report.cpu, "workbook": time.process_time() - run_done}
    return DistrictResult(
        seed,
        VILLAGES,
        report.records_written,
        head,
        decisions_digest(report),
        time.process_time() - started,
        phases,
    )


def run_example_province(
    settings: Path,
    period: Period,
    seeds: Sequence[int],
    folder: Path,
    *,
    jobs: int = 1,
    write_book: WriteBook | None = None,
    client: Client | None = None,
) -> list[DistrictResult]:
    """Run the example district of each seed over ``period`` under ``settings``, each with its
    store (and, with ``write_book``, its workbook) in ``folder``; with ``jobs`` > 1, in that
    many worker processes; with ``client``, on its Dask workers. The results come in the
    order of ``seeds`` and do not depend on how they ran."""
    run = functools.partial(_run_district, settings, period, folder, write_book)
    if client is not None:
        futures = client.map(run, seeds, pure=False)
        return list(client.gather(futures))  # type: ignore[no-untyped-call]
    engine_for(settings)  # loaded once here: forked workers start with it
    with kept_from_collection():
        if jobs <= 1:
            return [run(seed) for seed in seeds]
        # forked, said outright: a process itself spawned (or Python 3.14's default) would
        # otherwise start each worker afresh, importing and loading the engine again
        forking = "fork" in multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if forking else None)
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            return list(pool.map(run, seeds))


def peak_memory_mib(*, children: bool = False) -> float:
    """The peak resident memory of this process (or of its largest finished child), MiB."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux
