"""`governance outbox list|deliver|retry`: the consequences steps recorded, delivered through
the loaded plugins' ``governance_deliver`` at least once (docs/storage.md, "The outbox")."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import orjson
import typer

from governance_core.cli._options import (
    DEFAULT_DATABASE,
    FROM_OPTIONS,
    Choice,
    Format,
    FormatOption,
    StoreOption,
    existing_store,
    loads_policies,
    parse_datetime,
)
from governance_core.messages import _

if TYPE_CHECKING:
    from governance_core.jobs.delivery import DeliveryReport

__all__ = ["outbox_app"]

outbox_app = typer.Typer(
    help="The consequences steps recorded, and their delivery through the plugins.",
    no_args_is_help=True,
)


@outbox_app.command("list")
@loads_policies
def list_command(
    database: StoreOption = DEFAULT_DATABASE,
    status: Annotated[
        str | None,
        typer.Option("--status", help="pending, delivering, delivered or dead.", metavar="STATUS"),
    ] = None,
    fmt: FormatOption = Format.table,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """Every consequence with its delivery: status, attempts, next attempt, last error."""
    from rich.table import Table  # imported by the command itself (_options says why)

    from governance_core.cli._output import plain_console
    from governance_core.model import converter

    rows = list(existing_store(database).outbox.rows(status))
    if fmt is Format.json:
        sys.stdout.buffer.write(orjson.dumps(converter.unstructure(rows)) + b"\n")
        return
    table = Table(
        "#",
        _("instance"),
        _("step"),
        _("consequence"),
        _("status"),
        _("attempts"),
        _("next attempt"),
        _("last error"),
    )
    states = {
        "pending": _("pending"),
        "delivering": _("delivering"),
        "delivered": _("delivered"),
        "dead": _("dead (gave up)"),
    }
    for row in rows:
        table.add_row(
            str(row.id),
            row.instance,
            str(row.sequence),
            str(row.payload.get("zh", "")),
            states.get(row.status, row.status),
            str(row.attempts),
            row.next_attempt.isoformat(timespec="minutes") if row.next_attempt else "",
            row.last_error or "",
        )
    plain_console().print(table)


@outbox_app.command("deliver")
@loads_policies
def deliver_command(
    database: StoreOption = DEFAULT_DATABASE,
    at: Annotated[
        str | None,
        typer.Option(
            "--at", help="Deliver what is due at this time (default: now).", metavar="TIME"
        ),
    ] = None,
    max_attempts: Annotated[
        int,
        typer.Option("--max-attempts", min=1, help="Dead after this many failures.", metavar="N"),
    ] = 5,
    choice: Choice = FROM_OPTIONS,
    fmt: FormatOption = Format.table,
) -> None:
    """Deliver every consequence due through the channels of the settings' [delivery] table
    (a signed webhook, e-mail, WeCom and DingTalk robots; docs/delivery.md) and the loaded
    plugins (--plugin); exit 1 when any delivery failed (it is retried later) or died."""
    from governance_core.jobs.deliverers import configured
    from governance_core.jobs.delivery import deliver_due
    from governance_core.storage import SqlStore

    settings = choice.settings()
    engine = choice.engine(settings=settings)
    through = configured(settings, os.environ)
    if not engine.plugins.delivers() and not through:
        raise typer.BadParameter(
            _(
                "nothing delivers consequences: configure a channel in the settings' "
                "[delivery] table, or name a plugin with governance_deliver (--plugin)"
            ),
            param_hint="--plugin",
        )
    now = parse_datetime(at) if at is not None else datetime.now()
    report = deliver_due(
        engine, SqlStore(database), now, max_attempts=max_attempts, channels=through
    )
    if fmt is Format.json:
        data = {
            "delivered": report.delivered,
            "dead": report.dead,
            "failed": [{"row": row, "reason": reason} for row, reason in report.failed],
        }
        sys.stdout.buffer.write(orjson.dumps(data) + b"\n")
    else:
        _print_delivery(report)
    if report.failed or report.dead:
        raise typer.Exit(1)


def _print_delivery(report: DeliveryReport) -> None:
    typer.echo(
        _("delivered {delivered}, failed {failed} (retried later), dead {dead}").format(
            delivered=len(report.delivered), failed=len(report.failed), dead=len(report.dead)
        )
    )
    for row_id, reason in report.failed:
        typer.echo(f"  #{row_id}: {reason}", err=True)


@outbox_app.command("retry")
def retry_command(
    row: Annotated[int, typer.Argument(metavar="ROW", help="The dead row's number (#).")],
    database: StoreOption = DEFAULT_DATABASE,
) -> None:
    """Make a dead consequence pending again, its attempts counted from zero."""
    if not existing_store(database, write=True).outbox.retry(row):
        typer.echo(_("#{row} is not a dead consequence").format(row=row), err=True)
        raise typer.Exit(1)
    typer.echo(_("#{row} will be delivered again").format(row=row))
