"""`governance token create|revoke|list`: the service's bearer tokens, each bound to an actor
who holds roles in organisations (docs/service.md)."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Annotated

import typer

from governance_core.cli._options import (
    DEFAULT_DATABASE,
    Format,
    FormatOption,
    StoreOption,
    existing_store,
    fail,
    parse_date,
)
from governance_core.errors import GovernanceError
from governance_core.messages import _

__all__ = ["token_app"]

token_app = typer.Typer(
    help="Bearer tokens of the HTTP service: an actor and the roles it holds where.",
    no_args_is_help=True,
)


@token_app.command("create")
def create_command(
    actor: Annotated[
        str,
        typer.Argument(metavar="ACTOR", help="Who the token acts as (recorded with each step)."),
    ],
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role",
            help="A role held everywhere (district) or in one organisation and what lies under "
            "it (town_committee@t01). Repeatable.",
            metavar="ROLE[@ORG]",
        ),
    ] = None,
    expires: Annotated[
        str | None,
        typer.Option("--expires", help="The last day it is valid (YYYY-MM-DD).", metavar="DATE"),
    ] = None,
    raw_personal_data: Annotated[
        bool,
        typer.Option(
            "--raw-personal-data",
            help="Answers show ID-card and mobile numbers unmasked (for whoever is entitled).",
        ),
    ] = False,
    database: StoreOption = DEFAULT_DATABASE,
    fmt: FormatOption = Format.table,
) -> None:
    """Make a token for ACTOR and print it once: only its SHA-256 is kept."""
    from governance_core.storage import SqlStore
    from governance_core.storage.tokens import parse_grant

    try:
        grants = [parse_grant(r) for r in role or ()]
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--role") from None
    until, now = parse_date(expires) if expires else None, datetime.now()
    if until is not None and until < now.date():  # said before a store is opened or made
        raise typer.BadParameter(
            _("{day} is already past: a token expires today or later").format(day=until),
            param_hint="--expires",
        )
    try:
        record, text = SqlStore(database).tokens.create(
            actor, grants, now, expires_on=until, raw_personal_data=raw_personal_data
        )
    except GovernanceError as error:
        raise fail(error) from None
    if fmt is Format.json:
        from governance_core.model import converter
        from governance_core.present.shapes import dumps

        data = {"token": text, **converter.unstructure(record)}
        sys.stdout.buffer.write(dumps(data) + b"\n")
    else:
        typer.echo(text)
    typer.echo(
        _("token {id} for {actor}; keep it secret: it is not shown again").format(
            id=record.id, actor=actor
        ),
        err=True,
    )


@token_app.command("change")
def change_command(
    token_id: Annotated[str, typer.Argument(metavar="ID", help="The token's id, as `list` shows.")],
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role",
            help="The roles it holds from now on, replacing the ones it held. Repeatable.",
            metavar="ROLE[@ORG]",
        ),
    ] = None,
    expires: Annotated[
        str | None,
        typer.Option("--expires", help="The last day it is valid (YYYY-MM-DD).", metavar="DATE"),
    ] = None,
    personal_data: Annotated[
        bool | None,
        typer.Option(
            "--raw-personal-data/--masked-personal-data",
            help="Whether answers show ID-card and mobile numbers unmasked.",
        ),
    ] = None,
    database: StoreOption = DEFAULT_DATABASE,
) -> None:
    """Change a token in use: its roles, its expiry, whether it shows personal data. The
    change is recorded in the audit chain."""
    from governance_core.storage.tokens import parse_grant

    try:
        grants = [parse_grant(r) for r in role] if role else None
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--role") from None
    try:
        record = existing_store(database, write=True).tokens.change(
            token_id,
            datetime.now(),
            grants=grants,
            expires_on=parse_date(expires) if expires else None,
            raw_personal_data=personal_data,
        )
    except GovernanceError as error:
        raise fail(error) from None
    roles = ", ".join(str(g) for g in record.grants) or "—"
    typer.echo(_("token {id} changed: {roles}").format(id=record.id, roles=roles))


@token_app.command("revoke")
def revoke_command(
    token_id: Annotated[str, typer.Argument(metavar="ID", help="The token's id, as `list` shows.")],
    database: StoreOption = DEFAULT_DATABASE,
) -> None:
    """Revoke a token at once: the service refuses it from the next request on."""
    if not existing_store(database, write=True).tokens.revoke(token_id, datetime.now()):
        typer.echo(_("no token {id} is in use").format(id=token_id), err=True)
        raise typer.Exit(1)
    typer.echo(_("token {id} revoked").format(id=token_id))


@token_app.command("list")
def list_command(
    database: StoreOption = DEFAULT_DATABASE, fmt: FormatOption = Format.table
) -> None:
    """Every token: id, actor, roles, whether it shows personal data, when it ends."""
    from rich.table import Table

    from governance_core.cli._output import plain_console
    from governance_core.model import converter
    from governance_core.present.shapes import dumps

    tokens = existing_store(database).tokens.all()
    if fmt is Format.json:
        sys.stdout.buffer.write(dumps(converter.unstructure(tokens)) + b"\n")
        return
    table = Table(
        _("token"),
        _("actor"),
        _("roles"),
        _("personal data"),
        _("created"),
        _("expires"),
        _("revoked"),
    )
    for t in tokens:
        table.add_row(
            t.id,
            t.actor,
            ", ".join(str(g) for g in t.grants) or "—",
            _("shown") if t.raw_personal_data else _("masked"),
            t.created_at.isoformat(timespec="minutes"),
            str(t.expires_on or ""),
            t.revoked_at.isoformat(timespec="minutes") if t.revoked_at else "",
        )
    plain_console().print(table)
