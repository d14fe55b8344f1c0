"""`governance replay RUN`: decide a recorded run again, with the policy set that decided it
and the same inputs (the example district's, or --roster and --inputs as given to `run`), and
say whether every decision comes out byte for byte the same (docs/district-year.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
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
    loads_policies,
)
from governance_core.messages import _

if TYPE_CHECKING:
    from governance_core.jobs.replay import InstanceReplayed

__all__ = ["replay"]


@loads_policies
def replay(
    run: Annotated[
        str,
        typer.Argument(
            metavar="RUN|INSTANCE",
            help="A run, as `governance runs list` names it, or an instance's id.",
        ),
    ],
    period_text: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="The period `governance run` was given (default as there).",
            metavar="PERIOD",
        ),
    ] = None,
    roster: Annotated[
        Path | None,
        typer.Option("--roster", help="The roster `run` was given.", metavar="FILE"),
    ] = None,
    inputs: Annotated[
        list[Path] | None,
        typer.Option("--inputs", help="The inputs `run` was given (repeat).", metavar="FILE"),
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the example district.", metavar="N")
    ] = 2024,
    database: StoreOption = DEFAULT_DATABASE,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """Decide RUN again with the policy set that decided it (refused, naming what differs,
    when the one loaded is another) and the inputs given, and compare every decision with the
    one recorded; or, given an instance's id, replay its steps under the definition it is
    pinned to and compare the policy sets they were taken under with the one loaded. Exit 1
    when any differs."""
    from governance_core.cli._run_app import _period, step_inputs
    from governance_core.errors import UnknownInstanceError
    from governance_core.jobs.replay import replay_instance, replay_run
    from governance_core.model import converter

    example = roster is None
    # the policies `run` would load: the example district's, unless a roster is given
    engine = choice.engine(settings=choice.settings(example_base=example))
    store = existing_store(database)
    try:
        store.load(run)
    except UnknownInstanceError:
        pass  # not an instance: a run
    else:
        _instance(replay_instance(engine, store, run), fmt)
        return

    period = _period(period_text, example)
    data = step_inputs(engine, period, roster, inputs or [], seed)
    found = replay_run(engine, store, run, period, data)
    if fmt is Format.json:
        data_out = {**converter.unstructure(found), "identical": found.identical}
        typer.echo(orjson.dumps(data_out).decode())
    elif found.identical:
        typer.echo(
            _("{run}: {count} decisions decided again, every one the same").format(
                run=run, count=found.compared
            )
        )
    else:
        typer.echo(
            _(
                "{run}: {same} of {count} the same; differing: {differing}; not decided again: "
                "{missing}; new: {new}"
            ).format(
                run=run,
                same=found.same,
                count=found.compared,
                differing=", ".join(found.differing[:10]) or "—",
                missing=", ".join(found.missing[:10]) or "—",
                new=", ".join(found.new[:10]) or "—",
            )
        )
    if not found.identical:
        raise typer.Exit(1)


def _instance(found: InstanceReplayed, fmt: Format) -> None:
    from governance_core.model import converter

    if fmt is Format.json:
        data_out = {**converter.unstructure(found), "identical": found.identical}
        typer.echo(orjson.dumps(data_out).decode())
    else:
        said = _("{instance}: {events} steps replay to {state} (version {version})").format(
            instance=found.instance, events=found.events, state=found.state, version=found.version
        )
        typer.echo(said)
        if not found.same:
            typer.echo(_("the stored instance differs from its replay"))
        if found.differences:
            typer.echo(
                _("its steps were taken under another policy set: {what}").format(
                    what="；".join(found.differences)
                )
            )
    if not found.identical:
        raise typer.Exit(1)
