"""`governance province run DISTRICTS`: a province of real districts, each from its own
folder (settings and book) into its own store and workbook, in this process or on Dask
workers (docs/province.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from governance_core.cli._options import Format, FormatOption, Lang, LangOption, fail, parse_period
from governance_core.errors import GovernanceError
from governance_core.messages import _

if TYPE_CHECKING:  # imported by the command itself (_options says why)
    from distributed import Client

    from governance_core.jobs.districts import DistrictOutcome

__all__ = ["province_app"]

province_app = typer.Typer(
    help="A province: every district's own quarter, each into its own store and workbook.",
    no_args_is_help=True,
)


def _client(jobs: int | None, scheduler: str | None) -> Client | None:
    """The Dask client the districts run on: the scheduler at ``scheduler``, a local cluster
    of ``jobs`` worker processes, or none (this process)."""
    if scheduler is None and (jobs is None or jobs <= 1):
        return None
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise typer.BadParameter(
            _("running on workers needs Dask: install governance-core[province]"),
            param_hint="--jobs" if scheduler is None else "--scheduler",
        ) from None
    if scheduler is not None:
        try:
            return Client(scheduler, timeout="10s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as error:
            raise typer.BadParameter(
                _("no Dask scheduler answers at {address} ({reason})").format(
                    address=scheduler, reason=type(error).__name__
                ),
                param_hint="--scheduler",
            ) from None
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None
    )
    return Client(cluster)  # type: ignore[no-untyped-call]


def _rows(outcomes: list[DistrictOutcome]) -> None:
    from governance_core.cli._output import plain_console, print_lines, print_rows
    from governance_core.present.rows import Rows

    headers = [
        _("district"),
        _("people"),
        _("records"),
        _("chain head"),
        _("decisions"),
        _("result"),
    ]
    rows = [
        (
            o.name,
            o.people if o.ok else "",
            o.records if o.ok else "",
            o.head[:12],
            o.decisions[:12],
            (_("done") if o.attempts == 1 else _("done on try {n}").format(n=o.attempts))
            if o.ok
            else _("failed (below)"),
        )
        for o in outcomes
    ]
    console = plain_console()
    print_rows(console, Rows.of(headers, rows, title=_("the province's districts")))
    print_lines(console, [f"{o.name}: {o.error}" for o in outcomes if not o.ok])


def _shape(outcome: DistrictOutcome) -> dict[str, object]:
    return {
        "district": outcome.name,
        "ok": outcome.ok,
        "attempts": outcome.attempts,
        "people": outcome.people,
        "records": outcome.records,
        "head": outcome.head,
        "decisions": outcome.decisions,
        "workbook": outcome.workbook,
        "store": outcome.store,
        "cpu_seconds": round(outcome.cpu_seconds, 3),
        "error": outcome.error,
    }


@province_app.command("run")
def run(
    districts: Annotated[
        list[Path],
        typer.Argument(
            metavar="DISTRICTS",
            help="District folders (each with governance.toml and one book, .xlsx), or "
            "folders of them.",
        ),
    ],
    period_text: Annotated[
        str,
        typer.Option("--period", help="2024-10, 2024Q4, 2024H2 or 2024.", metavar="PERIOD"),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            help="The folder each district's workbook (and, by default, store) is written in.",
            metavar="FOLDER",
        ),
    ] = Path("province"),
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            help="Each district's store, with {district}, {folder} or {output} in it "
            "(default: sqlite:///{output}/{district}/governance.db).",
            metavar="URL",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            min=1,
            help="Run on a local Dask cluster of N worker processes.",
            metavar="N",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Run on the Dask cluster of this scheduler (tcp://HOST:8786).",
            metavar="ADDRESS",
        ),
    ] = None,
    lang: LangOption = Lang.zh,
    fmt: FormatOption = Format.table,
) -> None:
    """Run PERIOD for every district: each as `governance run --roster` runs it, from its own
    settings and book into its own store and workbook. A district that fails is said with its
    reason and does not stop the others; exit 1 when any failed."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from governance_core.cli._output import plain_console
    from governance_core.jobs.districts import DEFAULT_DATABASE, find_districts, run_districts
    from governance_core.present.shapes import dumps
    from governance_core.present.workbook import write_workbook

    period = parse_period(period_text)
    template = database or DEFAULT_DATABASE
    if "{district}" not in template and "{folder}" not in template:
        raise typer.BadParameter(
            _("each district keeps its own store: put {district} or {folder} in the URL"),
            param_hint="--database",
        )
    try:
        found = find_districts(districts)
    except GovernanceError as error:
        raise fail(error) from None
    client = _client(jobs, scheduler)
    console = plain_console(stderr=True)
    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task(_("districts"), total=len(found))
            outcomes = run_districts(
                found,
                period,
                output.resolve(),
                database=template,
                lang=lang.value,
                write_book=write_workbook,
                client=client,
                done=lambda _outcome: progress.advance(task),
            )
    finally:
        if client is not None:
            cluster = client.cluster  # ours to close when --jobs made it
            client.close()  # type: ignore[no-untyped-call]
            if cluster is not None:
                cluster.close()
    if fmt is Format.json:
        shaped = {"period": period.label, "districts": [_shape(o) for o in outcomes]}
        sys.stdout.buffer.write(dumps(shaped) + b"\n")
    else:
        _rows(outcomes)
    if not all(o.ok for o in outcomes):
        raise typer.Exit(1)
