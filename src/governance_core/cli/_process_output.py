"""What the `governance process` commands print, and the runtime they open: imported by the
commands themselves, so that the runtime and the store are loaded only when one runs."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
import typer

from governance_core.cli._options import Choice, Lang
from governance_core.cli._output import plain_console, print_marked, print_rows
from governance_core.messages import _
from governance_core.model import converter, load_roster
from governance_core.present.procedures import (
    deadline_rows,
    due_rows,
    history_rows,
    instance_heading,
    permission_rows,
)
from governance_core.runtime import (
    Deadline,
    DueStep,
    FireResult,
    Permission,
    ProcessInstance,
    Runtime,
)
from governance_core.storage import SqlStore
from governance_core.storage.journal import JournalStore

__all__ = [
    "instance_deadlines",
    "open_runtime",
    "open_store",
    "print_due",
    "print_instance",
    "print_json",
    "print_permissions",
]


def open_runtime(
    choice: Choice, journal: Path, roster: Path | None, database: str | None = None
) -> Runtime:
    roster_read = load_roster(roster) if roster else None
    return choice.engine().runtime(open_store(journal, database), roster=roster_read)


def open_store(journal: Path, database: str | None) -> SqlStore | JournalStore:
    return SqlStore(database) if database else JournalStore(journal)


def print_json(data: Any) -> None:
    text = orjson.dumps(converter.unstructure(data), option=orjson.OPT_INDENT_2).decode()
    sys.stdout.write((text) + "\n")


def instance_deadlines(runtime: Runtime, instance_id: str) -> list[Deadline]:
    """The deadlines an instance has in its current state."""
    return [d for d in runtime.store.deadlines() if d.instance == instance_id]


def print_instance(runtime: Runtime, instance: ProcessInstance, lang: Lang) -> None:
    definition = runtime.process(instance.process).definition
    console = plain_console()
    print_marked(console, instance_heading(instance, definition, lang.value))
    print_rows(console, history_rows(runtime.history(instance.id), lang.value))
    print_rows(console, deadline_rows(instance_deadlines(runtime, instance.id), lang.value))


def print_permissions(permissions: list[Permission], lang: Lang) -> None:
    print_rows(plain_console(), permission_rows(permissions, lang.value))


def print_due(swept: Sequence[FireResult], found: Sequence[DueStep], lang: Lang = Lang.zh) -> None:
    for result in swept:
        event = result.event
        typer.echo(
            _("swept: {instance} {step} → {dest}").format(
                instance=event.instance, step=event.step, dest=event.dest
            )
        )
    print_rows(plain_console(), due_rows(found, lang.value))
