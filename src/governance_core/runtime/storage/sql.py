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

import functools
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, final

import attrs
import orjson
from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Table, bindparam, create_engine, event, insert, select, update
from sqlalchemy.engine import Engine as SqlEngine
from sqlalchemy.exc import IntegrityError

from governance_core.errors import UnknownInstanceError, VersionConflictError, WorkflowError
from governance_core.model import converter
from governance_core.rules.criteria.verdicts import ListVerdict
from governance_core.rules.procedures import ProcessDefinition
from governance_core.rules.scoring import Assessment
from governance_core.runtime import MIGRATE, Deadline, Event, ProcessInstance
from governance_core.runtime.storage import schema
from governance_core.runtime.storage.recorded import (
    RecordedScoreSheet,
    RecordedVerdict,
    assessment_bodies,
    canonical,
    guard_bodies,
    score_sheet_columns,
    verdict_body,
    verdict_columns,
)

__all__ = ["GENESIS", "RECORD_KINDS", "SqlStore", "StoreError", "canonical_event"]

GENESIS = "0" * 64
"""The previous hash of the first event."""


class StoreError(WorkflowError):
    """The database cannot be used: a newer schema, or a chain that does not verify."""


def canonical_event(e: Event) -> bytes:
    """The event as stored and hashed: sorted-key JSON, the guards' verdicts as status and
    reason (their explained verdicts follow it in the chain as records of their own)."""
    return canonical(converter.unstructure(e.summarised()))


def chain_hash(previous: str, body: bytes) -> str:
    return hashlib.sha256(previous.encode("ascii") + body).hexdigest()


# Built once: constructing a statement costs more than running it on SQLite.
_LOCK_CHAIN = select(schema.chain_lock.c.id).where(schema.chain_lock.c.id == 1).with_for_update()
_LAST_EVENT = (
    select(schema.events.c.position, schema.events.c.hash)
    .order_by(schema.events.c.position.desc())
    .limit(1)
)
_INSERT_EVENT = insert(schema.events)
# each kind of record: the columns it is found by, taken from its body, and their table
RECORD_KINDS: dict[str, tuple[Callable[[Mapping[str, Any]], dict[str, Any]], Table]] = {
    "verdict": (verdict_columns, schema.verdicts),
    "score_sheet": (score_sheet_columns, schema.score_sheets),
}
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
_MOVE_AND_REPIN = _MOVE.values(
    process_version=bindparam("new_process_version"),
    definition_hash=bindparam("new_definition_hash"),
)


def _chain_row(
    kind: str,
    body: bytes,
    head: tuple[int, str],
    request_id: str | None,
    instance: str | None = None,
    sequence: int | None = None,
) -> dict[str, Any]:
    """The row appended after ``head`` (position, hash) of the chain: a step of ``instance``
    (its ``sequence``), or a record (a verdict, a score sheet) of no instance."""
    position, previous = head
    return {
        "position": position + 1,
        "kind": kind,
        "instance": instance,
        "sequence": sequence,
        "request_id": request_id,
        "body": body.decode("utf-8"),
        "hash": chain_hash(previous, body),
        "previous_hash": previous,
    }


def _event_row(e: Event, body: bytes, head: tuple[int, str]) -> dict[str, Any]:
    return _chain_row("step", body, head, e.request_id, e.instance, e.sequence)


def _alembic_config() -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return config


@functools.cache
def _migrations() -> tuple[frozenset[str], str | None]:
    """The revisions this library knows, and its head (read once per process)."""
    scripts = ScriptDirectory.from_config(_alembic_config())
    return frozenset(s.revision for s in scripts.walk_revisions()), scripts.get_current_head()


def _sqlite_pragmas(synchronous: str) -> Any:
    def on_connect(dbapi_connection: Any, _: Any) -> None:
        # let SQLAlchemy's BEGIN below take the write lock at once (BEGIN IMMEDIATE)
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return on_connect


@final
class SqlStore:
    """Instances, events, deadlines and outbox in a database at ``url``."""

    __slots__ = ("_known_head", "_lock_chain", "engine")

    def __init__(self, url: str = "sqlite:///governance.db", *, synchronous: str = "FULL") -> None:
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError("synchronous is FULL or NORMAL")
        self.engine: SqlEngine = create_engine(url)
        self._lock_chain = self.engine.dialect.name != "sqlite"
        # SQLite: the chain's head after this store's last commit, so that an append need not
        # read it; another writer's append in between makes the INSERT's position collide,
        # and the head is read then. (PostgreSQL aborts a transaction on a failed statement,
        # so there the head is always read, under the lock.)
        self._known_head: tuple[int, str] | None = None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas(synchronous))
            event.listen(self.engine, "begin", lambda c: c.exec_driver_sql("BEGIN IMMEDIATE"))
        self._open()

    def _open(self) -> None:
        """Bring the database to this library's schema with alembic; refuse one whose
        revision this library does not know (written by a newer version)."""
        revisions, head = _migrations()
        with self.engine.begin() as c:
            current = MigrationContext.configure(c).get_current_revision()
            if current == head:
                return  # the common case: nothing to migrate, and alembic's run is costly
            if current is not None and current not in revisions:
                raise StoreError(
                    f"the database has schema revision {current}, newer than this library's "
                    f"{head}; upgrade governance_core before opening it"
                )
            config = _alembic_config()
            config.attributes["connection"] = c
            command.upgrade(config, "head")

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
            raise StoreError(f"no definition {content_hash[:12]} is pinned in this store")
        return converter.structure(body, ProcessDefinition)

    # --- writes ---------------------------------------------------------------------------

    def _first(self, c: Connection, request_id: str | None) -> Event | None:
        if not request_id:
            return None
        body = c.execute(
            select(schema.events.c.body).where(schema.events.c.request_id == request_id)
        ).scalar()
        return None if body is None else converter.structure(orjson.loads(body), Event)

    def _head(self, c: Connection) -> tuple[int, str]:
        """The chain's last position and hash, with the chain locked for this transaction."""
        if self._lock_chain:
            c.execute(_LOCK_CHAIN)
        last = c.execute(_LAST_EVENT).first()
        return (0, GENESIS) if last is None else (last.position, last.hash)

    def _append_event(self, c: Connection, e: Event) -> tuple[int, str]:
        """Append ``e`` to the chain; the new head."""
        body = canonical_event(e)
        known = self._known_head
        if known is None:
            return self._insert_event(c, e, body, self._head(c))
        try:
            return self._insert_event(c, e, body, known)
        except IntegrityError:
            actual = self._head(c)
            if actual == known:
                raise
            return self._insert_event(c, e, body, actual)

    def _insert_event(
        self, c: Connection, e: Event, body: bytes, head: tuple[int, str]
    ) -> tuple[int, str]:
        row = _event_row(e, body, head)
        c.execute(_INSERT_EVENT, row)
        return row["position"], row["hash"]

    def _after_event(
        self, c: Connection, e: Event, subject: str, head: tuple[int, str]
    ) -> tuple[int, str]:
        """Write what comes with a step: its consequence to the outbox, and each guard's
        explained verdict as a record in the chain after it. The new head."""
        if e.consequence is not None:
            c.execute(
                insert(schema.outbox).values(
                    instance=e.instance,
                    sequence=e.sequence,
                    kind="consequence",
                    payload=converter.unstructure(e.consequence),
                )
            )
        if e.verdicts:
            head = self._insert_records(c, "verdict", list(guard_bodies(e, subject)), head)
        return head

    def _insert_records(
        self,
        c: Connection,
        kind: str,
        bodies: Sequence[Mapping[str, Any]],
        head: tuple[int, str],
        request_ids: Sequence[str | None] | None = None,
    ) -> tuple[int, str]:
        """Chain ``bodies`` after ``head`` with their query rows; the new head."""
        columns, table = RECORD_KINDS[kind]
        chain_rows, detail_rows = [], []
        for k, body in enumerate(bodies):
            request_id = None if request_ids is None else request_ids[k]
            row = _chain_row(kind, canonical(body), head, request_id)
            chain_rows.append(row)
            detail_rows.append({"position": row["position"], **columns(body)})
            head = (row["position"], row["hash"])
        if chain_rows:
            c.execute(_INSERT_EVENT, chain_rows)
            c.execute(insert(table), detail_rows)
        return head

    def _committed(self, head: tuple[int, str] | None) -> None:
        """Remember the head once its transaction has committed (SQLite only)."""
        self._known_head = None if self._lock_chain else head

    def _replace_deadlines(self, c: Connection, instance: str, found: Sequence[Deadline]) -> None:
        c.execute(schema.deadlines.delete().where(schema.deadlines.c.instance == instance))
        if found:
            c.execute(
                insert(schema.deadlines),
                [
                    {
                        "instance": d.instance,
                        "step": d.step,
                        "last_day": d.last_day,
                        "automatic": d.automatic,
                        "unknown_because": d.unknown_because,
                    }
                    for d in found
                ],
            )

    def create(
        self, instance: ProcessInstance, event: Event, deadlines: Sequence[Deadline]
    ) -> Event:
        with self.engine.begin() as c:
            first = self._first(c, event.request_id)
            if first is not None:
                return first
            existing = c.execute(
                select(schema.instances.c.version).where(schema.instances.c.id == instance.id)
            ).scalar()
            if existing is not None:
                raise VersionConflictError(instance.id, 0, existing)
            c.execute(insert(schema.instances).values(**attrs.asdict(instance)))
            head = self._after_event(c, event, instance.subject, self._append_event(c, event))
            self._replace_deadlines(c, instance.id, deadlines)
        self._committed(head)
        return event

    def append(
        self,
        instance: ProcessInstance,
        expected_version: int,
        event: Event,
        deadlines: Sequence[Deadline] | None,
    ) -> Event:
        with self.engine.begin() as c:
            first = self._first(c, event.request_id)
            if first is not None:
                return first
            table = schema.instances
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
            moved = c.execute(_MOVE_AND_REPIN if event.step == MIGRATE else _MOVE, values)
            if moved.rowcount != 1:
                actual = c.execute(
                    select(table.c.version).where(table.c.id == instance.id)
                ).scalar()
                if actual is None:
                    raise UnknownInstanceError(instance.id)
                raise VersionConflictError(instance.id, expected_version, actual)
            head = self._after_event(c, event, instance.subject, self._append_event(c, event))
            if deadlines is not None:
                self._replace_deadlines(c, instance.id, deadlines)
        self._committed(head)
        return event

    def import_history(self, histories: Iterable[tuple[ProcessInstance, Sequence[Event]]]) -> int:
        """Record instances with their past events (a district's earlier records) in one
        transaction, chained in the order given; an instance already stored, or events that
        do not count 1, 2, … up to the instance's version, refuse the whole import. Returns
        the number of events. Deadlines are not computed: fire or sweep computes them; the
        events are kept as stores keep them (guards by status and reason)."""
        with self.engine.begin() as c:
            position, previous = self._head(c)
            instance_rows, event_rows = [], []
            for instance, events in histories:
                if [e.sequence for e in events] != list(range(1, instance.version + 1)):
                    raise StoreError(f"{instance.id}: events must count 1..{instance.version}")
                instance_rows.append(attrs.asdict(instance))
                for e in events:
                    row = _event_row(e, canonical_event(e), (position, previous))
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
                    f"definitions {', '.join(sorted(h[:12] for h in hashes - pinned))} are not "
                    "pinned in this store; open a Runtime on it with those procedures loaded first"
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
        self._committed((position, previous))
        return len(event_rows)

    # --- records --------------------------------------------------------------------------

    def record_verdicts(self, verdicts: Iterable[ListVerdict], *, run: str | None = None) -> int:
        """Record lists' verdicts, each with every item as evaluated (explained verdicts keep
        their observations), in one transaction; the number written. With ``run`` (a name for
        the run, e.g. ``monthly/2024-06``) a verdict already recorded by that run for the same
        list, person and date is not written again, so a run can be repeated."""
        bodies = [verdict_body(v) for v in verdicts]
        ids = None
        if run is not None:
            ids = [
                f"{run}/verdict/{b['verdict']['list']['list_id']}/"
                f"{b['verdict']['person_id']}/{b['verdict']['as_of']}"
                for b in bodies
            ]
        return self._record("verdict", bodies, ids)

    def record_assessment(self, result: Assessment, *, run: str | None = None) -> int:
        """Record everyone's grade, score sheet and vote of an assessment in one transaction;
        the number written. ``run`` makes it repeatable, as for :meth:`record_verdicts`."""
        bodies = list(assessment_bodies(result))
        ids = None
        if run is not None:
            ids = [
                f"{run}/score_sheet/{b['policy_id']}/{b['graded']['person_id']}/{b['as_of']}"
                for b in bodies
            ]
        return self._record("score_sheet", bodies, ids)

    def _record(self, kind: str, bodies: list[dict[str, Any]], ids: list[str] | None) -> int:
        with self.engine.begin() as c:
            if ids is not None:
                seen: set[str | None] = set()
                for chunk in range(0, len(ids), 500):
                    seen.update(
                        c.execute(
                            select(schema.events.c.request_id).where(
                                schema.events.c.request_id.in_(ids[chunk : chunk + 500])
                            )
                        ).scalars()
                    )
                new = [k for k, i in enumerate(ids) if i not in seen]
                bodies, ids = [bodies[k] for k in new], [ids[k] for k in new]
            head = self._insert_records(c, kind, bodies, self._head(c), ids)
        self._committed(head)
        return len(bodies)

    def recorded_verdicts(
        self, *, list_id: str | None = None, person_id: str | None = None
    ) -> list[RecordedVerdict]:
        """Recorded verdicts, in the order they were recorded; all, or of one list or person."""
        rows = self._recorded(schema.verdicts, list_id=list_id, person_id=person_id)
        return [RecordedVerdict(**row) for row in rows]

    def recorded_score_sheets(
        self, *, policy_id: str | None = None, person_id: str | None = None
    ) -> list[RecordedScoreSheet]:
        """Recorded score sheets, in the order they were recorded; all, or of one grade
        policy or person."""
        rows = self._recorded(schema.score_sheets, policy_id=policy_id, person_id=person_id)
        return [RecordedScoreSheet(**row) for row in rows]

    def _recorded(self, table: Table, **wanted: str | None) -> list[dict[str, Any]]:
        """The rows of a record table matching the ``wanted`` columns that are given, each
        with its chained body."""
        query = select(table, schema.events.c.body).join(
            schema.events, schema.events.c.position == table.c.position
        )
        for column, value in wanted.items():
            if value is not None:
                query = query.where(table.c[column] == value)
        with self.engine.connect() as c:
            rows = c.execute(query.order_by(table.c.position)).all()
        return [{**row._asdict(), "body": orjson.loads(row.body)} for row in rows]

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
            return self._first(c, request_id)

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
