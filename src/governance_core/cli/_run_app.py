"""`governance run`: the main job, every step the loaded cycles declare for a period, over a
district's roster and inputs or the bundled example district (docs/main-job.md)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from governance_core.cli._options import (
    DEFAULT_DATABASE,
    FROM_OPTIONS,
    Choice,
    Format,
    FormatOption,
    Lang,
    LangOption,
    StoreOption,
    loads_policies,
    no_cycle,
    output_file,
    parse_period,
)
from governance_core.errors import ConfigError
from governance_core.messages import _

if TYPE_CHECKING:  # the job is imported by the command itself (_options says why)
    from governance_core.engine import Engine
    from governance_core.jobs.cycle_run import StepInputs
    from governance_core.rules.cycles import Period

__all__ = ["run"]


def step_inputs(
    engine: Engine, period: Period, roster: Path | None, inputs: list[Path], seed: int
) -> StepInputs:
    """The inputs of a run (and of its replay): the example district's, invented with
    ``seed``, without a roster; else the district's roster and input files, read whole."""
    from governance_core.jobs.district_inputs import read_district
    from governance_core.jobs.example_district import example_district
    from governance_core.jobs.main_job import finding_kinds, record_kinds
    from governance_core.rules.cycles import CYCLES

    if roster is None:
        return example_district(
            seed=seed,
            as_of=period.end,
            finding_kinds=finding_kinds(engine, period.end),
            record_kinds=record_kinds(engine),
        )
    cycles = engine.policies.of(CYCLES).cycles.values()
    return read_district(roster, inputs, {s.id for c in cycles for s in c.steps})


def _period(text: str | None, example: bool) -> Period:
    from governance_core.jobs.main_job import EXAMPLE_PERIOD, last_quarter
    from governance_core.rules.cycles import Period

    if text is None:
        return Period.parse(EXAMPLE_PERIOD) if example else last_quarter(date.today())
    return parse_period(text)


@loads_policies
def run(
    period_text: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="2024-10, 2024Q4, 2024H2 or 2024 (default: the example's "
            "2024Q4; with --roster, the last quarter that ended).",
            metavar="PERIOD",
        ),
    ] = None,
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            help="The district's roster: a roster file, or a book (.xlsx, "
            "CSV) whose 评分/投票 sheets are read as inputs too.",
            metavar="FILE",
        ),
    ] = None,
    inputs: Annotated[
        list[Path] | None,
        typer.Option(
            "--inputs",
            help="Inputs of the steps: books with 评分/投票 sheets, "
            "assessment files, ledger files. Repeat for more.",
            metavar="FILE",
        ),
    ] = None,
    allow_unused: Annotated[
        bool,
        typer.Option(
            "--allow-unused",
            help="Run although rows of the inputs are read by no step (they are listed).",
        ),
    ] = False,
    database: StoreOption = DEFAULT_DATABASE,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            help="The workbook to write (default governance-PERIOD.xlsx).",
            metavar="FILE",
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the example district.", metavar="N")
    ] = 2024,
    lang: LangOption = Lang.zh,
    fmt: FormatOption = Format.table,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """The main job: every step the loaded plugins' cycles declare for PERIOD, over the
    district's roster and inputs, recorded in the store and written to a workbook. Without
    --roster it runs the bundled example district (invented data, marked 示例) under the
    example settings (the 市中区 and 胶州 plugins) and whatever --plugin adds."""
    from governance_core.cli._output import plain_console
    from governance_core.cli._run_output import print_summary, progress_bars
    from governance_core.jobs.collection import kept_from_collection
    from governance_core.jobs.cycle_run import run_period
    from governance_core.model import OrgLevel
    from governance_core.present.workbook import write_workbook
    from governance_core.rules.cycles import CYCLES
    from governance_core.storage import SqlStore

    example = roster is None
    if example and inputs:
        raise typer.BadParameter(
            _("--inputs needs --roster: the example invents its inputs"), param_hint="--inputs"
        )
    period = _period(period_text, example)
    as_json = fmt is Format.json
    console = plain_console(stderr=as_json)  # JSON alone on standard output
    target = output_file(output or Path(f"governance-{period.label}.xlsx"))
    engine = choice.engine(settings=choice.settings(example_base=example))
    cycles = engine.policies.of(CYCLES)
    if not cycles.cycles:
        raise ConfigError([no_cycle(engine)])
    data = step_inputs(engine, period, roster, inputs or [], seed)
    # opened once the inputs are read: a refused district leaves the store untouched, and a
    # wrong URL or an unusable database is still said before anything is computed
    store = SqlStore(database)
    people = data.roster
    district = (
        next((o.name for o in people.organisations if o.level is OrgLevel.DISTRICT), None)
        if people is not None
        else None
    )
    with kept_from_collection():  # the engine and the inputs, loaded
        try:
            with progress_bars(console) as progress:
                report = run_period(
                    engine, period, data, store, progress=progress, allow_unused=allow_unused
                )
        finally:  # a refused run leaves the store as it found it, without a journal beside it
            store.engine.dispose()
        write_workbook(report, engine, target, district=district)
    unused = [f"{where}: {periods}" for where, periods in data.unused()]
    if as_json:
        from governance_core.present.shapes import dumps, run_data

        summary = {**run_data(report, str(target), database), "unused": unused}
        sys.stdout.buffer.write(dumps(summary) + b"\n")
        return
    print_summary(console, report, target, database)
    for unused_row in unused:
        console.print(
            _("rows no step of {period} read: {where}").format(
                period=period.label, where=unused_row
            )
        )
