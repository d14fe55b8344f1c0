"""The `governance` command: a thin layer over :class:`governance_core.Engine`.

Exit codes: 0 success; 1 an input (policy file, overlay, roster, expression, settings) has
problems or a named plugin cannot be used, printed with file, line, column and rule id; 2 the command line itself is wrong; 3 ``check
--fail-on-incomplete`` found a list with fewer items than its source declares.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from governance_core.cli._audit_app import audit_app
from governance_core.cli._calendar_app import calendar_app
from governance_core.cli._cases_app import run_cases
from governance_core.cli._cycle_app import cycle_app
from governance_core.cli._diff_app import diff
from governance_core.cli._effects_app import effects, lift_effect
from governance_core.cli._import_app import import_roster
from governance_core.cli._incidents_app import incidents_app
from governance_core.cli._masking import masking_output, show_personal_data_for
from governance_core.cli._migrate_app import migrate
from governance_core.cli._options import (
    FROM_OPTIONS,
    Choice,
    Format,
    FormatOption,
    Lang,
    LangOption,
    StrictOption,
    loads_policies,
    output_file,
    parse_date,
)
from governance_core.cli._outbox_app import outbox_app
from governance_core.cli._procedures_app import procedures
from governance_core.cli._process_app import diagram, process_app
from governance_core.cli._province_app import province_app
from governance_core.cli._replay_app import replay
from governance_core.cli._rule_sheets_app import export, import_overlay
from governance_core.cli._run_app import run
from governance_core.cli._runs_app import runs_app
from governance_core.cli._schema_app import schema
from governance_core.cli._serve_app import serve
from governance_core.cli._sources_app import sources
from governance_core.cli._sweep_app import sweep
from governance_core.cli._template_app import template
from governance_core.cli._token_app import token_app
from governance_core.messages import _, in_language

# What a command computes and prints is imported by the command itself, never here: `governance
# --help` and the parsing of every command load no engine, store or table (_options says why).
if TYPE_CHECKING:
    from governance_core.engine import Engine
    from governance_core.rules.scoring import Assessment

__all__ = ["EXAMPLE_AS_OF", "app"]

# The example data is dated; the main job reads it as of this day, never as of the clock.
EXAMPLE_AS_OF = date(2024, 6, 30)

app = typer.Typer(
    name="governance",
    help="Evaluate cadre-management policies: cited, dated, explained.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # click's plain help: typer's rich help imports rich's Markdown and doubles the time
    # `governance --help` takes (docs/performance.md, "Start-up")
    rich_markup_mode=None,
)


def _version(asked: bool) -> None:
    if asked:
        from governance_core._version import __version__

        typer.echo(f"governance_core {__version__}")
        raise typer.Exit()


@app.callback()
def _every_command(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    show_personal_data: Annotated[
        str | None,
        typer.Option(
            "--show-personal-data",
            metavar="REASON",
            help="Print ID-card and mobile numbers unmasked, for someone entitled to see "
            "them; the reason is written to standard error for the session's log.",
        ),
    ] = None,
) -> None:
    """What holds for every command: Chinese unless --lang says otherwise, and ID-card and
    mobile numbers masked in everything printed unless --show-personal-data says why not."""
    ctx.with_resource(in_language("zh"))
    ctx.with_resource(masking_output())
    if show_personal_data is not None:
        show_personal_data_for(ctx, show_personal_data)


def _show(verdicts: list, fmt: Format, lang: Lang) -> None:  # type: ignore[type-arg]
    from governance_core.cli._output import plain_console, print_rows
    from governance_core.present.shapes import dumps, verdicts_data
    from governance_core.present.verdicts import verdict_rows

    if fmt is Format.json:
        sys.stdout.buffer.write(dumps(verdicts_data(verdicts, lang.value)) + b"\n")
        return
    console = plain_console()
    for rows in verdict_rows(verdicts, lang.value):
        print_rows(console, rows)


@app.command()
@loads_policies
def evaluate(
    list_id: Annotated[str, typer.Argument(metavar="LIST", help="Id of a loaded criteria list.")],
    roster: Annotated[Path, typer.Argument(metavar="ROSTER", help="Roster file (YAML or JSON).")],
    as_of: Annotated[
        str, typer.Option("--as-of", help="Evaluate as of this date (YYYY-MM-DD).", metavar="DATE")
    ],
    choice: Choice = FROM_OPTIONS,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
    strict: StrictOption = False,
) -> None:
    """Evaluate LIST for every person of ROSTER as of a date, explaining every item."""
    from governance_core.model import load_roster

    day = parse_date(as_of)
    engine = choice.engine(strict=strict or None)
    verdicts = engine.evaluate(list_id, load_roster(roster), day)
    _show(verdicts, fmt, lang)


class FailOn(StrEnum):
    warning = "warning"
    error = "error"


_SEVERITY_RANK = {FailOn.warning: 1, FailOn.error: 2}


def _properties(
    engine: Engine, equivalent: tuple[str, str] | None, disjoint: tuple[str, str] | None, day: date
) -> dict[str, Any]:
    """What ``--equivalent`` and ``--disjoint`` ask, proved or refuted."""
    from governance_core.analysis import budget, compare, disjoint_lists

    found: dict[str, Any] = {}
    if equivalent is not None:
        base, other = (engine if o == "-" else engine.with_overlays([Path(o)]) for o in equivalent)
        with budget(60):  # a question past it is "undecided", never a proof
            found["equivalence"] = list(compare(base, other, day))
    if disjoint is not None:
        from governance_core.rules.criteria.kind import CRITERIA

        for name in disjoint:
            if name not in engine.policies.of(CRITERIA):
                raise typer.BadParameter(
                    _("no list {list!r} is loaded").format(list=name), param_hint="--disjoint"
                )
        found["disjoint"] = disjoint_lists(engine, *disjoint, day)
    return found


CHECK_SECONDS = 60.0
"""How long `governance check` takes at most, loading included (docs/analysis.md)."""
_KEPT_SECONDS = 5.0


@app.command()
@loads_policies
def check(
    choice: Choice = FROM_OPTIONS,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Report parameters with no value on this date.", metavar="DATE"
        ),
    ] = None,
    lang: LangOption = Lang.zh,
    fail_on_incomplete: Annotated[
        bool, typer.Option("--fail-on-incomplete", help="Exit 3 when a list is incomplete.")
    ] = False,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on", help="Exit 4 when the analysis finds something this severe or worse."
        ),
    ] = None,
    equivalent: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--equivalent",
            help="Compare two policy sets, each the loaded one with an overlay file (or - for "
            "none): does any list's outcome change for anyone?",
            metavar="BASE OTHER",
        ),
    ] = None,
    disjoint_lists: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--disjoint", help="Can one person be hit by both lists?", metavar="LIST LIST"
        ),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Load every plugin, policy and overlay; report all problems, incomplete lists,
    unvalued parameters, what overlays changed, and what the analysis proves about the
    rules (items never met, shadowed grades, guards that never pass…), each with a witness."""
    from governance_core.analysis import analyse
    from governance_core.cli._output import plain_console, print_lines, print_rows
    from governance_core.present.check import (
        check_lines,
        check_rows,
        comparison_rows,
        finding_rows,
    )
    from governance_core.present.shapes import check_data, comparisons_data, dumps, findings_data
    from governance_core.rules.common import SupplierKind

    # a diagnostic of what is loaded: as of today unless asked (a decision never reads the clock)
    started = time.monotonic()
    day = parse_date(as_of) if as_of else date.today()
    engine = choice.engine()
    report = engine.check(day)
    # the analysis has what is left of the command's time (docs/analysis.md): loading a large
    # policy counts against it, and a few seconds are kept to confirm witnesses and print
    left = CHECK_SECONDS - _KEPT_SECONDS - (time.monotonic() - started)
    findings = analyse(engine, day, seconds=max(1.0, left))
    failed = fail_on is not None and any(
        f.severity.rank >= _SEVERITY_RANK[fail_on] for f in findings
    )
    properties = _properties(engine, equivalent, disjoint_lists, day)
    if fmt is Format.json:
        data = {
            **check_data(report, lang.value),
            "findings": findings_data(findings, lang.value),
            **comparisons_data(properties),
        }
        sys.stdout.buffer.write(dumps(data) + b"\n")
        if fail_on_incomplete and report.incomplete:
            raise typer.Exit(3)
        if failed:
            raise typer.Exit(4)
        return
    console = plain_console()
    districts = [
        r
        for r in engine.plugin_report()
        if r.status == "loaded" and r.supplier.kind is SupplierKind.PLUGIN
    ]
    if not districts and not (choice.policies or choice.overlays):
        console.print(
            _(
                "nothing of a district is loaded: name its plugin (--plugin shizhong), "
                "a policy file (--policy) or its settings (--config)"
            )
        )
    print_rows(console, check_rows(report, lang.value))
    print_lines(console, check_lines(report, lang.value))
    found = finding_rows(findings, lang.value)
    print_rows(console, found)
    if found is None:
        print_lines(console, [_("The analysis found nothing.")])
    print_rows(console, comparison_rows(properties, lang.value))
    if fail_on_incomplete and report.incomplete:
        raise typer.Exit(3)
    if failed:
        raise typer.Exit(4)


@app.command()
@loads_policies
def plugins(
    choice: Choice = FROM_OPTIONS,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
) -> None:
    """Plugins: name, version, status, hooks, and what each provides (lists with their
    completeness, parameters, functions); installed plugins not named are listed too."""
    from governance_core.cli._output import plain_console, print_rows
    from governance_core.present.check import plugin_rows
    from governance_core.present.shapes import dumps, plugins_data

    report = choice.engine().plugin_report()
    if fmt is Format.json:
        sys.stdout.buffer.write(dumps(plugins_data(report, lang.value)) + b"\n")
    else:
        print_rows(plain_console(), plugin_rows(report, lang.value))


class ScoreFormat(StrEnum):
    table = "table"
    json = "json"
    xlsx = "xlsx"


AssessmentArgument = Annotated[
    Path,
    typer.Argument(metavar="ASSESSMENT", help="Assessment file (YAML or JSON): inputs per person."),
]
RosterOption = Annotated[
    Path | None,
    typer.Option(
        "--roster", help="Roster with the dossiers vetoes and overrides read.", metavar="FILE"
    ),
]


def _assessment(
    choice: Choice, path: Path, roster: Path | None, grade_policy: str | None = None
) -> Assessment:
    from governance_core.model import load_roster
    from governance_core.rules.scoring import read_assessment

    engine = choice.engine()
    read = read_assessment(path)
    people = load_roster(roster) if roster is not None else None
    policy_id = grade_policy or read.policy
    return engine.assess(policy_id, read.entries, read.as_of, roster=people)


@app.command()
@loads_policies
def score(
    assessment: AssessmentArgument,
    person: Annotated[
        str | None, typer.Option("--person", help="Only this person's sheet.", metavar="PERSON")
    ] = None,
    roster: RosterOption = None,
    choice: Choice = FROM_OPTIONS,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
) -> None:
    """Score sheets: every rule with its input, points and source; section totals; votes."""
    from governance_core.cli._output import plain_console, print_lines, print_rows
    from governance_core.present.scoring import sheet_rows, vote_line
    from governance_core.present.shapes import assessment_data, dumps

    result = _assessment(choice, assessment, roster)
    if fmt is Format.json:
        sys.stdout.buffer.write(dumps(assessment_data(result)) + b"\n")
        return
    console = plain_console()
    for person_id, sheet in sorted(result.sheets.items()):
        if person is None or person_id == person:
            print_rows(console, sheet_rows(person_id, sheet, lang.value))
            print_lines(console, filter(None, [vote_line(result, person_id)]))


@app.command()
@loads_policies
def rank(
    assessment: AssessmentArgument,
    roster: RosterOption = None,
    choice: Choice = FROM_OPTIONS,
    fmt: Annotated[
        ScoreFormat, typer.Option("--format", "-f", help="table, json or xlsx.")
    ] = ScoreFormat.table,
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Where to write the .xlsx workbook.", metavar="FILE"),
    ] = None,
    lang: LangOption = Lang.zh,
    grade_policy: Annotated[
        str | None,
        typer.Option(
            "--grade-policy",
            help="Grade under this grade policy instead of the one the file names "
            "(the same scores, another ranking: 4:5:1 tiers and red/yellow cards).",
            metavar="POLICY",
        ),
    ] = None,
) -> None:
    """Grades per group: place, score, grade and the rule that gave it; consequences."""
    from governance_core.cli._output import plain_console, print_lines, print_rows
    from governance_core.present.scoring import grade_lines, grade_rows, write_rank_workbook
    from governance_core.present.shapes import assessment_data, dumps

    if fmt is ScoreFormat.xlsx and output is None:
        raise typer.BadParameter("--format xlsx writes a file: give --output PATH.xlsx")
    if output is not None:
        output_file(output)
    choice = choice
    result = _assessment(choice, assessment, roster, grade_policy)
    if fmt is ScoreFormat.json:
        sys.stdout.buffer.write(dumps(assessment_data(result)) + b"\n")
    elif fmt is ScoreFormat.xlsx:
        assert output is not None
        write_rank_workbook(result, output)
        typer.echo(f"{output}: {len(result.groups())} groups, {len(result.graded)} people")
    else:
        console = plain_console()
        for rows in grade_rows(result, lang.value):
            print_rows(console, rows)
        print_lines(console, grade_lines(result, lang.value))


@app.command()
@loads_policies
def points(
    ledger_file: Annotated[
        Path,
        typer.Argument(
            metavar="LEDGER", help="Ledger file (YAML or JSON): households, claims, redemptions."
        ),
    ],
    household: Annotated[
        str | None,
        typer.Option("--household", help="Only this household's statement.", metavar="HOUSEHOLD"),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Statements as of this date; default: the last recorded.",
            metavar="DATE",
        ),
    ] = None,
    choice: Choice = FROM_OPTIONS,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
) -> None:
    """Points statements: every posting with why it was earned, balance, pending claims."""
    from governance_core.cli._output import plain_console, print_lines, print_rows
    from governance_core.present.points import statement_lines, statement_rows
    from governance_core.present.shapes import dumps, statements_data

    ledger = choice.engine().read_ledger(ledger_file)
    day = parse_date(as_of) if as_of else ledger.latest() or date.min  # never the clock
    wanted = [household] if household else [h.id for h in ledger.households()]
    statements = [ledger.statement(h, day) for h in wanted]
    if fmt is Format.json:
        sys.stdout.buffer.write(dumps(statements_data(ledger.catalogue, statements)) + b"\n")
    else:
        console = plain_console()
        for statement in statements:
            print_rows(console, statement_rows(ledger.catalogue, statement, lang.value))
            print_lines(console, statement_lines(statement, lang.value))


app.add_typer(process_app, name="process")
app.command()(diagram)
app.command(name="test")(run_cases)
app.command()(run)
app.command(name="import")(import_roster)
app.command()(template)
app.command()(export)
app.command(name="import-overlay")(import_overlay)
app.add_typer(audit_app, name="audit")
app.add_typer(cycle_app, name="cycle")
app.add_typer(province_app, name="province")
app.add_typer(calendar_app, name="calendar")
app.add_typer(outbox_app, name="outbox")
app.add_typer(runs_app, name="runs")
app.command()(sources)
app.command()(serve)
app.command()(sweep)
app.command()(effects)
app.command(name="lift-effect")(lift_effect)
app.add_typer(incidents_app, name="incidents")
app.command()(migrate)
app.command()(replay)
app.command()(diff)
app.command()(procedures)
app.command()(schema)
app.add_typer(token_app, name="token")
