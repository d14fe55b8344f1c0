"""What `governance run` shows while and after it runs: a progress bar per phase and the
summary of what each step did. Imported by the command itself (_options says why)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from governance_core.cli._output import print_lines, print_rows
from governance_core.jobs.cycle_run import Progress as StepProgress
from governance_core.jobs.cycle_run import RunReport
from governance_core.messages import _
from governance_core.present.workbook import run_lines, run_rows

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
    print_rows(console, run_rows(report))
    print_lines(
        console,
        [
            *run_lines(report),
            _("records written: {count} ({database})").format(
                count=report.records_written, database=database
            ),
            _("workbook: {path}").format(path=output),
        ],
    )
