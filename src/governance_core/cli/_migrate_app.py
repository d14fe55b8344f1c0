"""`governance migrate PROCESS --to VERSION`: move running instances of a procedure to the
version loaded now, states matched by id or mapped (--map OLD=NEW), chosen by state or
subject (--where), with a plan first (--dry-run writes nothing); each move a chained event
(docs/procedures.md)."""

from __future__ import annotations

from datetime import datetime
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
    loads_policies,
)
from governance_core.messages import _

__all__ = ["migrate"]


def _mapping(pairs: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise typer.BadParameter(
                _("{pair!r} is not OLD=NEW (a state of the old version, one of the new)").format(
                    pair=pair
                ),
                param_hint="--map",
            )
        found[old.strip()] = new.strip()
    return found


@loads_policies
def migrate(
    process: Annotated[str, typer.Argument(metavar="PROCESS", help="The procedure's id.")],
    to: Annotated[
        int, typer.Option("--to", help="The version loaded now, to move to.", metavar="VERSION")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why, recorded with each move.")] = "",
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="A state the new version renamed: OLD=NEW (repeatable).",
            metavar="OLD=NEW",
        ),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            help="Only instances in this state or about this subject (repeatable).",
            metavar="STATE|SUBJECT",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the plan; write nothing.")
    ] = False,
    actor: Annotated[
        str, typer.Option("--as", help="Who migrates.", metavar="ACTOR")
    ] = "区委组织部",
    database: StoreOption = DEFAULT_DATABASE,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """Move the running instances of PROCESS to the version loaded now: each instance whose
    state still exists (or is mapped with --map) and whose history replays under it moves;
    each other says why not. --dry-run prints the plan and writes nothing. Exit 1 when an
    instance cannot move."""
    from governance_core.cli._output import plain_console, print_rows
    from governance_core.cli._process_app import COMMAND_LINE
    from governance_core.jobs.migration import migrate as carry_out
    from governance_core.jobs.migration import plan
    from governance_core.model import converter
    from governance_core.present.migration import migration_rows
    from governance_core.present.shapes import dumps
    from governance_core.runtime import Actor

    states = _mapping(mapping or [])
    if not dry_run and not reason.strip():
        raise typer.BadParameter(_("a migration needs a reason"), param_hint="--reason")
    engine = choice.engine()
    store = existing_store(database, write=not dry_run)
    found = plan(engine, store, process, to, states=states, where=where or ())
    if not dry_run:
        who = Actor(actor, authenticated=COMMAND_LINE)
        found = carry_out(engine, store, found, who, datetime.now(), reason=reason)
    if fmt is Format.json:
        data = {**converter.unstructure(found), "dry_run": dry_run}
        typer.echo(dumps(data).decode())
    else:
        print_rows(plain_console(), migration_rows(found, dry_run=dry_run))
    if found.refused:
        raise typer.Exit(1)
