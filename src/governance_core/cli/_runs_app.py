"""`governance runs list|show`: what each run recorded in the store (verdicts with the
procedures their hits opened, and score sheets), so that a result can be found again next
year."""

from __future__ import annotations

import sys
from typing import Annotated

import orjson
import typer

from governance_core.cli._options import (
    DEFAULT_DATABASE,
    Format,
    FormatOption,
    StoreOption,
    existing_store,
    fail,
)
from governance_core.errors import GovernanceError
from governance_core.messages import _

__all__ = ["runs_app"]

runs_app = typer.Typer(
    help="What each run recorded in the store: verdicts and score sheets.",
    no_args_is_help=True,
)


@runs_app.command("list")
def list_command(
    database: StoreOption = DEFAULT_DATABASE, fmt: FormatOption = Format.table
) -> None:
    """Every run that recorded decisions, with how many verdicts and score sheets."""
    from rich.table import Table  # imported by the command itself (_options says why)

    from governance_core.cli._output import plain_console
    from governance_core.model import converter

    runs = existing_store(database).decisions.runs()
    if fmt is Format.json:
        sys.stdout.buffer.write(orjson.dumps(converter.unstructure(runs)) + b"\n")
        return
    table = Table(_("run"), _("verdicts"), _("score sheets"), _("positions in the chain"))
    for run in runs:
        table.add_row(
            run.run,
            str(run.verdicts),
            str(run.score_sheets),
            f"{run.first_position}–{run.last_position}",
        )
    plain_console().print(table)


@runs_app.command("show")
def show_command(
    run: Annotated[
        str, typer.Argument(metavar="RUN", help="The run's name, as `runs list` gives it.")
    ],
    database: StoreOption = DEFAULT_DATABASE,
    fmt: FormatOption = Format.table,
) -> None:
    """What RUN recorded: each verdict (list, person, outcome) and score sheet (grade policy,
    person, grade), with whether it is conclusive. Exit 1 when the run recorded nothing."""
    from rich.table import Table

    from governance_core.cli._output import plain_console
    from governance_core.present.shapes import dumps, run_records_data
    from governance_core.rules.criteria.verdicts import Outcome

    try:
        data = run_records_data(existing_store(database).decisions, run)
    except GovernanceError as error:  # a record the chain does not vouch for is not shown
        raise fail(error) from None
    if not data["records"]:
        typer.echo(
            _("no run {run!r} is recorded; see governance runs list").format(run=run), err=True
        )
        raise typer.Exit(1)
    if fmt is Format.json:
        sys.stdout.buffer.write(dumps(data) + b"\n")
        return
    table = Table(
        _("rule"), _("person"), _("result"), _("conclusive"), _("procedure opened"), title=run
    )
    for r in data["records"]:
        # a list's outcome in words; a grade as it is
        result = r["result"]
        shown = Outcome(result).words() if result in {o.value for o in Outcome} else result
        settled = _("yes") if r["conclusive"] else _("no (provisional)")
        table.add_row(r["rule"], r["person"], shown, settled, r["procedure"] or "")
    plain_console().print(table)
