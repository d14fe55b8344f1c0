"""`governance cycle show`: what the loaded plugins' cycles run in a period, with deadlines on
the official calendar and what is missing to run them."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer

from governance_core.cli._options import (
    FROM_OPTIONS,
    Choice,
    Format,
    FormatOption,
    Lang,
    LangOption,
    loads_policies,
)
from governance_core.messages import _

if TYPE_CHECKING:  # imported by the command itself (_options says why)
    from governance_core.rules.calendar import OfficialCalendar
    from governance_core.rules.cycles import Period, Planned

__all__ = ["cycle_app"]

cycle_app = typer.Typer(
    help="A district's cycles: what its plugins run when, and what is missing.",
    no_args_is_help=True,
)


def _period(text: str) -> Period:
    from governance_core.rules.cycles import Period

    try:
        return Period.parse(text)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--period") from None


def _row(planned: Planned, calendar: OfficialCalendar, lang: str) -> dict[str, Any]:
    deadline = planned.deadline
    return {
        "cycle": planned.cycle.id,
        "step": planned.step.id,
        "title": planned.step.title.in_language(lang),
        "occurrence": planned.occurrence.label if planned.occurrence else None,
        "applies": planned.step.applies.named(),
        "deadline": deadline.isoformat() if deadline else None,
        "working_day": calendar.is_workday(deadline) if deadline else None,
        "provisional_year": planned.provisional_year,
        "inputs": [i.value for i in planned.step.inputs],
        "missing": list(planned.missing),
    }


def _input_words(name: str) -> str:
    words = {
        "roster": _("roster"),
        "scores": _("scores"),
        "rubric_inputs": _("rubric inputs"),
        "ballots": _("ballots"),
        "ledger": _("points ledger"),
    }
    return words.get(name, name)


@cycle_app.command("show")
@loads_policies
def show(
    period: Annotated[
        str, typer.Option("--period", help="2024-03, 2024Q4, 2024H2 or 2024.", metavar="PERIOD")
    ] = "2024Q4",
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """What the loaded cycles run in PERIOD: each step's occurrences, their deadlines (on the
    official calendar) and what is missing (a cadence or deadline the source did not publish)."""
    from rich.table import Table

    from governance_core.cli._output import plain_console
    from governance_core.present.calendar import deadline_text
    from governance_core.rules.calendar import CALENDAR
    from governance_core.rules.cycles import CYCLES

    wanted = _period(period)
    policies = choice.engine().policies
    calendar = policies.of(CALENDAR)
    planned = policies.of(CYCLES).plan(wanted, calendar.add_working_days)
    rows = [_row(p, calendar, lang.value) for p in planned]
    if fmt is Format.json:
        sys.stdout.buffer.write(orjson.dumps({"period": wanted.label, "steps": rows}) + b"\n")
        return
    console = plain_console()
    if not rows:
        console.print(
            _("no cycle is loaded: name a district's plugin (--plugin shizhong) or a policy file")
        )
        return
    table = Table(
        _("cycle"),
        _("step"),
        _("period"),
        _("applies"),
        _("deadline"),
        _("inputs"),
        _("missing"),
        title=_("what runs in {period}").format(period=wanted.label),
    )
    for p, row in zip(planned, rows, strict=True):
        deadline = deadline_text(p.deadline, p.provisional_year)
        if row["working_day"] is False:
            deadline += _(" (not a working day)")
        table.add_row(
            row["cycle"],
            f"{row['title']} [{row['step']}]",
            row["occurrence"] or "?",
            " → ".join(row["applies"].values()),
            deadline,
            ", ".join(_input_words(i) for i in row["inputs"]),
            "; ".join(row["missing"]),
        )
    console.print(table)
