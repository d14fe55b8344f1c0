"""`governance audit verify|head`: check the SQL store's hash chain, export its head."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer

from governance_core.cli._options import Format, FormatOption, fail
from governance_core.errors import GovernanceError
from governance_core.model import converter
from governance_core.runtime.storage import SqlStore
from governance_core.runtime.storage.audit import Head, replay_all, sign_head, verify

__all__ = ["audit_app"]

audit_app = typer.Typer(
    help="Verify the store's tamper-evident event chain; export and sign its head.",
    no_args_is_help=True,
)

DatabaseOption = Annotated[
    str,
    typer.Option(
        "--database", help="SQLAlchemy URL: sqlite:///governance.db, postgresql+psycopg://…"
    ),
]


def _head(text: str) -> Head:
    position, sep, digest = text.partition(":")
    if not sep or not position.isdigit() or len(digest) != 64:
        raise typer.BadParameter(f"{text!r}: give the exported head as POSITION:SHA256")
    return Head(int(position), digest)


@audit_app.command("verify")
def verify_command(
    database: DatabaseOption,
    head: Annotated[
        str | None,
        typer.Option("--head", help="An exported head POSITION:HASH the chain must still reach."),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Walk every event, then replay every instance against its pinned definition; exit 1
    naming the first broken position or the instances whose state the replay contradicts."""
    expected = _head(head) if head else None
    try:
        store = SqlStore(database)
        report = verify(store, expected=expected)
        differing = replay_all(store) if report.ok else []
    except GovernanceError as error:
        raise fail(error) from None
    if fmt is Format.json:
        data = {**converter.unstructure(report), "replay_differs": differing}
        sys.stdout.buffer.write(orjson.dumps(data) + b"\n")
    elif not report.ok:
        typer.echo(f"broken at position {report.broken_at}: {report.reason}")
    elif differing:
        typer.echo("replay differs from the stored state:\n  " + "\n  ".join(differing))
    else:
        typer.echo(f"ok: {report.rows} events, head {report.head.position}:{report.head.hash}")
    if not report.ok or differing:
        raise typer.Exit(1)


@audit_app.command("head")
def head_command(
    database: DatabaseOption,
    key_file: Annotated[
        Path | None, typer.Option("--key-file", help="HMAC key to sign the head with.")
    ] = None,
) -> None:
    """Print the chain's head (POSITION:HASH) to keep elsewhere, and its HMAC signature."""
    try:
        report = verify(SqlStore(database))
    except GovernanceError as error:
        raise fail(error) from None
    if not report.ok:
        typer.echo(f"broken at position {report.broken_at}: {report.reason}", err=True)
        raise typer.Exit(1)
    line = f"{report.head.position}:{report.head.hash}"
    if key_file is not None:
        line += f" hmac-sha256={sign_head(report.head, key_file.read_bytes().strip())}"
    typer.echo(line)
