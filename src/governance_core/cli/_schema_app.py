"""`governance schema [KIND]`: the JSON Schema of policy or overlay files, for editors."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

__all__ = ["schema"]


class SchemaKind(StrEnum):
    policy = "policy"
    overlay = "overlay"


def schema(
    kind: Annotated[
        SchemaKind,
        typer.Argument(metavar="KIND", help="policy (a policy file) or overlay (an overlay file)."),
    ] = SchemaKind.policy,
) -> None:
    """Print the JSON Schema of a policy or overlay file. The package holds them too
    (governance_core/schemas/); name one in a file's first line for yaml-language-server:
    # yaml-language-server: $schema=PATH"""
    from governance_core.loading.schemas import schema_text

    typer.echo(schema_text(kind.value), nl=False)
