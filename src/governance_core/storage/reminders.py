"""Reminders in the store (``SqlStore.reminders``): each reminder or escalation the sweep sends
is a record of kind ``reminder`` in the hash chain and a row of the outbox, written in one
transaction and named by its id, so that sweeping again sends nothing twice (docs/reminders.md).
``audit verify`` checks each reminder's outbox row against its record."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import final

import attrs
import orjson
from sqlalchemy import select

from governance_core.model import converter
from governance_core.rules.common import Title
from governance_core.storage import _schema as schema
from governance_core.storage._chain import Chain
from governance_core.storage.decisions import checked, outbox_key, record_new

__all__ = ["KIND", "Reminder", "ReminderLog"]

KIND = "reminder"


@final
@attrs.frozen(slots=True)
class Reminder:
    """A reminder or an escalation: of ``rule``, about ``target`` (an instance's step, or a
    duty's effect id) whose last day is ``last_day``; ``moment`` says which (``before-3``,
    ``due``, ``escalate``), ``on`` the day it became due, ``escalate_to`` the role an
    escalation goes to, ``text`` what it says in Chinese and English, ``to`` the roles it is
    addressed to (the escalation's; else those who may take the step or carry out the duty),
    which choose the channels it is delivered through."""

    id: str
    rule: str
    target: str
    subject: str
    last_day: date
    moment: str
    on: date
    text: Title
    step: str | None = None
    escalate_to: str | None = None
    to: tuple[str, ...] = ()


def _payload(reminder: Reminder) -> dict[str, object]:
    """The outbox row's payload: the words, and the roles addressed when there are some."""
    words: dict[str, object] = converter.unstructure(reminder.text)
    return {**words, "to": list(reminder.to)} if reminder.to else words


@final
class ReminderLog:
    """Reminders recorded in a database's chain, each with its outbox row."""

    __slots__ = ("_chain",)

    def __init__(self, chain: Chain) -> None:
        self._chain = chain

    def record(self, reminders: Iterable[Reminder]) -> list[Reminder]:
        """Record and queue the reminders not recorded yet, in one transaction; those written."""
        found = {r.id: r for r in reminders}
        bodies = [
            {
                "reminder": converter.unstructure(r),
                "outbox": outbox_key(KIND, r.id),
                "payload": _payload(r),
            }
            for r in found.values()
        ]
        ids = [f"reminder/{i}" for i in found]
        written = record_new(self._chain, KIND, bodies, ids, queued=True)
        return [found[b["reminder"]["id"]] for b in written]

    def reminders(self) -> list[Reminder]:
        """Every reminder recorded, in the order sent; StoreError when a record no longer
        matches the chain."""
        query = select(schema.reminder_records, schema.events.c.body).join(
            schema.events, schema.events.c.position == schema.reminder_records.c.position
        )
        with self._chain.engine.connect() as c:
            rows = c.execute(query.order_by(schema.reminder_records.c.position)).all()
            found = [{**row._asdict(), "body": orjson.loads(row.body)} for row in rows]
            checked(c, KIND, found)
        return [converter.structure(r["body"]["reminder"], Reminder) for r in found]
