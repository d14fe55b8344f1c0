"""`governance diff`: whom a change of policy reaches, over a district's roster (docs/analysis.md).

The base is the loaded policy set (``--base`` adds an overlay or names a plugin version, or
gives another date); the other is the base with ``--with`` overlays or plugin versions,
evaluated on ``--as-of``. Both read the same roster and assessment inputs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from governance_core.cli._options import (
    DEFAULT_DATABASE,
    FROM_OPTIONS,
    Choice,
    Lang,
    LangOption,
    StoreOption,
    existing_store,
    loads_policies,
    output_file,
    parse_date,
    parse_period,
)
from governance_core.messages import _, in_language

if TYPE_CHECKING:
    from governance_core.analysis.impact import Impact
    from governance_core.engine import Engine
    from governance_core.jobs.replay import PolicySetChange
    from governance_core.rules.criteria import ListVerdict
    from governance_core.rules.scoring import Entry

__all__ = ["diff"]


class DiffFormat(StrEnum):
    table = "table"
    json = "json"
    xlsx = "xlsx"


def _is_date(spec: str) -> bool:
    try:
        date.fromisoformat(spec)
    except ValueError:
        return False
    return True


def _plugin_name(requirement: str) -> str:
    """The plugin a ``--plugin``/``--with`` requirement names (``shizhong>=0.1`` → shizhong);
    a malformed one is left whole, for plugin loading to refuse with its reason."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return Requirement(requirement).name
    except InvalidRequirement:
        return requirement


def _with(engine: Engine, choice: Choice, specs: list[str]) -> Engine:
    """``engine`` with each overlay file or ``PLUGIN==VERSION`` of ``specs``."""
    from governance_core.engine import Engine

    overlays = [Path(s) for s in specs if "==" not in s]
    plugins = [s for s in specs if "==" in s]
    if plugins:  # a version of a plugin: loaded as asked, failing closed if it is not installed
        named = {_plugin_name(p) for p in plugins}
        kept = [p for p in (choice.plugins or []) if _plugin_name(p) not in named]
        engine = Engine.load(
            plugins=[*kept, *plugins],
            policies=choice.policies or [],
            overlays=choice.overlays or [],
        )
    return engine.with_overlays(overlays) if overlays else engine


@loads_policies
def diff(
    roster: Annotated[
        Path,
        typer.Option(
            "--roster", help="The roster (YAML, JSON or a book) both read.", metavar="FILE"
        ),
    ],
    as_of: Annotated[
        str, typer.Option("--as-of", help="The date to compare on (YYYY-MM-DD).", metavar="DATE")
    ],
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            help="The base: the loaded set with this overlay file or PLUGIN==VERSION, or the "
            "loaded set on this date (YYYY-MM-DD).",
            metavar="SPEC",
        ),
    ] = None,
    other: Annotated[
        list[str] | None,
        typer.Option(
            "--with",
            help="The other set: the base with this overlay file or PLUGIN==VERSION (repeatable).",
            metavar="SPEC",
        ),
    ] = None,
    inputs: Annotated[
        list[Path] | None,
        typer.Option(
            "--inputs",
            help="Books (their 评分 rows of --period, read as governance run reads them), "
            "assessment files whose grades, and ledger files whose balances, to compare "
            "(repeatable).",
            metavar="FILE",
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="With a book in --inputs: the period whose 评分 rows to compare (2024Q4).",
            metavar="PERIOD",
        ),
    ] = None,
    run: Annotated[
        str | None,
        typer.Option(
            "--run",
            help="A recorded run (`governance runs list`) as the base: what was decided then.",
            metavar="NAME",
        ),
    ] = None,
    database: StoreOption = DEFAULT_DATABASE,
    steps: Annotated[
        bool,
        typer.Option(
            "--steps", help="Also compare the steps the open procedures of --database allow."
        ),
    ] = False,
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="table, json or xlsx.")
    ] = DiffFormat.table,
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Where to write the .xlsx workbook.", metavar="FILE"),
    ] = None,
    choice: Choice = FROM_OPTIONS,
    lang: LangOption = Lang.zh,
) -> None:
    """Whom a change reaches: every person whose outcome of a list, or grade or place,
    differs between two policy sets (or two dates), with the items and rules that decided
    it, counts per town, and the records added, removed or changed."""
    from governance_core.analysis.impact import impact
    from governance_core.files import load_yaml
    from governance_core.jobs.district_inputs import (
        BOOKS,
        book_entries,
        read_roster,
        with_roster_groups,
    )
    from governance_core.present.diff import write_diff_workbook
    from governance_core.present.shapes import dumps
    from governance_core.present.verdicts import outcome_text
    from governance_core.rules.scoring import read_assessment
    from governance_core.rules.scoring.kind import SCORING

    if fmt is DiffFormat.xlsx and output is None:
        raise typer.BadParameter(_("--format xlsx writes a file: give --output PATH.xlsx"))
    if output is not None:
        output_file(output, "--output")
    day = parse_date(as_of)
    base_day = parse_date(base) if base is not None and _is_date(base) else day
    loaded = choice.engine()
    before = (
        _with(loaded, choice, [base])
        if base is not None and base_day == day and not (_is_date(base))
        else loaded
    )
    after = _with(before, choice, other or [])
    people = read_roster(roster)
    assessments: list[tuple[str, Sequence[Entry]]] = []
    ledgers: list[Path] = []
    books = [p for p in inputs or () if p.is_dir() or p.suffix.lower() in BOOKS]
    if books:  # read as governance run reads them: the rows of the period's steps
        if period is None:
            raise typer.BadParameter(
                _("a book holds many periods: say which with --period"), param_hint="--period"
            )
        assessments += book_entries(before, parse_period(period), roster, books)
    for path in inputs or ():
        if path in books:
            continue
        if "scheme" in (load_yaml(path).data or {}):  # a points ledger, not an assessment
            ledgers.append(path)
        else:
            found = read_assessment(path)
            policy = before.policies.of(SCORING).grade_policy(found.policy)
            # the town the file leaves out is the roster's, as governance run reads it
            entries = with_roster_groups(found.entries, policy, people, found.as_of)
            assessments.append((found.policy, entries))
    recorded = _recorded(database, run) if run is not None else []
    instances = list(existing_store(database).instances()) if steps else []
    result = impact(
        before,
        after,
        people,
        base_day,
        day,
        assessments,
        lambda verdict: outcome_text(verdict, lang.value),
        ledgers=ledgers,
        recorded=recorded,
        instances=instances,
    )
    change = _policy_set(after, database, run) if run is not None else None
    if fmt is DiffFormat.json:
        from governance_core.model import converter

        data = converter.unstructure(result)
        if change is not None:  # the run's policy set beside the one compared with it
            data["policy_set"] = converter.unstructure(change)
        sys.stdout.buffer.write(dumps(data) + b"\n")
    elif fmt is DiffFormat.xlsx:
        assert output is not None
        with in_language(lang.value):
            write_diff_workbook(result, output)
        typer.echo(_("workbook: {path}").format(path=output))
    else:
        with in_language(lang.value):
            _print(result)
            if change is not None:
                _print_policy_set(change)


def _policy_set(engine: Engine, database: str, run: str) -> PolicySetChange:
    from governance_core.jobs.replay import policy_set_change

    return policy_set_change(engine, existing_store(database), run)


def _print_policy_set(change: PolicySetChange) -> None:
    if not change.differences:
        typer.echo(_("The run was decided under the policy set compared with it."))
        return
    typer.echo(
        _("The run was decided under another policy set: {what}").format(
            what="；".join(change.differences)
        )
    )


def _recorded(database: str, run: str) -> list[ListVerdict]:
    """The list verdicts a recorded run decided, as they were."""
    from governance_core.model import converter
    from governance_core.rules.criteria import ListVerdict

    found = [
        converter.structure(r.body["verdict"], ListVerdict)
        for r in existing_store(database).decisions.recorded_verdicts(run=run)
        if "verdict" in r.body
    ]
    if not found:
        raise typer.BadParameter(
            _("run {run!r} recorded no verdict of a list").format(run=run), param_hint="--run"
        )
    return found


def _print(result: Impact) -> None:
    from governance_core.cli._output import plain_console, print_lines, print_rows
    from governance_core.present.diff import diff_heading, diff_rows

    console = plain_console()
    print_lines(console, [diff_heading(result)])
    for rows in diff_rows(result):
        if rows.rows:
            print_rows(console, rows)
