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
from governance_core.runtime import (
    DueStatus,
    DueStep,
    FireResult,
    GuardStatus,
    Permission,
    ProcessInstance,
    Runtime,
)
from governance_core.runtime.storage import SqlStore
from governance_core.runtime.storage.journal import JournalStore

__all__ = ["open_runtime", "open_store", "print_due", "print_instance", "print_json",
           "print_permissions"]  # fmt: skip


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
    words = {GuardStatus.PASSED: _("passed"), GuardStatus.FAILED: _("failed"),
             GuardStatus.UNKNOWN: _("unknown"), GuardStatus.NOT_APPLICABLE: _("not applicable")}  # fmt: skip
    return words[status]


def _due_words(status: DueStatus) -> str:
    words = {DueStatus.OVERDUE: _("overdue"), DueStatus.UPCOMING: _("upcoming"),
             DueStatus.UNKNOWN: _("unknown")}  # fmt: skip
    return words[status]


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
            _("start") if e.source is None else e.step,  # the opening event, in words
            f"{e.source or '·'} → {e.dest}",
            f"{e.actor}" + (f" ({e.role})" if e.role else ""),
            e.at.isoformat(),
            " | ".join(filter(None, (evidence, guards, e.note))),
        )
    console.print(table)


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
        typer.echo(_("swept: {instance} {step} → {dest}").format(
            instance=event.instance, step=event.step, dest=event.dest))  # fmt: skip
    table = Table(_("instance"), _("step"), _("last day"), _("status"),
                  _("days left / why unknown"))  # fmt: skip
    for d in found:
        table.add_row(
            d.deadline.instance,
            d.deadline.step + (_(" (automatic)") if d.deadline.automatic else ""),
            str(d.deadline.last_day or "?"),
            _due_words(d.status),
            str(d.days_left) if d.days_left is not None else d.deadline.unknown_because or "",
        )
    plain_console().print(table)
