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
from governance_core.errors import CalendarError
from governance_core.messages import _

if TYPE_CHECKING:  # imported by the command itself (_options says why)
    from governance_core.rules.cycles import Period, Planned
    from governance_core.runtime import OfficialCalendar

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


def _deadline(planned: Planned, calendar: OfficialCalendar) -> tuple[str, bool | None]:
    """The deadline as shown, and whether it is a working day (None: not known)."""
    if planned.deadline is None:
        return "", None
    try:
        return planned.deadline.isoformat(), calendar.is_workday(planned.deadline)
    except CalendarError:
        return planned.deadline.isoformat(), None


def _row(planned: Planned, calendar: OfficialCalendar, lang: str) -> dict[str, Any]:
    deadline, working = _deadline(planned, calendar)
    return {
        "cycle": planned.cycle.id,
        "step": planned.step.id,
        "title": planned.step.title.in_language(lang),
        "occurrence": planned.occurrence.label if planned.occurrence else None,
        "applies": planned.step.applies.named(),
        "deadline": deadline or None,
        "working_day": working,
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
    from governance_core.rules.cycles import CYCLES
    from governance_core.runtime import OfficialCalendar

    wanted = _period(period)
    cycles = choice.engine().policies.of(CYCLES)
    calendar = OfficialCalendar()
    try:
        planned = cycles.plan(wanted, calendar.add_working_days)
    except CalendarError as error:
        raise typer.BadParameter(str(error), param_hint="--period") from None
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
        _("cycle"), _("step"), _("period"), _("applies"), _("deadline"), _("inputs"),
        _("missing"), title=_("what runs in {period}").format(period=wanted.label),
    )  # fmt: skip
    for row in rows:
        deadline = row["deadline"] or ""
        if row["working_day"] is False:
            deadline += _(" (not a working day)")
        table.add_row(
            row["cycle"], f"{row['title']} [{row['step']}]", row["occurrence"] or "?",
            " → ".join(row["applies"].values()), deadline, ", ".join(_input_words(i) for i in row["inputs"]),
            "; ".join(row["missing"]),
        )  # fmt: skip
    console.print(table)
