"""The database every store writes through: one engine, its schema brought up to date by
alembic, and the hash chain that steps and recorded decisions share (SHA-256 over canonical JSON
and the previous hash). :class:`~.sql.SqlStore` (procedures) and :class:`~.decisions.DecisionLog`
(verdicts, score sheets) each append to it; :mod:`.audit` verifies it.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, final

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Table, create_engine, event, insert, select
from sqlalchemy.engine import Engine as SqlEngine
from sqlalchemy.exc import IntegrityError

from governance_core.errors import WorkflowError
from governance_core.model import converter
from governance_core.runtime import Event
from governance_core.runtime.storage import _schema as schema
from governance_core.runtime.storage._recorded import (
    canonical,
    score_sheet_columns,
    verdict_columns,
)

__all__ = [
    "GENESIS",
    "RECORD_KINDS",
    "Database",
    "StoreError",
    "canonical_event",
    "chain_hash",
    "event_row",
]

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


def event_row(e: Event, body: bytes, head: tuple[int, str]) -> dict[str, Any]:
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
class Database:
    """The engine at ``url`` and the chain's head, shared by the stores written through it."""

    __slots__ = ("_known_head", "_lock_chain", "engine")

    def __init__(self, url: str, *, synchronous: str = "FULL") -> None:
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

    def head(self, c: Connection) -> tuple[int, str]:
        """The chain's last position and hash, with the chain locked for this transaction."""
        if self._lock_chain:
            c.execute(_LOCK_CHAIN)
        last = c.execute(_LAST_EVENT).first()
        return (0, GENESIS) if last is None else (last.position, last.hash)

    def append_event(self, c: Connection, e: Event) -> tuple[int, str]:
        """Append ``e`` to the chain; the new head."""
        body = canonical_event(e)
        known = self._known_head
        if known is None:
            return self._insert_event(c, e, body, self.head(c))
        try:
            return self._insert_event(c, e, body, known)
        except IntegrityError:
            actual = self.head(c)
            if actual == known:
                raise
            return self._insert_event(c, e, body, actual)

    def _insert_event(
        self, c: Connection, e: Event, body: bytes, head: tuple[int, str]
    ) -> tuple[int, str]:
        row = event_row(e, body, head)
        c.execute(_INSERT_EVENT, row)
        return row["position"], row["hash"]

    def insert_records(
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

    def committed(self, head: tuple[int, str] | None) -> None:
        """Remember the head once its transaction has committed (SQLite only)."""
        self._known_head = None if self._lock_chain else head
