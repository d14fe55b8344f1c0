"""The SQL store: the runtime's :class:`~governance_core.runtime.ProcessStore` on SQLAlchemy
Core. SQLite (a file, WAL, ``synchronous=FULL`` unless NORMAL is asked for) is the embedded
default; a ``postgresql+psycopg://`` URL serves several application processes.

Every write is one transaction: the instance's version is compared and set in one UPDATE
(compare-and-swap), the event is appended to the hash chain (its head locked), the deadlines
are replaced and the outbox rows written. A stale version raises
:class:`VersionConflictError` and writes nothing; a request id already recorded returns its
first event and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import final

import attrs
import orjson
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Engine as SqlEngine

from governance_core.errors import UnknownInstanceError, VersionConflictError
from governance_core.loading.manifest import Manifest, digest_of
from governance_core.messages import _
from governance_core.model import ImposedEffect, converter
from governance_core.rules.procedures import ProcessDefinition
from governance_core.runtime import MIGRATE, Deadline, Event, ProcessInstance
from governance_core.storage import _schema as schema
from governance_core.storage._chain import (
    Chain,
    canonical_event,
    event_row,
    insert_rows,
    instance_state,
)
from governance_core.storage._database import Database, StoreError
from governance_core.storage._driver import DriverConnection, writing
from governance_core.storage._recorded import guard_bodies
from governance_core.storage.decisions import DecisionLog
from governance_core.storage.effects import EffectLog, effect_bodies
from governance_core.storage.incidents import IncidentLog
from governance_core.storage.outbox import Outbox
from governance_core.storage.reminders import ReminderLog
from governance_core.storage.tokens import Tokens
from governance_core.storage.web_sessions import WebSessions

__all__ = ["SqlStore"]

# the compare-and-swap: the version is checked and set in the one statement; a step moves
# the state, a migration also the definition the instance is pinned to
_MOVE = (
    update(schema.instances)
    .where(
        schema.instances.c.id == bindparam("key"),
        schema.instances.c.version == bindparam("expected"),
    )
    .values(
        state=bindparam("new_state"),
        version=bindparam("new_version"),
        entered_on=bindparam("new_entered_on"),
    )
)
_FIRST = select(schema.events.c.body).where(schema.events.c.request_id == bindparam("request"))
_VERSION = select(schema.instances.c.version).where(schema.instances.c.id == bindparam("key"))
_DROP_DEADLINES = schema.deadlines.delete().where(
    schema.deadlines.c.instance == bindparam("instance")
)
_MOVE_AND_REPIN = _MOVE.values(
    process_version=bindparam("new_process_version"),
    definition_hash=bindparam("new_definition_hash"),
)


@final
class SqlStore:
    """Instances, events, deadlines and outbox in a database at ``url``; the decisions
    recorded beside them (verdicts, score sheets) are its :attr:`decisions`, the delivery of
    the outbox's consequences its :attr:`outbox`, the service's bearer tokens its
    :attr:`tokens`, the effects decisions imposed its :attr:`effects`, the reminders the
    sweep sent its :attr:`reminders`, what a person must look at its :attr:`incidents`, the
    workbench's signed-in sessions its :attr:`sessions`."""

    __slots__ = (
        "_chain",
        "decisions",
        "effects",
        "engine",
        "incidents",
        "outbox",
        "reminders",
        "sessions",
        "tokens",
    )

    def __init__(
        self,
        url: str = "sqlite:///governance.db",
        *,
        synchronous: str = "FULL",
        create: bool = True,
    ) -> None:
        """``create=False`` opens an existing store only, and writes nothing to open it (an
        audit): a missing file or a database without this library's schema is refused."""
        database = Database(url, synchronous=synchronous, create=create)
        self.engine: SqlEngine = database.engine
        self._chain = Chain(database)
        self.decisions = DecisionLog(self._chain)
        self.effects = EffectLog(self._chain)
        self.reminders = ReminderLog(self._chain)
        self.incidents = IncidentLog(self._chain)
        self.outbox = Outbox(database)
        self.tokens = Tokens(self._chain)
        self.sessions = WebSessions(database)

    def head(self) -> tuple[int, str]:
        """The chain's last position and hash as recorded: two stores with the same head hold
        the same records, byte for byte (``governance audit verify`` checks the chain)."""
        with self.engine.begin() as c:
            return self._chain.head(c)

    # --- definitions ----------------------------------------------------------------------

    def pin(self, definition: ProcessDefinition, content_hash: str) -> None:
        """Keep the definition an instance runs under, by its content hash (once)."""
        with self.engine.begin() as c:
            found = c.execute(
                select(schema.definitions.c.hash).where(schema.definitions.c.hash == content_hash)
            ).first()
            if found is None:
                c.execute(
                    insert(schema.definitions).values(
                        hash=content_hash,
                        process=definition.id,
                        version=definition.version,
                        body=converter.unstructure(definition),
                    )
                )

    def definition(self, content_hash: str) -> ProcessDefinition:
        """The pinned definition with this content hash; StoreError when none is."""
        with self.engine.connect() as c:
            body = c.execute(
                select(schema.definitions.c.body).where(schema.definitions.c.hash == content_hash)
            ).scalar()
        if body is None:
            raise StoreError(
                _("no definition {value} is pinned in this store").format(value=content_hash[:12])
            )
        return converter.structure(body, ProcessDefinition)

    # --- writes ---------------------------------------------------------------------------

    def _first(self, c: DriverConnection, request_id: str | None) -> Event | None:
        if not request_id:
            return None
        return _recorded(c.run(_FIRST, {"request": request_id}).scalar())

    def _after_event(
        self, c: DriverConnection, e: Event, subject: str, head: tuple[int, str]
    ) -> tuple[int, str]:
        """Write what comes with a step: its consequence to the outbox, each guard's explained
        verdict and each effect it imposes as records in the chain after it. The new head."""
        if e.consequence is not None:
            consequence = {
                "instance": e.instance,
                "sequence": e.sequence,
                "kind": "consequence",
                "payload": converter.unstructure(e.consequence),
            }
            insert_rows(c, schema.outbox, [consequence])
        if e.verdicts:
            head = self._chain.insert_records(c, "verdict", list(guard_bodies(e, subject)), head)
        if e.effects:
            ids: list[str | None] = [f"effect/{effect.id}" for effect in e.effects]
            head = self._chain.insert_records(c, "effect", effect_bodies(e.effects), head, ids)
        return head

    def keep_policy_set(self, manifest: Manifest) -> None:
        with self.engine.begin() as c:
            table = schema.policy_set_manifests
            found = c.execute(select(table.c.digest).where(table.c.digest == manifest.digest))
            if found.first() is None:
                body = converter.unstructure(manifest)
                c.execute(insert(table).values(digest=manifest.digest, body=body))

    def policy_set(self, digest: str) -> Manifest | None:
        """The manifest of ``digest``: kept for steps, or chained by a run; None when the
        store has none, or one that does not hash to its digest (edited)."""
        table = schema.policy_set_manifests
        with self.engine.connect() as c:
            body = c.execute(select(table.c.body).where(table.c.digest == digest)).scalar()
        found = (
            converter.structure(body, Manifest)
            if body is not None
            else self.decisions.policy_set(digest)
        )
        return found if found is not None and digest_of(found) == digest else None

    def effects_in_force(self, person: str, day: date) -> tuple[ImposedEffect, ...]:
        return tuple(r.effect for r in self.effects.effects(person_id=person, in_force_on=day))

    def _replace_deadlines(
        self, c: DriverConnection, instance: str, found: Sequence[Deadline]
    ) -> None:
        c.run(_DROP_DEADLINES, {"instance": instance})
        if found:
            insert_rows(
                c,
                schema.deadlines,
                [
                    {
                        "instance": d.instance,
                        "step": d.step,
                        "last_day": d.last_day,
                        "automatic": d.automatic,
                        "unknown_because": d.unknown_because,
                        "provisional_year": d.provisional_year,
                        "moved_from": d.moved_from,
                    }
                    for d in found
                ],
            )

    def create(
        self, instance: ProcessInstance, event: Event, deadlines: Sequence[Deadline]
    ) -> Event:
        with writing(self.engine) as c:
            first = self._first(c, event.request_id)
            if first is not None:
                return first
            existing = c.run(_VERSION, {"key": instance.id}).scalar()
            if existing is not None:
                raise VersionConflictError(instance.id, 0, existing)
            insert_rows(c, schema.instances, [attrs.asdict(instance)])
            state = instance_state(instance, deadlines)
            head = self._after_event(
                c, event, instance.subject, self._chain.append_event(c, event, state)
            )
            self._replace_deadlines(c, instance.id, deadlines)
        self._chain.committed(head)
        return event

    def append(
        self,
        instance: ProcessInstance,
        expected_version: int,
        event: Event,
        deadlines: Sequence[Deadline] | None,
    ) -> Event:
        with writing(self.engine) as c:
            first = self._first(c, event.request_id)
            if first is not None:
                return first
            values = {
                "key": instance.id,
                "expected": expected_version,
                "new_state": instance.state,
                "new_version": instance.version,
                "new_entered_on": instance.entered_on,
            }
            if event.step == MIGRATE:
                values["new_process_version"] = instance.process_version
                values["new_definition_hash"] = instance.definition_hash
            moved = c.run(_MOVE_AND_REPIN if event.step == MIGRATE else _MOVE, values)
            if moved.rowcount != 1:
                actual = c.run(_VERSION, {"key": instance.id}).scalar()
                if actual is None:
                    raise UnknownInstanceError(instance.id)
                raise VersionConflictError(instance.id, expected_version, actual)
            state = instance_state(instance, deadlines)
            head = self._after_event(
                c, event, instance.subject, self._chain.append_event(c, event, state)
            )
            if deadlines is not None:
                self._replace_deadlines(c, instance.id, deadlines)
        self._chain.committed(head)
        return event

    def import_history(self, histories: Iterable[tuple[ProcessInstance, Sequence[Event]]]) -> int:
        """Record instances with their past events (a district's earlier records) in one
        transaction, chained in the order given; an instance already stored, or events that
        do not count 1, 2, … up to the instance's version, refuse the whole import. Returns
        the number of events. Deadlines are not computed: fire or sweep computes them; the
        events are kept as stores keep them (guards by status and reason)."""
        with self.engine.begin() as c:
            position, previous = self._chain.head(c)
            instance_rows, event_rows = [], []
            for instance, events in histories:
                if [e.sequence for e in events] != list(range(1, instance.version + 1)):
                    raise StoreError(
                        _("{id}: events must count 1..{version}").format(
                            id=instance.id, version=instance.version
                        )
                    )
                instance_rows.append(attrs.asdict(instance))
                for e in events:
                    # the last event chains the instance as imported, with no deadlines yet
                    last = e.sequence == instance.version
                    state = instance_state(instance, ()) if last else None
                    row = event_row(e, canonical_event(e), (position, previous), state)
                    event_rows.append(row)
                    position, previous = row["position"], row["hash"]
            hashes = {row["definition_hash"] for row in instance_rows}
            pinned = set(
                c.execute(
                    select(schema.definitions.c.hash).where(schema.definitions.c.hash.in_(hashes))
                ).scalars()
            )
            if hashes - pinned:
                raise StoreError(
                    _(
                        "definitions {value} are not pinned in this store; open a Runtime on it with those procedures loaded first"
                    ).format(value=", ".join(sorted(h[:12] for h in hashes - pinned)))
                )
            ids = [row["id"] for row in instance_rows]
            taken = c.execute(
                select(schema.instances.c.id).where(schema.instances.c.id.in_(ids))
            ).first()
            if taken is not None:
                raise VersionConflictError(taken.id, 0, -1)
            if instance_rows:
                c.execute(insert(schema.instances), instance_rows)
            if event_rows:
                c.execute(insert(schema.events), event_rows)
        self._chain.committed((position, previous))
        return len(event_rows)

    # --- reads ----------------------------------------------------------------------------

    def load(self, instance_id: str) -> ProcessInstance:
        with self.engine.connect() as c:
            row = c.execute(
                select(schema.instances).where(schema.instances.c.id == instance_id)
            ).first()
        if row is None:
            raise UnknownInstanceError(instance_id)
        return ProcessInstance(**row._asdict())

    def events(self, instance_id: str) -> tuple[Event, ...]:
        with self.engine.connect() as c:
            bodies = c.execute(
                select(schema.events.c.body)
                .where(schema.events.c.instance == instance_id)
                .order_by(schema.events.c.sequence)
            ).scalars()
            found = tuple(converter.structure(orjson.loads(b), Event) for b in bodies)
        if not found:
            self.load(instance_id)  # raises for an unknown instance
        return found

    def by_request(self, request_id: str) -> Event | None:
        with self.engine.connect() as c:
            return _recorded(c.execute(_FIRST, {"request": request_id}).scalar())

    def instances(self) -> Iterator[ProcessInstance]:
        with self.engine.connect() as c:
            rows = c.execute(select(schema.instances).order_by(schema.instances.c.id)).all()
        return (ProcessInstance(**row._asdict()) for row in rows)

    def deadlines(self) -> Iterator[Deadline]:
        with self.engine.connect() as c:
            rows = c.execute(
                select(schema.deadlines).order_by(
                    schema.deadlines.c.instance, schema.deadlines.c.step
                )
            ).all()
        return (Deadline(**row._asdict()) for row in rows)


def _recorded(body: str | None) -> Event | None:
    """The event a request id first recorded, from its stored body."""
    return None if body is None else converter.structure(orjson.loads(body), Event)
