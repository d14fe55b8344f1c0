"""`governance sweep`: take the due automatic steps of a SQL store, for cron (the service
sweeps by itself; docs/service.md)."""

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
    StoreOption,
    loads_policies,
    parse_date,
)
from governance_core.messages import _, language

__all__ = ["sweep"]


@loads_policies
def sweep(
    until: Annotated[
        str | None,
        typer.Option(
            "--until", help="Sweep as on this day (YYYY-MM-DD); default: now.", metavar="DATE"
        ),
    ] = None,
    database: StoreOption = DEFAULT_DATABASE,
    choice: Choice = FROM_OPTIONS,
    fmt: FormatOption = Format.table,
) -> None:
    """Take every automatic step whose last day has passed (one that cannot be taken is an
    incident, docs/incidents.md), then send the reminders and escalations due (the
    reminders: rules, docs/reminders.md) to the outbox. Idempotent: run
    it as often as you like, from several machines at once on PostgreSQL; each step is taken
    and each reminder sent once."""
    from governance_core.jobs.incidents import of_blocked
    from governance_core.jobs.reminders import remind
    from governance_core.storage import SqlStore

    now = datetime.combine(parse_date(until), datetime.min.time()) if until else datetime.now()
    engine, store = choice.engine(), SqlStore(database)
    sweep = engine.runtime(store).swept(now)
    swept = sweep.taken
    opened = [of_blocked(b, now) for b in sweep.blocked]
    store.incidents.open(opened)
    reminded = remind(engine, store, now.date())
    if fmt is Format.json:
        from governance_core.cli._process_output import print_json

        print_json({"swept": [r.event for r in swept], "reminded": reminded, "blocked": opened})
        return
    for reminder in reminded:
        typer.echo(reminder.text.in_language(language()))
    for result in swept:
        event = result.event
        typer.echo(
            _("swept: {instance} {step} → {dest}").format(
                instance=event.instance, step=event.step, dest=event.dest
            )
        )
    for incident in opened:
        typer.echo(
            _("blocked: {target}: {cause}").format(target=incident.target, cause=incident.cause)
        )
    typer.echo(_("{count} steps taken").format(count=len(swept)))
    typer.echo(_("{count} reminders sent").format(count=len(reminded)))
