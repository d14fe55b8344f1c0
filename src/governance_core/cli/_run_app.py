"""`governance run`: the main job over the bundled example district (docs/main-job.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from governance_core.cli._options import (
    DEFAULT_DATABASE,
    FROM_OPTIONS,
    Choice,
    StoreOption,
    loads_policies,
    output_file,
)
from governance_core.cli._output import plain_console
from governance_core.engine import Engine
from governance_core.jobs.example_district import example_district
from governance_core.jobs.period_run import Progress as StepProgress
from governance_core.jobs.period_run import Quarter, RunReport, run_quarter
from governance_core.jobs.workbook import write_workbook
from governance_core.loading.mentions import mentions
from governance_core.rules.criteria.definition import Effect
from governance_core.runtime.storage import SqlStore

__all__ = ["run"]

DEFAULT_QUARTER = "2024Q4"


def finding_kinds(engine: Engine, quarter: Quarter) -> list[str]:
    """The kinds of finding the loaded lists that open procedures name: the example gives a
    few secretaries such findings, so that those procedures have something to open."""
    kinds: set[str] = set()
    for list_id, compiled in engine.policies.lists.items():
        if compiled.criteria.effect is Effect.OPENS_PROCEDURE:
            kinds |= mentions(engine.policies, list_id, quarter.last_day).strings
    return sorted(kinds)


@contextmanager
def _bars(console: Console) -> Iterator[StepProgress]:
    """A progress bar per step (shown once a step has run for a second)."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:

        @contextmanager
        def step(description: str, total: int) -> Iterator[Callable[[int], None]]:
            task = progress.add_task(description, total=total)
            yield lambda n: progress.advance(task, n)
            progress.remove_task(task)

        yield step


def _summary(console: Console, report: RunReport, output: Path, database: str) -> None:
    table = Table(title=f"{report.quarter} — 运行结果 run summary")
    for header in ("步骤 step", "运行 ran", "说明 detail"):
        table.add_column(header)
    for s in report.steps:
        table.add_row(f"{s.title}\n{s.name}", "是" if s.done else "否", s.detail)
    console.print(table)
    if report.annual is not None:
        grades = Counter(g.grade or "未定" for g in report.annual.graded)
        console.print("第一书记等次：" + "，".join(f"{k} {v}人" for k, v in sorted(grades.items())))
    console.print(f"写入记录 records written: {report.records_written}（{database}）")
    console.print(f"工作簿 workbook: {output}")


@loads_policies
def run(
    quarter: Annotated[
        str, typer.Option("--period", help="The quarter to run, as 2024Q4.")
    ] = DEFAULT_QUARTER,
    database: StoreOption = DEFAULT_DATABASE,
    output: Annotated[
        Path | None,
        typer.Option("--output", help="The workbook to write (default governance-PERIOD.xlsx)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the example district.")] = 2024,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """The main job: one quarter of the bundled example district (淄川's 13 towns and 447
    villages, 峄城's 171 first secretaries), run under the loaded policies, recorded in the
    store and written to a workbook. The settings' ``[run]`` table names the policies each step
    applies. With nothing named it loads the example settings (the 市中区 and 胶州 plugins and
    their plan)."""
    try:
        period = Quarter.parse(quarter)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--period") from None
    console = plain_console()
    target = output_file(output or Path(f"governance-{period}.xlsx"))
    store = SqlStore(database)  # a wrong URL or an unusable database is said before any work
    settings = choice.settings(example_if_empty=True)
    engine = choice.engine(settings=settings)
    district = example_district(seed=seed, as_of=period.last_day,
                                finding_kinds=finding_kinds(engine, period))  # fmt: skip
    with _bars(console) as progress:
        report = run_quarter(engine, district, period, store, plan=settings.run, progress=progress)
    write_workbook(report, district, target)
    _summary(console, report, target, database)
