"""`governance cycle show`: what the loaded plugins' cycles run in a period, with deadlines on
the official calendar and what is missing to run them."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import orjson
import typer

from governance_core.cli._options import (
    FROM_OPTIONS,
    Choice,
    Format,
    FormatOption,
    Lang,
    LangOption,
    loads_policies,
    no_cycle,
    parse_period,
)

if TYPE_CHECKING:  # imported by the command itself (_options says why)
    pass

__all__ = ["cycle_app"]

cycle_app = typer.Typer(
    help="A district's cycles: what its plugins run when, and what is missing.",
    no_args_is_help=True,
)


@cycle_app.command("show")
@loads_policies
def show(
    period: Annotated[
        str, typer.Option("--period", help="2024-03, 2024Q4, 2024H2 or 2024.", metavar="PERIOD")
    ] = "2024Q4",
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """What the loaded cycles run in PERIOD: each step's occurrences, their deadlines (on the
    official calendar) and what is missing (a cadence or deadline the source did not publish)."""
    from governance_core.cli._output import plain_console, print_lines, print_rows
    from governance_core.present.cycles import plan_data, plan_rows
    from governance_core.rules.calendar import CALENDAR
    from governance_core.rules.cycles import CYCLES

    wanted = parse_period(period)
    engine = choice.engine()
    policies = engine.policies
    calendar = policies.of(CALENDAR)
    planned = policies.of(CYCLES).plan(wanted, calendar.add_working_days)
    if fmt is Format.json:
        data = plan_data(wanted, planned, calendar, lang.value)
        sys.stdout.buffer.write(orjson.dumps(data) + b"\n")
        return
    console = plain_console()
    if not policies.of(CYCLES).cycles:
        said = no_cycle(engine)
        print_lines(console, [said.message, said.hint or ""])
        return
    print_rows(console, plan_rows(wanted, planned, calendar, lang.value))
