"""The hash chain that steps and recorded decisions share in a database (:mod:`._database`):
SHA-256 over canonical JSON and the previous hash. :class:`~.sql.SqlStore` (procedures),
:class:`~.decisions.DecisionLog` (verdicts, score sheets) and :class:`~.tokens.Tokens` each
append to it; :mod:`.audit` verifies it; :class:`Head` is what a verified chain reaches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, final

import attrs
from sqlalchemy import Table, select
from sqlalchemy.engine import Engine as SqlEngine
from sqlalchemy.exc import IntegrityError

from governance_core.files.protection import protect
from governance_core.model import converter
from governance_core.runtime import Deadline, Event, ProcessInstance
from governance_core.storage import _schema as schema
from governance_core.storage._database import Database
from governance_core.storage._driver import Writes, literal_sql
from governance_core.storage._recorded import (
    canonical,
    effect_columns,
    incident_columns,
    reminder_columns,
    score_sheet_columns,
    verdict_columns,
)

__all__ = [
    "GENESIS",
    "RECORD_KINDS",
    "Chain",
    "Head",
    "canonical_event",
    "chain_hash",
    "deadline_data",
    "event_row",
    "instance_state",
    "stored",
]

GENESIS = "0" * 64
"""The previous hash of the first event."""


@final
@attrs.frozen(slots=True)
class Head:
    """The end of the chain: how many events, and the last one's hash (kept elsewhere,
    signed: :mod:`.signing`)."""

    position: int
    hash: str


def canonical_event(e: Event) -> bytes:
    """The event as stored and hashed: sorted-key JSON, the guards' verdicts as status and
    reason (their explained verdicts follow it in the chain as records of their own). How the
    actor was authenticated is left out when not said: an event written before it could be
    said stores and hashes as it always did."""
    data = converter.unstructure(e.summarised())
    for late in ("authenticated", "fingerprint", "recorded_at", "policy_set"):  # when known
        if data.get(late) is None:
            data.pop(late, None)
    for late in ("effects", "renamed"):  # events before these existed hash as they always did
        if not data.get(late):
            data.pop(late, None)
    return canonical(data)


def chain_hash(previous: str, body: bytes, state: bytes | None = None) -> str:
    """SHA-256 of the previous hash, the body and (for a step) the state after it; canonical
    JSON holds no line break, so the joined text reads back one way only."""
    joined = previous.encode("ascii") + body + (b"\n" + state if state is not None else b"")
    return hashlib.sha256(joined).hexdigest()


def stored(body: bytes, state: bytes | None) -> tuple[bytes, bytes | None]:
    """Body and state as the database keeps them, personal data protected: what is hashed,
    so that the chain verifies without the personal-data key."""
    kept = protect(body.decode("utf-8")).encode("utf-8")
    return kept, None if state is None else protect(state.decode("utf-8")).encode("utf-8")


def instance_state(instance: ProcessInstance, deadlines: Sequence[Deadline] | None) -> bytes:
    """What a step leaves that decides the outcome, chained with it: the instance's row (the
    person it concerns, its process and pinned definition, its state) and, when the step
    computed them, its deadlines. Rebuilt from the stored rows, it must read the same."""
    state: dict[str, Any] = {"instance": converter.unstructure(instance)}
    if deadlines is not None:
        state["deadlines"] = sorted((deadline_data(d) for d in deadlines), key=lambda d: d["step"])
    return canonical(state)


def deadline_data(deadline: Deadline) -> dict[str, Any]:
    """A deadline as chained: what a recount adds is left out while it is not said, so that a
    deadline chained before recounts existed reads and hashes as it always did."""
    data: dict[str, Any] = converter.unstructure(deadline)
    for late in ("provisional_year", "moved_from"):
        if data.get(late) is None:
            data.pop(late, None)
    return data


# Built once: constructing a statement costs more than running it on SQLite.
_LOCK_CHAIN = select(schema.chain_lock.c.id).where(schema.chain_lock.c.id == 1).with_for_update()
_LAST_EVENT = (
    select(schema.events.c.position, schema.events.c.hash)
    .order_by(schema.events.c.position.desc())
    .limit(1)
)
# each kind of record: the columns it is found by, taken from its body, and their table
RECORD_KINDS: dict[str, tuple[Callable[[Mapping[str, Any]], dict[str, Any]], Table]] = {
    "verdict": (verdict_columns, schema.verdicts),
    "score_sheet": (score_sheet_columns, schema.score_sheets),
    "token": (lambda body: {"token_id": body["token"]}, schema.token_records),
    "effect": (effect_columns, schema.effect_records),
    "reminder": (reminder_columns, schema.reminder_records),
    "incident": (incident_columns, schema.incident_records),
    "policy_set": (lambda body: {"digest": body["digest"]}, schema.policy_sets),
}


_Insert = tuple[str, list[Callable[[Any], Any] | None]]
_INSERTS: dict[tuple[str, str, tuple[str, ...]], _Insert] = {}


def _prepared(c: Writes, table: Table, names: tuple[str, ...]) -> _Insert:
    """The driver's INSERT of ``names`` into ``table`` and each column's bind processing
    (a protected column's encryption, JSON's serialisation), made once per dialect."""
    key = (c.dialect.name, table.name, names)
    if key not in _INSERTS:
        quote = c.dialect.identifier_preparer.quote
        mark = "?" if c.dialect.paramstyle == "qmark" else "%s"
        _INSERTS[key] = (
            f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, names))}) "
            f"VALUES ({', '.join([mark] * len(names))})",
            [table.c[n].type.dialect_impl(c.dialect).bind_processor(c.dialect) for n in names],
        )
    return _INSERTS[key]


def insert_rows(c: Writes, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (each with the same columns) through the driver's executemany, as
    sequences of values: SQLAlchemy's per-row parameter handling costs more than the insert
    itself. Each column's own bind processing (a protected column's encryption, JSON's
    serialisation) is kept."""
    names = tuple(rows[0])
    statement, processors = _prepared(c, table, names)
    processed = [(i, p) for i, p in enumerate(processors) if p is not None]
    values = [[row[n] for n in names] for row in rows]
    for value in values:
        for i, process in processed:
            value[i] = process(value[i])
    c.exec_driver_sql(statement, list(map(tuple, values)))


def _chain_row(
    kind: str,
    body: bytes,
    head: tuple[int, str],
    request_id: str | None,
    instance: str | None = None,
    sequence: int | None = None,
    state: bytes | None = None,
) -> dict[str, Any]:
    """The row appended after ``head`` (position, hash) of the chain: a step of ``instance``
    (its ``sequence`` and the ``state`` it leaves), or a record (a verdict, a score sheet)."""
    position, previous = head
    return {
        "position": position + 1,
        "kind": kind,
        "instance": instance,
        "sequence": sequence,
        "request_id": request_id,
        "body": body.decode("utf-8"),
        "state": None if state is None else state.decode("utf-8"),
        "hash": chain_hash(previous, *stored(body, state)),
        "previous_hash": previous,
    }


def event_row(
    e: Event, body: bytes, head: tuple[int, str], state: bytes | None = None
) -> dict[str, Any]:
    return _chain_row("step", body, head, e.request_id, e.instance, e.sequence, state)


@final
class Chain:
    """The hash chain of a database: its head, and appending steps and records to it; shared
    by the stores written through one database."""

    __slots__ = ("_known_head", "_lock_chain", "engine")

    def __init__(self, database: Database) -> None:
        self.engine: SqlEngine = database.engine
        self._lock_chain = self.engine.dialect.name != "sqlite"
        # SQLite: the chain's head after this store's last commit, so that an append need not
        # read it; another writer's append in between makes the INSERT's position collide,
        # and the head is read then. (PostgreSQL aborts a transaction on a failed statement,
        # so there the head is always read, under the lock.)
        self._known_head: tuple[int, str] | None = None

    def head(self, c: Writes) -> tuple[int, str]:
        """The chain's last position and hash, with the chain locked for this transaction."""
        if self._lock_chain:
            c.exec_driver_sql(literal_sql(_LOCK_CHAIN, c.dialect))
        last = c.exec_driver_sql(literal_sql(_LAST_EVENT, c.dialect)).first()
        return (0, GENESIS) if last is None else (last[0], last[1])

    def append_event(self, c: Writes, e: Event, state: bytes) -> tuple[int, str]:
        """Append ``e`` and the ``state`` it leaves to the chain; the new head."""
        body = canonical_event(e)
        known = self._known_head
        if known is None:
            return self._insert_event(c, e, body, state, self.head(c))
        try:
            return self._insert_event(c, e, body, state, known)
        except IntegrityError:
            actual = self.head(c)
            if actual == known:
                raise
            return self._insert_event(c, e, body, state, actual)

    def _insert_event(
        self, c: Writes, e: Event, body: bytes, state: bytes, head: tuple[int, str]
    ) -> tuple[int, str]:
        row = event_row(e, body, head, state)
        insert_rows(c, schema.events, [row])
        return row["position"], row["hash"]

    def insert_records(
        self,
        c: Writes,
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
            insert_rows(c, schema.events, chain_rows)
            insert_rows(c, table, detail_rows)
        return head

    def committed(self, head: tuple[int, str] | None) -> None:
        """Remember the head once its transaction has committed (SQLite only)."""
        self._known_head = None if self._lock_chain else head
