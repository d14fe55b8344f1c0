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
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError

from governance_core.errors import WorkflowError
from governance_core.files.protection import key_from_environment, protect
from governance_core.messages import _
from governance_core.model import converter
from governance_core.runtime import Deadline, Event, ProcessInstance
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
    "deadline_data",
    "event_row",
    "instance_state",
    "stored",
]

GENESIS = "0" * 64
"""The previous hash of the first event."""


class StoreError(WorkflowError):
    """The database cannot be used: a newer schema, or a chain that does not verify."""


def canonical_event(e: Event) -> bytes:
    """The event as stored and hashed: sorted-key JSON, the guards' verdicts as status and
    reason (their explained verdicts follow it in the chain as records of their own). How the
    actor was authenticated is left out when not said: an event written before it could be
    said stores and hashes as it always did."""
    data = converter.unstructure(e.summarised())
    for late in ("authenticated", "fingerprint", "recorded_at"):  # said only when known
        if data.get(late) is None:
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
_INSERT_EVENT = insert(schema.events)
# each kind of record: the columns it is found by, taken from its body, and their table
RECORD_KINDS: dict[str, tuple[Callable[[Mapping[str, Any]], dict[str, Any]], Table]] = {
    "verdict": (verdict_columns, schema.verdicts),
    "score_sheet": (score_sheet_columns, schema.score_sheets),
    "token": (lambda body: {"token_id": body["token"]}, schema.token_records),
}


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


def _shown_url(url: str) -> str:
    """The URL without its password, as it may be printed."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid URL>"


def _engine(url: str, create: bool) -> SqlEngine:
    """The engine for ``url``, every way it can be wrong said in words: not a URL, no
    driver installed, and (without ``create``) no SQLite file there."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            _(
                "{url!r} is not a database URL; write sqlite:///FILE or "
                "postgresql+psycopg://USER@HOST/NAME"
            ).format(url=url[:200])
        ) from None
    is_file = parsed.get_backend_name() == "sqlite" and parsed.database not in (
        None,
        "",
        ":memory:",
    )
    if is_file and not create and not Path(str(parsed.database)).is_file():
        raise StoreError(_("no database file {file}").format(file=parsed.database))
    if is_file and create and not Path(str(parsed.database)).parent.is_dir():
        raise StoreError(_("the folder of {file} does not exist").format(file=parsed.database))
    if is_file and not create:  # read only: an audit writes nothing, not even a journal
        parsed = parsed.set(database=f"file:{parsed.database}?mode=ro", query={"uri": "true"})
    try:
        return create_engine(parsed)
    except (NoSuchModuleError, ImportError) as exc:
        extra = "governance-core[postgresql]" if parsed.get_backend_name() == "postgresql" else None
        hint = (
            _("install {extra}").format(extra=extra)
            if extra
            else _("use sqlite or postgresql+psycopg")
        )
        raise StoreError(
            _("no driver for {url} ({reason}); {hint}").format(
                url=_shown_url(url), reason=str(exc)[:120], hint=hint
            )
        ) from None


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

    def __init__(self, url: str, *, synchronous: str = "FULL", create: bool = True) -> None:
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError("synchronous is FULL or NORMAL")
        key_from_environment()  # the personal-data key, kept off the database (security.md)
        self.engine: SqlEngine = _engine(url, create)
        self._lock_chain = self.engine.dialect.name != "sqlite"
        # SQLite: the chain's head after this store's last commit, so that an append need not
        # read it; another writer's append in between makes the INSERT's position collide,
        # and the head is read then. (PostgreSQL aborts a transaction on a failed statement,
        # so there the head is always read, under the lock.)
        self._known_head: tuple[int, str] | None = None
        if self.engine.dialect.name == "sqlite" and create:
            event.listen(self.engine, "connect", _sqlite_pragmas(synchronous))
            event.listen(self.engine, "begin", lambda c: c.exec_driver_sql("BEGIN IMMEDIATE"))
        try:
            self._open(create)
        except DBAPIError as exc:  # unreachable, refused, not a database, no such file
            raise StoreError(
                _("cannot open the database {url}: {reason}").format(
                    url=_shown_url(url), reason=str(exc.orig).splitlines()[0][:200]
                )
            ) from None

    def _open(self, create: bool) -> None:
        """Bring the database to this library's schema with alembic; refuse one whose
        revision this library does not know (written by a newer version). Without
        ``create`` (an audit) nothing is written: a database that is not a store at this
        library's revision is refused."""
        revisions, head = _migrations()
        if not create:
            with self.engine.connect() as c:
                current = MigrationContext.configure(c).get_current_revision()
            if current != head:
                raise StoreError(
                    _(
                        "the database holds no store at schema revision {head} (it has {found})"
                    ).format(head=head, found=current or _("none")),
                )
            return
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

    def append_event(self, c: Connection, e: Event, state: bytes) -> tuple[int, str]:
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
        self, c: Connection, e: Event, body: bytes, state: bytes, head: tuple[int, str]
    ) -> tuple[int, str]:
        row = event_row(e, body, head, state)
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

    def committed(self, head: tuple[int, str] | None) -> None:
        """Remember the head once its transaction has committed (SQLite only)."""
        self._known_head = None if self._lock_chain else head
