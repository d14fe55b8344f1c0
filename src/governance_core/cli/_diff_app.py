"""`governance diff`: whom a change of policy reaches, over a district's roster (docs/analysis.md).

The base is the loaded policy set (``--base`` adds an overlay or names a plugin version, or
gives another date); the other is the base with ``--with`` overlays or plugin versions,
evaluated on ``--as-of``. Both read the same roster and assessment inputs.
"""

from __future__ import annotations

import sys
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
)
from governance_core.messages import _, in_language

if TYPE_CHECKING:
    from governance_core.analysis.impact import Impact
    from governance_core.engine import Engine
    from governance_core.rules.criteria import ListVerdict

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
            help="Assessment files whose grades, and ledger files whose balances, to compare "
            "(repeatable).",
            metavar="FILE",
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
    from governance_core.jobs.district_inputs import read_roster
    from governance_core.present.shapes import dumps
    from governance_core.present.verdicts import outcome_text
    from governance_core.rules.scoring import read_assessment

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
    assessments, ledgers = [], []
    for path in inputs or ():
        if "scheme" in (load_yaml(path).data or {}):  # a points ledger, not an assessment
            ledgers.append(path)
        else:
            found = read_assessment(path)
            assessments.append((found.policy, found.entries))
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
    if fmt is DiffFormat.json:
        from governance_core.model import converter

        sys.stdout.buffer.write(dumps(converter.unstructure(result)) + b"\n")
    elif fmt is DiffFormat.xlsx:
        assert output is not None
        with in_language(lang.value):
            _write_book(result, output)
        typer.echo(_("workbook: {path}").format(path=output))
    else:
        with in_language(lang.value):
            _print(result)


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
    from rich.table import Table
    from rich.text import Text

    from governance_core.cli._output import plain_console

    console = plain_console()
    console.print(
        Text(
            _("{people} people compared: {base} → {other}").format(
                people=result.people, base=result.base_as_of, other=result.other_as_of
            )
        )
    )
    table = Table(title=_("Outcomes that change"))
    for header in (_("List"), _("Person"), _("Town"), _("Before"), _("After"), _("Items")):
        table.add_column(header, overflow="fold")
    for c in result.outcomes:
        items = _items_in_words(c.items)
        table.add_row(
            Text(c.list),
            Text(f"{c.name} ({c.person})"),
            Text(c.town),
            Text(c.explained_before),
            Text(c.explained_after),
            Text(items),
        )
    console.print(table)
    if result.grades:
        grades = Table(title=_("Grades and places that change"))
        for header in (_("Grade policy"), _("Person"), _("Before"), _("After"), _("Rule")):
            grades.add_column(header, overflow="fold")
        for g in result.grades:
            grades.add_row(
                Text(g.grade_policy),
                Text(f"{g.name} ({g.person})"),
                Text(f"{g.before or '—'} #{g.place_before or '—'}"),
                Text(f"{g.after or '—'} #{g.place_after or '—'}"),
                Text(g.rule_after),
            )
        console.print(grades)
    if result.points:
        points = Table(title=_("Points balances that change"))
        for header in (_("Scheme"), _("Household"), _("Before"), _("After")):
            points.add_column(header, overflow="fold")
        for h in result.points:
            points.add_row(
                Text(h.scheme),
                Text(f"{h.name} ({h.household})"),
                Text(h.before + (_(" (provisional)") if h.provisional_before else "")),
                Text(h.after + (_(" (provisional)") if h.provisional_after else "")),
            )
        console.print(points)
    if result.steps:
        allowed = Table(title=_("Steps allowed differently"))
        for header in (
            _("Instance"),
            _("Subject"),
            _("Step"),
            _("Before"),
            _("After"),
            _("Why not"),
        ):
            allowed.add_column(header, overflow="fold")
        for st in result.steps:
            allowed.add_row(
                Text(st.instance),
                Text(st.subject),
                Text(st.step),
                "✓" if st.before else "✗",
                "✓" if st.after else "✗",
                Text("\n".join(st.why)),
            )
        console.print(allowed)
    for rule, towns in result.by_town.items():
        counts = _(", ").join(f"{town or '—'} {n}" for town, n in towns.items())
        console.print(Text(_("{rule}: changed in {counts}").format(rule=rule, counts=counts)))
    if result.structure:
        console.print(Text(_("What the two sets hold differently:")))
        changes, sections = _change_words(), _section_words()
        for s in result.structure:
            line = f"  {changes[s.change]} {sections.get(s.section, s.section)} {s.id} {s.what}"
            console.print(Text(f"{line} {s.citation}".rstrip()))


def _items_in_words(items: dict[str, tuple[str, str]]) -> str:
    """Each changed item with its status before and after, in the current language."""
    from governance_core.messages import language
    from governance_core.present.verdicts import status_text
    from governance_core.rules.criteria import ItemStatus

    def word(status: str) -> str:
        return status if status == "—" else status_text(ItemStatus(status), language())

    return "; ".join(f"{k}: {word(a)}→{word(b)}" for k, (a, b) in items.items())


def _change_words() -> dict[str, str]:
    return {"added": _("added"), "removed": _("removed"), "changed": _("changed")}


def _section_words() -> dict[str, str]:
    from governance_core.loading.kinds import policy_sections
    from governance_core.messages import language

    return {section.name: section.title_in(language()) for section in policy_sections()}


def _write_book(result: Impact, path: Path) -> None:
    from governance_core.files.spreadsheets import writing_book

    changes, sections = _change_words(), _section_words()
    with writing_book(path) as book:
        book.table(
            _("Outcomes that change"),
            [
                _("List"),
                _("Person"),
                _("Name"),
                _("Town"),
                _("Before"),
                _("After"),
                _("Items"),
                _("Explained before"),
                _("Explained after"),
            ],
            [
                [
                    c.list,
                    c.person,
                    c.name,
                    c.town,
                    c.before,
                    c.after,
                    _items_in_words(c.items),
                    c.explained_before,
                    c.explained_after,
                ]
                for c in result.outcomes
            ],
        )
        book.table(
            _("Grades and places that change"),
            [
                _("Grade policy"),
                _("Person"),
                _("Name"),
                _("Town"),
                _("Before"),
                _("After"),
                _("Place before"),
                _("Place after"),
                _("Rule"),
            ],
            [
                [
                    g.grade_policy,
                    g.person,
                    g.name,
                    g.town,
                    g.before or "",
                    g.after or "",
                    g.place_before,
                    g.place_after,
                    g.rule_after,
                ]
                for g in result.grades
            ],
        )
        book.table(
            _("Points balances that change"),
            [_("Scheme"), _("Household"), _("Name"), _("Town"), _("Before"), _("After")],
            [[c.scheme, c.household, c.name, c.town, c.before, c.after] for c in result.points],
        )
        book.table(
            _("Steps allowed differently"),
            [_("Instance"), _("Subject"), _("Step"), _("Before"), _("After"), _("Why not")],
            [
                [
                    c.instance,
                    c.subject,
                    c.step,
                    _("yes") if c.before else _("no"),
                    _("yes") if c.after else _("no"),
                    "; ".join(c.why),
                ]
                for c in result.steps
            ],
        )
        book.table(
            _("By town"),
            [_("Rule"), _("Town"), _("People")],
            [
                [rule, town, n]
                for rule, towns in result.by_town.items()
                for town, n in towns.items()
            ],
        )
        book.table(
            _("Records"),
            [_("Change"), _("Section"), _("Id"), _("What"), _("Citation")],
            [
                [changes[s.change], sections.get(s.section, s.section), s.id, s.what, s.citation]
                for s in result.structure
            ],
        )
