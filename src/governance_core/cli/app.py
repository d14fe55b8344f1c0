"""The `governance` command: a thin layer over :class:`governance_core.Engine`.

Exit codes: 0 success; 1 an input (policy file, roster, expression) has problems, which are
printed with file, line, column and rule id; 2 the command line itself is wrong; 3 ``check
--fail-on-incomplete`` found a list with fewer items than its source declares.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from governance_core.cli.output import print_check, print_verdicts, verdicts_json
from governance_core.engine import Engine
from governance_core.errors import GovernanceError
from governance_core.model import load_roster

__all__ = ["EXAMPLE_AS_OF", "app"]

# The example data is dated; the main job reads it as of this day, never as of the clock.
EXAMPLE_AS_OF = date(2024, 6, 30)

app = typer.Typer(
    name="governance",
    help="Evaluate cadre-management policies: cited, dated, explained.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    table = "table"
    json = "json"


class Lang(StrEnum):
    zh = "zh"
    en = "en"


PolicyOption = Annotated[
    list[Path] | None,
    typer.Option("--policy", "-p", help="A policy file to load (repeatable)."),
]
NoExamples = Annotated[
    bool, typer.Option("--no-examples", help="Do not load the bundled example lists.")
]
LangOption = Annotated[Lang, typer.Option("--lang", "-l", help="Language of the output.")]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table or json.")]
StrictOption = Annotated[
    bool,
    typer.Option(
        "--strict", help="A parameter with no value on the date is an error, not 'unknown'."
    ),
]


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date in YYYY-MM-DD form") from None


def _fail(error: GovernanceError) -> typer.Exit:
    typer.echo(str(error), err=True)
    return typer.Exit(1)


def _engine(policies: list[Path] | None, no_examples: bool, strict: bool) -> Engine:
    return Engine.from_files(
        policies or [], include_examples=not no_examples, strict_parameters=strict
    )


def _show(verdicts: list, fmt: Format, lang: Lang) -> None:  # type: ignore[type-arg]
    if fmt is Format.json:
        sys.stdout.buffer.write(verdicts_json(verdicts, lang.value) + b"\n")
    else:
        print_verdicts(Console(), verdicts, lang.value)


@app.command()
def evaluate(
    list_id: Annotated[str, typer.Argument(metavar="LIST", help="Id of a loaded criteria list.")],
    roster: Annotated[Path, typer.Argument(help="Roster file (YAML or JSON).")],
    as_of: Annotated[str, typer.Option("--as-of", help="Evaluate as of this date (YYYY-MM-DD).")],
    policy: PolicyOption = None,
    no_examples: NoExamples = False,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
    strict: StrictOption = False,
) -> None:
    """Evaluate LIST for every person of ROSTER as of a date, explaining every item."""
    day = _date(as_of)
    try:
        engine = _engine(policy, no_examples, strict)
        verdicts = engine.evaluate(list_id, load_roster(roster), day)
    except GovernanceError as error:
        raise _fail(error) from None
    _show(verdicts, fmt, lang)


@app.command()
def check(
    policy: PolicyOption = None,
    no_examples: NoExamples = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Report parameters with no value on this date.")
    ] = None,
    lang: LangOption = Lang.zh,
    fail_on_incomplete: Annotated[
        bool, typer.Option("--fail-on-incomplete", help="Exit 3 when a list is incomplete.")
    ] = False,
) -> None:
    """Load every policy, report all problems, incomplete lists and unvalued parameters."""
    day = _date(as_of) if as_of else EXAMPLE_AS_OF
    try:
        report = _engine(policy, no_examples, False).check(day)
    except GovernanceError as error:
        raise _fail(error) from None
    print_check(Console(), report, lang.value)
    if fail_on_incomplete and report.incomplete:
        raise typer.Exit(3)


@app.command()
def run(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Evaluate as of this date.")] = None,
    roster: Annotated[
        Path | None, typer.Option("--roster", help="Roster file; default: the bundled example.")
    ] = None,
    policy: PolicyOption = None,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
) -> None:
    """The main job. For now: every loaded list over the roster, with explained verdicts.

    With no options it uses the bundled example lists and roster as of 2024-06-30.
    """
    day = _date(as_of) if as_of else EXAMPLE_AS_OF
    try:
        engine = _engine(policy, False, False)
        verdicts = engine.evaluate_all(load_roster(roster or Engine.example_roster()), day)
    except GovernanceError as error:
        raise _fail(error) from None
    _show(verdicts, fmt, lang)
