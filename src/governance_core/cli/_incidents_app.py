"""`governance incidents`: what the library could not do by itself (a delivery that died, an
automatic step the sweep could not take, an effect a run could not apply), each with its cause
in words; `incidents retry ID` checks the cause again, `incidents resolve ID` closes it with
what a person did, both chained (docs/incidents.md)."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

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
    existing_store,
    fail,
    loads_policies,
)
from governance_core.errors import GovernanceError
from governance_core.messages import _

__all__ = ["incidents_app"]

incidents_app = typer.Typer(invoke_without_command=True)

IdArgument = Annotated[
    str, typer.Argument(metavar="ID", help="The incident's id, as `governance incidents` shows it.")
]


def _print(found: list[object], fmt: Format) -> None:
    from governance_core.cli._output import plain_console, print_rows
    from governance_core.present.incidents import incidents_rows
    from governance_core.present.shapes import dumps
    from governance_core.storage.incidents import Incident

    shown = [i for i in found if isinstance(i, Incident)]
    if fmt is Format.json:
        from governance_core.model import converter

        sys.stdout.buffer.write(dumps(converter.unstructure(shown)) + b"\n")
        return
    print_rows(plain_console(), incidents_rows(shown))


@incidents_app.callback()
def incidents(
    context: typer.Context,
    every: Annotated[bool, typer.Option("--all", help="Also the incidents resolved.")] = False,
    database: StoreOption = DEFAULT_DATABASE,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
) -> None:
    """The incidents open (or --all): what the library could not do by itself, each with its
    kind, what it is about, its cause in words, how often it was retried, and how it was
    resolved."""
    if context.invoked_subcommand is not None:
        return
    try:
        found = existing_store(database).incidents.incidents(open_only=not every)
    except GovernanceError as error:
        raise fail(error) from None
    _print(list(found), fmt)


@incidents_app.command("retry")
@loads_policies
def retry_command(
    incident_id: IdArgument,
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            help="A roster that now shows what an effect needed (its post).",
            metavar="FILE",
        ),
    ] = None,
    database: StoreOption = DEFAULT_DATABASE,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """Check an incident's cause again, doing what could not be done (deliver again through
    the [delivery] channels, take the step again, impose the effect with --roster); it is
    resolved when the cause is gone, and the retry is chained either way. Exit 1 while the
    cause remains."""
    from governance_core.jobs.deliverers import configured
    from governance_core.jobs.incidents import retry
    from governance_core.model import load_roster
    from governance_core.storage.incidents import IncidentStatus

    settings = choice.settings()
    engine = choice.engine(settings=settings)
    people = load_roster(roster) if roster is not None else None
    store = existing_store(database, write=True)
    found = retry(
        engine,
        store,
        incident_id,
        datetime.now(),
        channels=configured(settings, os.environ),
        roster=people,
    )
    _print([found], fmt)
    if found.status is not IncidentStatus.RESOLVED:
        raise typer.Exit(1)


@incidents_app.command("resolve")
def resolve_command(
    incident_id: IdArgument,
    by: Annotated[str, typer.Option("--by", help="Who resolves it.")],
    note: Annotated[str, typer.Option("--note", help="What was done about it.")],
    database: StoreOption = DEFAULT_DATABASE,
    lang: LangOption = Lang.zh,
) -> None:
    """Resolve an incident by a person's decision, recorded in the chain with what was done."""
    try:
        done = existing_store(database, write=True).incidents.resolve(
            incident_id, datetime.now(), by=by, note=note
        )
    except GovernanceError as error:
        raise fail(error) from None
    typer.echo(_("{id} resolved by {by}").format(id=done.id, by=by))
