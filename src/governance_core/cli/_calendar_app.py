"""`governance calendar`: the official working-day calendar in force, day by day with who
published it and the notice; `governance calendar apply`: count again, in a store, the
deadlines counted provisionally across a year published since (docs/calendar.md)."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from governance_core.cli._options import (
    FROM_OPTIONS,
    Choice,
    Format,
    FormatOption,
    Lang,
    LangOption,
    loads_policies,
    parse_datetime,
)
from governance_core.messages import _

if TYPE_CHECKING:  # imported by the commands themselves (_options says why)
    from governance_core.rules.calendar import OfficialCalendar

__all__ = ["calendar_app"]

calendar_app = typer.Typer(invoke_without_command=True)

YearOption = Annotated[
    int | None,
    typer.Option("--year", help="One year, day by day.", metavar="YEAR", min=1, max=9998),
]


def _days_table(calendar: OfficialCalendar, year: int) -> None:
    from governance_core.cli._output import plain_console, print_lines, print_rows
    from governance_core.present.calendar import calendar_days_rows, unpublished_text

    published = calendar.published(year)
    if published is None:
        print_lines(plain_console(), [unpublished_text(year)])
    else:
        print_rows(plain_console(), calendar_days_rows(published))


def _years_table(calendar: OfficialCalendar, today: date) -> None:
    from governance_core.cli._output import plain_console, print_lines, print_rows
    from governance_core.present.calendar import calendar_years_rows, unpublished_text

    console = plain_console()
    print_rows(console, calendar_years_rows(calendar))
    waiting = [y for y in (today.year, today.year + 1) if calendar.published(y) is None]
    print_lines(console, [unpublished_text(y) for y in waiting])


@calendar_app.callback()
@loads_policies
def calendar(
    context: typer.Context,
    year: YearOption = None,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """The official working-day calendar: every year in force with its source (the
    chinese-calendar package, a plugin or an overlay) and notice. --year lists that year's
    days off and make-up working days, or says plainly that it is not published (its working
    days are then counted on weekends only, provisionally); `calendar apply` recounts the
    deadlines of a store once a year is published."""
    if context.invoked_subcommand is not None:
        return
    from governance_core.present.shapes import calendar_data, dumps
    from governance_core.rules.calendar import CALENDAR

    official = choice.engine().policies.of(CALENDAR)
    if fmt is Format.json:
        years = [year] if year is not None else sorted(official.years)
        sys.stdout.buffer.write(dumps(calendar_data(official, years)) + b"\n")
    elif year is not None:
        _days_table(official, year)
    else:
        _years_table(official, date.today())


@calendar_app.command("apply")
@loads_policies
def apply(
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            help="SQLAlchemy URL of a SQL store; used instead of the journal.",
            envvar="GOVERNANCE_DATABASE",
            metavar="URL",
        ),
    ] = None,
    journal: Annotated[
        Path,
        typer.Option(
            "--journal", "-j", help="Journal file the instances are kept in.", metavar="FILE"
        ),
    ] = Path("governance-journal.jsonl"),
    at: Annotated[
        str | None,
        typer.Option("--at", help="When, in ISO 8601; default: now.", metavar="TIME"),
    ] = None,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """Count again every deadline of the store that was counted provisionally across a year
    the loaded calendar now publishes; each instance whose deadlines change gets a `recount`
    event saying what moved (idempotent; the sweep does the same before it sweeps)."""
    from governance_core.cli._process_output import open_runtime, print_json

    now = parse_datetime(at) if at else datetime.now()
    recounted = open_runtime(choice, journal, None, database).recount(now)
    if fmt is Format.json:
        print_json({"recounted": [r.event for r in recounted]})
        return
    for result in recounted:
        typer.echo(f"{result.event.instance}: {result.event.note}")
    typer.echo(_("{count} instances recounted").format(count=len(recounted)))
