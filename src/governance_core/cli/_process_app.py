"""`governance process start|fire|allowed|show|due` and `governance diagram`: procedures from
the command line, kept between runs in a journal file (docs/procedures.md)."""

from __future__ import annotations

import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from governance_core.cli._masking import show_personal_data_for
from governance_core.cli._options import (
    FROM_OPTIONS,
    Choice,
    Format,
    FormatOption,
    Lang,
    LangOption,
    loads_policies,
    output_file,
    parse_date,
    parse_datetime,
)
from governance_core.messages import _

if TYPE_CHECKING:  # the runtime is imported by the commands themselves (_options says why)
    from governance_core.runtime import Event

__all__ = ["diagram", "process_app"]

process_app = typer.Typer(
    help="Run procedures: start an instance, fire a step, list what is allowed or due.",
    no_args_is_help=True,
)

JournalOption = Annotated[
    Path,
    typer.Option(
        "--journal", "-j", help="Journal file the instances are kept in (created).", metavar="FILE"
    ),
]
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        help="SQLAlchemy URL of a SQL store; used instead of the journal.",
        envvar="GOVERNANCE_DATABASE",
        metavar="URL",
    ),
]
ActorOption = Annotated[
    str, typer.Option("--actor", help="Who acts (recorded with the event).", metavar="ACTOR")
]
RoleOption = Annotated[
    list[str] | None,
    typer.Option("--role", help="A role the actor holds (repeatable).", metavar="ROLE[@ORG]"),
]
AtOption = Annotated[
    str,
    typer.Option(
        "--at", help="When, in ISO 8601 (2024-06-30T09:00); never the clock.", metavar="TIME"
    ),
]
RosterOption = Annotated[
    Path | None,
    typer.Option("--roster", help="Roster the guards read their facts from.", metavar="FILE"),
]
RequestOption = Annotated[
    str | None,
    typer.Option("--request-id", help="Idempotency key: a repeat does nothing.", metavar="KEY"),
]
DEFAULT_JOURNAL = Path("governance-journal.jsonl")
COMMAND_LINE = "command-line"
"""How an actor of these commands is authenticated, as the events record it: not at all, the
roles are those given with --role (the service's are its tokens')."""


class DiagramForm(StrEnum):
    """The drawings `diagram` makes: runtime.diagram's formats, named here so that parsing the
    command line does not load the runtime."""

    mermaid = "mermaid"
    dot = "dot"
    svg = "svg"


@process_app.callback()
def _personal_data(
    ctx: typer.Context,
    reason: Annotated[
        str | None,
        typer.Option(
            "--show-personal-data",
            metavar="REASON",
            help="As `governance --show-personal-data REASON`, for the process commands.",
        ),
    ] = None,
) -> None:
    if reason is not None:
        show_personal_data_for(ctx, reason)


@process_app.command()
@loads_policies
def start(
    process: Annotated[str, typer.Argument(metavar="PROCESS", help="Procedure id.")],
    subject: Annotated[
        str, typer.Argument(metavar="SUBJECT", help="Whom or what it is about (a person's id).")
    ],
    actor: ActorOption,
    at: AtOption,
    instance_id: Annotated[
        str | None, typer.Option("--id", help="Instance id.", metavar="ID")
    ] = None,
    request_id: RequestOption = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Why it is opened.", metavar="TEXT")
    ] = None,
    journal: JournalOption = DEFAULT_JOURNAL,
    database: DatabaseOption = None,
    choice: Choice = FROM_OPTIONS,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
) -> None:
    """Open an instance of PROCESS about SUBJECT."""
    from governance_core.cli._process_output import open_runtime, print_instance, print_json
    from governance_core.runtime import Actor, fingerprint, request_key

    when = parse_datetime(at)
    runtime = open_runtime(choice, journal, None, database)
    # a request id is the actor's, bound to what it asked for (docs/security.md)
    asked = ("start", process, subject, instance_id, note, at, actor)
    instance = runtime.start(
        process,
        subject,
        Actor(actor, authenticated=COMMAND_LINE),
        when,
        instance_id=instance_id,
        request_id=request_key(actor, request_id) if request_id else None,
        note=note,
        fingerprint=fingerprint(*asked) if request_id else None,
    )
    if fmt is Format.json:
        print_json(instance)
    else:
        print_instance(runtime, instance, lang)


@process_app.command("open")
@loads_policies
def open_command(
    list_id: Annotated[str, typer.Argument(metavar="LIST", help="A list that opens a procedure.")],
    roster: Annotated[
        Path, typer.Argument(metavar="ROSTER", help="The roster (YAML or JSON) to evaluate.")
    ],
    as_of: Annotated[
        str, typer.Option("--as-of", help="The date to evaluate as of.", metavar="DATE")
    ],
    actor: ActorOption,
    at: AtOption,
    journal: JournalOption = DEFAULT_JOURNAL,
    database: DatabaseOption = None,
    choice: Choice = FROM_OPTIONS,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
) -> None:
    """Evaluate LIST for everyone in ROSTER as of a date and open its procedure for each
    conclusive hit, once per finding: run it again next quarter and the same finding opens
    nothing new."""
    from governance_core.cli._process_output import open_store, print_instance, print_json
    from governance_core.model import load_roster
    from governance_core.runtime import Actor

    people, day = load_roster(roster), parse_date(as_of)
    engine = choice.engine()
    runtime = engine.runtime(open_store(journal, database), roster=people)
    verdicts = engine.evaluate(list_id, people.dossiers(day), day)
    before = {i.id for i in runtime.store.instances()}
    opened = runtime.open_procedures(
        verdicts, Actor(actor, authenticated=COMMAND_LINE), parse_datetime(at)
    )
    new = [i for i in opened if i.id not in before]
    if fmt is Format.json:
        print_json({"opened": new, "already_open": [i for i in opened if i.id in before]})
        return
    typer.echo(
        _("{hits} hit(s): {new} procedure(s) opened, {known} already open").format(
            hits=len(opened), new=len(new), known=len(opened) - len(new)
        )
    )
    for instance in new:
        print_instance(runtime, instance, lang)


@process_app.command()
@loads_policies
def fire(
    instance_id: Annotated[str, typer.Argument(metavar="INSTANCE", help="Instance id.")],
    step: Annotated[str, typer.Argument(metavar="STEP", help="The step to take.")],
    actor: ActorOption,
    at: AtOption,
    role: RoleOption = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            "--evidence",
            help="KIND=DOCUMENT-ID for a required document (repeatable).",
            metavar="KIND=DOCUMENT",
        ),
    ] = None,
    request_id: RequestOption = None,
    roster: RosterOption = None,
    journal: JournalOption = DEFAULT_JOURNAL,
    database: DatabaseOption = None,
    choice: Choice = FROM_OPTIONS,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
) -> None:
    """Take STEP on INSTANCE; a refusal prints every reason and exits 1, writing nothing."""
    from governance_core.cli._process_output import open_runtime, print_instance, print_json
    from governance_core.runtime import Actor, fingerprint, request_key

    documents = {}
    for pair in evidence or ():
        kind, sep, document = pair.partition("=")
        if not sep or not kind or not document:
            raise typer.BadParameter(f"{pair!r}: give evidence as KIND=DOCUMENT-ID")
        documents[kind] = document
    when = parse_datetime(at)
    runtime = open_runtime(choice, journal, roster, database)
    instance = runtime.store.load(instance_id)
    asked = ("fire", instance_id, step, sorted(role or ()), documents, at, actor)
    result = runtime.fire(
        instance,
        step,
        Actor(actor, frozenset(role or ()), COMMAND_LINE),
        when,
        evidence=documents,
        request_id=request_key(actor, request_id) if request_id else None,
        fingerprint=fingerprint(*asked) if request_id else None,
    )
    if fmt is Format.json:
        print_json(
            {"instance": result.instance, "event": result.event, "repeated": result.repeated}
        )
    else:
        print_instance(runtime, result.instance, lang)


@process_app.command()
@loads_policies
def allowed(
    instance_id: Annotated[str, typer.Argument(metavar="INSTANCE", help="Instance id.")],
    actor: ActorOption,
    at: AtOption,
    role: RoleOption = None,
    roster: RosterOption = None,
    journal: JournalOption = DEFAULT_JOURNAL,
    database: DatabaseOption = None,
    choice: Choice = FROM_OPTIONS,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
) -> None:
    """What ACTOR may do on INSTANCE at AT, and why not the rest."""
    from governance_core.cli._process_output import open_runtime, print_permissions
    from governance_core.runtime import Actor

    when = parse_datetime(at)
    runtime = open_runtime(choice, journal, roster, database)
    instance = runtime.store.load(instance_id)
    found = runtime.allowed(instance, Actor(actor, frozenset(role or ()), COMMAND_LINE), when)
    if fmt is Format.json:
        from governance_core.present.shapes import dumps, permissions_data

        sys.stdout.buffer.write(dumps(permissions_data(found)) + b"\n")
    else:
        print_permissions(found, lang)


@process_app.command()
@loads_policies
def show(
    instance_id: Annotated[str, typer.Argument(metavar="INSTANCE", help="Instance id.")],
    journal: JournalOption = DEFAULT_JOURNAL,
    database: DatabaseOption = None,
    choice: Choice = FROM_OPTIONS,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
) -> None:
    """An instance's state and its history, event by event."""
    from governance_core.cli._process_output import (
        instance_deadlines,
        open_runtime,
        print_instance,
        print_json,
    )

    runtime = open_runtime(choice, journal, None, database)
    instance = runtime.store.load(instance_id)
    events: tuple[Event, ...] = tuple(runtime.history(instance_id))
    if fmt is Format.json:
        deadlines = instance_deadlines(runtime, instance_id)
        print_json({"instance": instance, "events": events, "deadlines": deadlines})
    else:
        print_instance(runtime, instance, lang)


@process_app.command()
@loads_policies
def due(
    on: Annotated[
        str, typer.Option("--on", help="The day to look from (YYYY-MM-DD).", metavar="DATE")
    ],
    horizon: Annotated[
        int, typer.Option("--horizon", help="Days ahead to list.", metavar="DAYS")
    ] = 14,
    sweep: Annotated[
        bool, typer.Option("--sweep", help="Take the automatic steps that are overdue.")
    ] = False,
    journal: JournalOption = DEFAULT_JOURNAL,
    database: DatabaseOption = None,
    choice: Choice = FROM_OPTIONS,
    fmt: FormatOption = Format.table,
) -> None:
    """Overdue and upcoming steps, and deadlines that cannot be computed; --sweep takes the
    overdue automatic ones (idempotent)."""
    from governance_core.cli._process_output import open_runtime, print_due, print_json

    day = parse_date(on)
    runtime = open_runtime(choice, journal, None, database)
    swept = runtime.sweep(datetime.combine(day, datetime.min.time())) if sweep else []
    found = runtime.due(day, horizon_days=horizon)
    if fmt is Format.json:
        print_json({"swept": [r.event for r in swept], "due": found})
        return
    print_due(swept, found)


@loads_policies
def diagram(
    process: Annotated[str, typer.Argument(metavar="PROCESS", help="Procedure id.")],
    form: Annotated[
        DiagramForm, typer.Option("--format", "-f", help="mermaid, dot or svg.")
    ] = DiagramForm.mermaid,
    output: Annotated[
        Path | None, typer.Option("--output", help="Write to this file.", metavar="FILE")
    ] = None,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """Draw PROCESS: states, steps with the roles that take them, in Chinese."""
    from governance_core.present.diagram import DiagramFormat, render_diagram

    if output is not None:
        output_file(output)  # its folder checked before anything is drawn
    from governance_core.rules.procedures.kind import PROCEDURES

    definition = choice.engine().policies.of(PROCEDURES).find(process)
    text = render_diagram(definition, DiagramFormat(form.value))
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"{output}: {definition.id} ({form.value})")
