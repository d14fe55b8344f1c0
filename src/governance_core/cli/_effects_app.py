"""`governance effects [PERSON]`: the effects decisions imposed, as the store keeps them, with
the article and state of each on a day; `governance lift-effect ID`: lift one, recorded in the
chain with who and why (docs/effects.md)."""

from __future__ import annotations

import sys
from datetime import date
from typing import Annotated

import typer

from governance_core.cli._options import (
    DEFAULT_DATABASE,
    FROM_OPTIONS,
    Choice,
    Format,
    FormatOption,
    Lang,
    LangOption,
    StoreOption,
    existing_store,
    fail,
    loads_policies,
    parse_date,
)
from governance_core.errors import GovernanceError
from governance_core.messages import _

__all__ = ["effects", "lift_effect"]


@loads_policies
def effects(
    person: Annotated[
        str | None,
        typer.Argument(metavar="PERSON", help="Only this person's effects (their id)."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="The day (YYYY-MM-DD); default: today.", metavar="DATE"),
    ] = None,
    every: Annotated[
        bool,
        typer.Option("--all", help="Also the effects lifted, ended or not yet in force."),
    ] = False,
    database: StoreOption = DEFAULT_DATABASE,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """The effects decisions imposed (bars, labels, duties) in force on a day: whom each is
    on, what it is, its article, from when until when, a duty's due day, and the decision
    that imposed it. --all also lists those lifted, ended or not yet in force."""
    from governance_core.cli._output import plain_console, print_rows
    from governance_core.present.effects import effects_data, effects_rows
    from governance_core.present.shapes import dumps
    from governance_core.rules.effects import EFFECTS

    day = parse_date(as_of) if as_of else date.today()
    # the effects' titles and articles: the example district's when nothing else is loaded,
    # as `governance run` decides with
    declared = choice.engine(example_if_empty=True).policies.of(EFFECTS).effects
    try:
        recorded = existing_store(database).effects.effects(
            person_id=person, in_force_on=None if every else day
        )
    except GovernanceError as error:
        raise fail(error) from None
    found = [r.effect for r in recorded]
    if fmt is Format.json:
        sys.stdout.buffer.write(dumps(effects_data(found, declared, day, lang.value)) + b"\n")
        return
    title = _("Effects in force on {day}").format(day=day.isoformat())
    if every:
        title = _("Every effect, as on {day}").format(day=day.isoformat())
    print_rows(plain_console(), effects_rows(found, declared, day, lang.value, title=title))


def lift_effect(
    effect_id: Annotated[
        str, typer.Argument(metavar="ID", help="The effect's id, as `governance effects` shows it.")
    ],
    on: Annotated[
        str, typer.Option("--on", help="The first day it no longer applies.", metavar="DATE")
    ],
    by: Annotated[str, typer.Option("--by", help="Who lifts it (an organ or person).")],
    reason: Annotated[str, typer.Option("--reason", help="Why, as the decision says.")],
    database: StoreOption = DEFAULT_DATABASE,
    lang: LangOption = Lang.zh,
) -> None:
    """Lift an effect from a day (the duty done, the bar withdrawn): recorded in the chain
    with who lifted it and why. An effect is lifted once, never before it began."""
    day = parse_date(on)
    try:
        lifted = existing_store(database, write=True).effects.lift(
            effect_id, day, by=by, reason=reason
        )
    except GovernanceError as error:
        raise fail(error) from None
    typer.echo(
        _("{id} lifted from {day} by {by}").format(
            id=lifted.effect.id, day=day.isoformat(), by=lifted.lifted_by
        )
    )
