"""`governance export` and `governance import-overlay`: a rule as a book policy staff fill in
Excel, and the filled book read back as an overlay (docs/excel-overlays.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from governance_core.cli._options import (
    FROM_OPTIONS,
    Choice,
    Lang,
    LangOption,
    loads_policies,
    output_file,
)
from governance_core.messages import _

__all__ = ["export", "import_overlay"]


@loads_policies
def export(
    rule: Annotated[str, typer.Argument(help="A list, rubric or grade policy id.", metavar="RULE")],
    output: Annotated[
        Path, typer.Option("--output", help="The book to write.", metavar="FILE")
    ] = Path("rule.xlsx"),
    lang: LangOption = Lang.zh,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """Write RULE as a book policy staff fill in Excel: a list's items (titles, the finding
    or condition, citation, declared size), a rubric's lines with points, a grade policy's
    quotas and bands, and the settings an overlay may change. Read it back with
    governance import-overlay."""
    from governance_core.present.rule_sheets import export_rule

    target = output_file(output)
    written = export_rule(choice.engine(), rule, target)
    typer.echo(
        _("{file}: {rule} ({kind})").format(file=target, rule=written.rule, kind=written.kind)
    )


@loads_policies
def import_overlay(
    book: Annotated[
        Path,
        typer.Argument(
            help="A book written by governance export, filled in.",
            metavar="BOOK",
            exists=True,
            dir_okay=False,
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", help="The overlay to write.", metavar="FILE")
    ] = Path("overlay.yaml"),
    lang: LangOption = Lang.zh,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """Read a filled book into an overlay of the loaded policies: items added, replaced or
    removed, settings changed, each with its reason. The overlay is checked by applying it,
    every problem said at its sheet and row; nothing is written unless it applies."""
    from governance_core.present.rule_sheets import import_overlay as read_back

    target = output_file(output)
    overlay = read_back(choice.engine(), book, target)
    changes = (
        sum(
            len(entry.get(k, [])) if k in ("add", "replace", "remove") else 0
            for section in ("lists",)
            for entry in overlay.get(section, [])
            for k in entry
        )
        + len(overlay.get("grade_policies", []))
        + len(overlay.get("rubrics", []))
    )
    typer.echo(_("{file}: {count} change(s)").format(file=target, count=changes))
