"""`governance audit verify|head|keygen`: check everything the SQL store holds that decides
an outcome against its hash chain; export the chain's head, signed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer

from governance_core.cli._options import Format, FormatOption, StoreOption, existing_store, fail
from governance_core.errors import GovernanceError
from governance_core.messages import _

if TYPE_CHECKING:  # the store's modules are imported by the commands (_options says why)
    from governance_core.storage.audit import AuditReport, Head

__all__ = ["audit_app"]

audit_app = typer.Typer(
    help="Verify the store's tamper-evident event chain; export and sign its head.",
    no_args_is_help=True,
)


def _broken(report: AuditReport) -> str:
    return _("broken at position {position}: {reason}").format(
        position=report.broken_at, reason=report.reason
    )


def _head(text: str) -> Head:
    from governance_core.storage.audit import Head

    position, sep, digest = text.partition(":")
    if not sep or not position.isdigit() or len(digest) != 64:
        raise typer.BadParameter(
            _("{text!r}: give the exported head as POSITION:SHA256").format(text=text)
        )
    return Head(int(position), digest)


@audit_app.command("verify")
def verify_command(
    database: StoreOption,
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            help="An exported head POSITION:HASH the chain must still reach.",
            metavar="POSITION:HASH",
        ),
    ] = None,
    signature: Annotated[
        str | None,
        typer.Option(
            "--signature",
            help="The head's Ed25519 signature (base64), from `head`.",
            metavar="BASE64",
        ),
    ] = None,
    public_key: Annotated[
        Path | None,
        typer.Option(
            "--public-key", help="The public key (PEM) that signed the head.", metavar="FILE"
        ),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Walk every event and check every row beside the chain (instances, deadlines, outbox,
    pinned definitions, recorded verdicts); then replay every instance against its pinned
    definition. Exit 1 naming the first broken position, a head whose signature does not
    verify, or the instances whose state the replay contradicts. Writes nothing."""
    from governance_core.model import converter
    from governance_core.storage.audit import replay_all, verify
    from governance_core.storage.signing import verify_head_ed25519

    expected = _head(head) if head else None
    if (signature is None) != (public_key is None) or (signature and expected is None):
        raise typer.BadParameter(_("give --head, --signature and --public-key together"))
    try:
        if (
            expected is not None
            and signature is not None
            and public_key is not None
            and not verify_head_ed25519(expected, signature, public_key)
        ):
            typer.echo(_("the head's signature does not verify with that public key"), err=True)
            raise typer.Exit(1)
        store = existing_store(database)
        report = verify(store, expected=expected)
        differing = replay_all(store) if report.ok else []
    except GovernanceError as error:
        raise fail(error) from None
    if fmt is Format.json:
        data = {**converter.unstructure(report), "replay_differs": differing}
        sys.stdout.buffer.write(orjson.dumps(data) + b"\n")
    elif not report.ok:
        typer.echo(_broken(report))
    elif differing:
        typer.echo(_("replay differs from the stored state:") + "\n  " + "\n  ".join(differing))
    else:
        typer.echo(
            _("ok: {rows} events, head {position}:{hash}").format(
                rows=report.rows, position=report.head.position, hash=report.head.hash
            )
        )
    if not report.ok or differing:
        raise typer.Exit(1)


@audit_app.command("head")
def head_command(
    database: StoreOption,
    key_file: Annotated[
        Path | None,
        typer.Option("--key-file", help="HMAC key to sign the head with.", metavar="FILE"),
    ] = None,
    signing_key: Annotated[
        Path | None,
        typer.Option(
            "--signing-key", help="Ed25519 private key (PEM) to sign the head with.", metavar="FILE"
        ),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Print the chain's head (POSITION:HASH) to keep elsewhere, with its HMAC and Ed25519
    signatures when keys are given. Writes nothing to the database."""
    from governance_core.storage.audit import verify
    from governance_core.storage.signing import sign_head, sign_head_ed25519

    try:
        hmac_key = _key(key_file) if key_file is not None else None
        report = verify(existing_store(database))
        if not report.ok:
            typer.echo(_broken(report), err=True)
            raise typer.Exit(1)
        signatures = {}
        if hmac_key is not None:
            signatures["hmac-sha256"] = sign_head(report.head, hmac_key)
        if signing_key is not None:
            signatures["ed25519"] = sign_head_ed25519(report.head, signing_key)
    except GovernanceError as error:
        raise fail(error) from None
    if fmt is Format.json:
        data = {"position": report.head.position, "hash": report.head.hash, **signatures}
        sys.stdout.buffer.write(orjson.dumps(data) + b"\n")
        return
    typer.echo(
        " ".join(
            [
                f"{report.head.position}:{report.head.hash}",
                *(f"{kind}={value}" for kind, value in signatures.items()),
            ]
        )
    )


def _key(path: Path) -> bytes:
    from governance_core.files import os_reason
    from governance_core.storage.signing import SigningError

    try:
        key = path.read_bytes().strip()
    except OSError as exc:
        raise SigningError(
            _("cannot read the key file {file}: {reason}").format(file=path, reason=os_reason(exc))
        ) from None
    if not key:
        raise SigningError(_("the key file {file} is empty").format(file=path))
    return key


@audit_app.command("keygen")
def keygen_command(
    private_key: Annotated[
        Path, typer.Option("--private-key", help="Where to write it (PEM).", metavar="FILE")
    ],
    public_key: Annotated[
        Path, typer.Option("--public-key", help="Where to write it (PEM).", metavar="FILE")
    ],
) -> None:
    """Make an Ed25519 key pair for signing heads: keep the private key off the database
    server; give the public key to auditors."""
    from governance_core.storage.signing import generate_keys

    try:
        generate_keys(private_key, public_key)
    except GovernanceError as error:
        raise fail(error) from None
    typer.echo(
        _("{private} (private, mode 600)  {public} (public)").format(
            private=private_key, public=public_key
        )
    )
