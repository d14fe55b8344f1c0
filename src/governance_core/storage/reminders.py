"""Reminders in the store (``SqlStore.reminders``): each reminder or escalation the sweep sends
is a record of kind ``reminder`` in the hash chain and a row of the outbox, written in one
transaction and named by its id, so that sweeping again sends nothing twice (docs/reminders.md).
``audit verify`` checks each reminder's outbox row against its record."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from typing import final

import attrs
import orjson
from sqlalchemy import insert, select

from governance_core.model import converter
from governance_core.rules.common import Title
from governance_core.storage import _schema as schema
from governance_core.storage._chain import Chain
from governance_core.storage.decisions import checked

__all__ = ["KIND", "Reminder", "ReminderLog", "outbox_key"]

KIND = "reminder"


@final
@attrs.frozen(slots=True)
class Reminder:
    """A reminder or an escalation: of ``rule``, about ``target`` (an instance's step, or a
    duty's effect id) whose last day is ``last_day``; ``moment`` says which (``before-3``,
    ``due``, ``escalate``), ``on`` the day it became due, ``escalate_to`` the role an
    escalation goes to, ``text`` what it says in Chinese and English."""

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


def outbox_key(reminder_id: str) -> str:
    """The outbox row's ``instance`` of a reminder: short, whatever the length of its id."""
    return "reminder:" + hashlib.sha256(reminder_id.encode("utf-8")).hexdigest()[:32]


@final
class ReminderLog:
    """Reminders recorded in a database's chain, each with its outbox row."""

    __slots__ = ("_chain",)

    def __init__(self, chain: Chain) -> None:
        self._chain = chain

    def record(self, reminders: Iterable[Reminder]) -> list[Reminder]:
        """Record and queue the reminders not recorded yet, in one transaction; those written."""
        found = {r.id: r for r in reminders}
        ids = [f"reminder/{i}" for i in found]
        with self._chain.engine.begin() as c:
            seen: set[str | None] = set()
            for chunk in range(0, len(ids), 500):
                query = select(schema.events.c.request_id).where(
                    schema.events.c.request_id.in_(ids[chunk : chunk + 500])
                )
                seen.update(c.execute(query).scalars())
            new = [r for r in found.values() if f"reminder/{r.id}" not in seen]
            bodies = [
                {
                    "reminder": converter.unstructure(r),
                    "outbox": outbox_key(r.id),
                    "payload": converter.unstructure(r.text),
                }
                for r in new
            ]
            head = self._chain.insert_records(
                c, KIND, bodies, self._chain.head(c), [f"reminder/{r.id}" for r in new]
            )
            if bodies:
                c.execute(
                    insert(schema.outbox),
                    [
                        {
                            "instance": b["outbox"],
                            "sequence": 0,
                            "kind": KIND,
                            "payload": b["payload"],
                        }
                        for b in bodies
                    ],
                )
        self._chain.committed(head)
        return new

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
