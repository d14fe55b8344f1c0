"""What the `governance process` commands print, and the runtime they open: imported by the
commands themselves, so that the runtime and the store are loaded only when one runs."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
import typer
from rich.table import Table
from rich.text import Text

from governance_core.cli._options import Choice, Lang
from governance_core.cli._output import plain_console
from governance_core.messages import _
from governance_core.model import converter, load_roster
from governance_core.present.calendar import deadline_text
from governance_core.runtime import (
    MIGRATE,
    RECOUNT,
    Deadline,
    DueStatus,
    DueStep,
    FireResult,
    GuardStatus,
    Permission,
    ProcessInstance,
    Runtime,
)
from governance_core.runtime.records import Event
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


def _guard_words(status: GuardStatus) -> str:
    words = {
        GuardStatus.PASSED: _("passed"),
        GuardStatus.FAILED: _("failed"),
        GuardStatus.UNKNOWN: _("unknown"),
        GuardStatus.NOT_APPLICABLE: _("not applicable"),
    }
    return words[status]


def _due_words(status: DueStatus) -> str:
    words = {
        DueStatus.OVERDUE: _("overdue"),
        DueStatus.UPCOMING: _("upcoming"),
        DueStatus.UNKNOWN: _("unknown"),
    }
    return words[status]


def _step_words(e: Event) -> str:
    """The step of an event; the events the library records itself, in words."""
    if e.source is None:
        return _("start")
    return {RECOUNT: _("deadlines recounted"), MIGRATE: _("migrated")}.get(e.step, e.step)


def instance_deadlines(runtime: Runtime, instance_id: str) -> list[Deadline]:
    """The deadlines an instance has in its current state."""
    return [d for d in runtime.store.deadlines() if d.instance == instance_id]


def print_instance(runtime: Runtime, instance: ProcessInstance, lang: Lang) -> None:
    definition = runtime.process(instance.process).definition
    console = plain_console()
    state = definition.state(instance.state).title.in_language(lang.value)
    console.print(
        Text.assemble(
            (instance.id, "bold"),
            (
                f" {definition.title.in_language(lang.value)} — "
                f"{instance.subject}: {state} (v{instance.version}, {instance.entered_on})"
            ),
        )
    )
    table = Table("#", _("step"), _("from → to"), _("actor"), _("at"), _("evidence / guards"))
    for e in runtime.history(instance.id):
        guards = "; ".join(f"{v.guard}: {_guard_words(v.status)}" for v in e.verdicts)
        evidence = ", ".join(f"{k}={v}" for k, v in e.evidence)
        table.add_row(
            str(e.sequence),
            _step_words(e),
            f"{e.source or '·'} → {e.dest}",
            f"{e.actor}" + (f" ({e.role})" if e.role else ""),
            e.at.isoformat(),
            " | ".join(filter(None, (evidence, guards, e.note))),
        )
    console.print(table)
    deadlines = instance_deadlines(runtime, instance.id)
    if deadlines:
        due = Table(_("step"), _("last day"), title=_("deadlines"))
        for d in deadlines:
            last = deadline_text(d.last_day, d.provisional_year, d.moved_from)
            automatic = _(" (automatic)") if d.automatic else ""
            due.add_row(d.step + automatic, last or d.unknown_because or "?")
        console.print(due)


def print_permissions(permissions: list[Permission], lang: Lang) -> None:
    table = Table(_("step"), "", _("allowed"), _("evidence to name"), _("why not"))
    for p in permissions:
        table.add_row(
            p.step,
            p.title.in_language(lang.value),
            "✓" if p.allowed else "✗",
            ", ".join(p.evidence),
            "\n".join(p.reasons),
        )
    plain_console().print(table)


def print_due(swept: Sequence[FireResult], found: Sequence[DueStep]) -> None:
    for result in swept:
        event = result.event
        typer.echo(
            _("swept: {instance} {step} → {dest}").format(
                instance=event.instance, step=event.step, dest=event.dest
            )
        )
    table = Table(
        _("instance"), _("step"), _("last day"), _("status"), _("days left / why unknown")
    )
    for d in found:
        table.add_row(
            d.deadline.instance,
            d.deadline.step + (_(" (automatic)") if d.deadline.automatic else ""),
            deadline_text(d.deadline.last_day, d.deadline.provisional_year, d.deadline.moved_from)
            or "?",
            _due_words(d.status),
            str(d.days_left) if d.days_left is not None else d.deadline.unknown_because or "",
        )
    plain_console().print(table)
