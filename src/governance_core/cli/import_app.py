"""`governance import BOOK`: a roster from an Excel workbook or CSV files, checked whole and
written as a roster file only when everything is valid (docs/main-job.md)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
import yaml

from governance_core.cli.options import fail
from governance_core.errors import GovernanceError
from governance_core.model import converter
from governance_core.model.roster_tables import read_roster_tables

__all__ = ["import_roster"]


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: a temporary file beside it, then a
    rename over it."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def import_roster(
    book: Annotated[
        Path, typer.Argument(help="A workbook (.xlsx), a CSV file, or a folder of CSV files.")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The roster file to write (YAML).")
    ] = Path("roster.yaml"),
) -> None:
    """Read a roster (organisations, people, posts, findings, documents, grades) from BOOK;
    every problem is printed with its sheet, row and column, and nothing is written unless
    the whole of it is valid."""
    try:
        roster = read_roster_tables(book)
    except GovernanceError as error:
        raise fail(error) from None
    text = yaml.safe_dump(
        converter.unstructure(roster), allow_unicode=True, sort_keys=False, width=100
    )
    _write_atomically(output, text)
    counts = ", ".join(
        f"{len(rows)} {section}"
        for section, rows in (
            ("organisations", roster.organisations), ("people", roster.people),
            ("posts", roster.posts), ("findings", roster.findings or ()),
            ("documents", roster.documents or ()), ("grades", roster.grades),
        )
    )  # fmt: skip
    typer.echo(f"{output}: {counts}")
