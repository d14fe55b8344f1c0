"""`governance template`: the book a district fills for the loaded cycles, written as the
readers of `governance run --roster` read it (docs/district-book.md)."""

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
    parse_period,
)
from governance_core.messages import _

__all__ = ["template"]


@loads_policies
def template(
    period_text: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="2024-10, 2024Q4, 2024H2 or 2024: the steps of that period and its "
            "occurrences (default: every step of the loaded cycles).",
            metavar="PERIOD",
        ),
    ] = None,
    output: Annotated[
        Path,
        typer.Option("--output", help="The book to write.", metavar="FILE"),
    ] = Path("district-book.xlsx"),
    lang: LangOption = Lang.zh,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """Write the book a district fills: the roster's sheets and the 评分/投票 sheets of the
    steps that read scores, rubric inputs or ballots, with the readers' headers, checks on
    what is typed, a 说明 sheet and an example row on each sheet (marked 示例, never read)."""
    from governance_core.present.template import write_template

    period = parse_period(period_text) if period_text is not None else None
    target = output_file(output)
    engine = choice.engine()
    made = write_template(engine, target, period)
    steps = ", ".join(s.step.id for s in made.steps) or _("none")
    typer.echo(
        _("{file}: the roster's sheets; steps reading 评分: {steps}").format(
            file=target, steps=steps
        )
    )
