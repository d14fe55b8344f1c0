"""What `governance run` shows while and after it runs: a progress bar per phase and the
summary of what each step did. Imported by the command itself (_options says why)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from governance_core.jobs.cycle_run import Progress as StepProgress
from governance_core.jobs.cycle_run import RunReport
from governance_core.messages import _
from governance_core.present.workbook import grade_counts

__all__ = ["print_summary", "progress_bars"]


@contextmanager
def progress_bars(console: Console) -> Iterator[StepProgress]:
    """A progress bar per phase (shown once it has run for a second)."""
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


def print_summary(console: Console, report: RunReport, output: Path, database: str) -> None:
    table = Table(
        _("step"),
        _("period"),
        _("deadline"),
        _("ran"),
        _("detail"),
        title=_("{period}: what the run did").format(period=report.period.label),
    )
    for s in report.steps:
        occurrence = s.planned.occurrence
        table.add_row(
            f"{s.planned.step.title.zh}\n{s.planned.cycle.id}/{s.planned.step.id}",
            occurrence.label if occurrence else "",
            s.planned.deadline.isoformat() if s.planned.deadline else "",
            _("yes") if s.done else _("no"),
            s.detail,
        )
    console.print(table)
    for s in report.steps:
        if s.assessment is not None:
            label = s.planned.occurrence.label if s.planned.occurrence else ""
            console.print(
                f"{s.planned.step.title.zh} {label}：" + "，".join(grade_counts(s.assessment))
            )
    console.print(
        _("records written: {count} ({database})").format(
            count=report.records_written, database=database
        )
    )
    console.print(_("workbook: {path}").format(path=output))
