"""`governance schema [KIND]`: the JSON Schema of policy, overlay or case files, for editors."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

__all__ = ["SchemaKind", "schema", "schema_for"]


class SchemaKind(StrEnum):
    policy = "policy"
    overlay = "overlay"
    cases = "cases"


def schema_for(kind: SchemaKind) -> dict[str, Any]:
    """The schema of ``kind``: policy and overlay files are read by loading, case files by the
    testing toolkit."""
    if kind is SchemaKind.cases:
        from governance_core.testing.case_schema import case_schema

        return case_schema()
    from governance_core.loading.schemas import schema_of

    return schema_of(kind.value)


def schema(
    kind: Annotated[
        SchemaKind,
        typer.Argument(
            metavar="KIND",
            help="policy (a policy file), overlay (an overlay file) or cases (a case file).",
        ),
    ] = SchemaKind.policy,
) -> None:
    """Print the JSON Schema of a policy, overlay or case file. The package holds them too
    (governance_core/schemas/); name one in a file's first line for yaml-language-server:
    # yaml-language-server: $schema=PATH"""
    from governance_core.loading.schemas import schema_json

    typer.echo(schema_json(schema_for(kind)), nl=False)
