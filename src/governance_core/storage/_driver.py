"""A step's transaction on the database driver's own connection: the statements SQLAlchemy
Core declares, compiled once per dialect and run through the driver's cursor. On SQLite a
fire's writes cost less than SQLAlchemy's connection, transaction and execution context
around them; this keeps the statements declared once (in :mod:`._schema` and beside their
use), only their running moves down a layer.

What goes wrong is raised as SQLAlchemy raises it (an ``IntegrityError`` stays one), with the
parameters hidden: they hold the bodies, and the bodies personal data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar, final

from sqlalchemy.engine import Dialect
from sqlalchemy.engine import Engine as SqlEngine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

__all__ = ["DriverConnection", "Rows", "Writes", "literal_sql", "read_value", "writing"]


class Rows(Protocol):
    """What a statement's result is read by, on either connection."""

    @property
    def rowcount(self) -> int: ...

    def first(self) -> Sequence[Any] | None: ...

    def scalar(self) -> Any: ...


class Writes(Protocol):
    """A connection inside a transaction that the chain can be written through: SQLAlchemy's
    own, or :class:`DriverConnection`."""

    @property
    def dialect(self) -> Dialect: ...

    def exec_driver_sql(self, statement: str, parameters: Any = None, /) -> Rows: ...


Processor = Callable[[Any], Any] | None
T = TypeVar("T")


@final
class _Prepared:
    """A Core statement as the driver runs it: its text, the order of its parameters (None:
    the driver takes them by name), and each parameter's bind processing (a date on SQLite,
    JSON, a protected column's encryption)."""

    __slots__ = ("order", "processors", "sql")

    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)  # a statement, not DDL
        self.sql = compiled.string
        self.processors: dict[str, Processor] = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect)
            for name, bind in compiled.binds.items()
        }
        self.order: tuple[tuple[str, Processor], ...] | None = (
            tuple((n, self.processors.get(n)) for n in compiled.positiontup or ())
            if dialect.positional
            else None
        )

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | Mapping[str, Any]:
        if self.order is not None:
            return tuple([values[n] if p is None else p(values[n]) for n, p in self.order])
        return {
            name: value if (process := self.processors.get(name)) is None else process(value)
            for name, value in values.items()
        }


# by dialect and statement; each entry keeps its statement, so that an id is never reused
_PREPARED: dict[tuple[str, int], tuple[ClauseElement, _Prepared]] = {}
_LITERAL: dict[tuple[str, int], tuple[ClauseElement, str]] = {}


def _once(
    made: dict[tuple[str, int], tuple[ClauseElement, T]],
    statement: ClauseElement,
    dialect: Dialect,
    make: Callable[[], T],
) -> T:
    """What ``make`` makes of ``statement`` for ``dialect``, made once and kept in ``made``."""
    key = (dialect.name, id(statement))
    found = made.get(key)
    if found is None or found[0] is not statement:
        found = made[key] = (statement, make())
    return found[1]


def literal_sql(statement: ClauseElement, dialect: Dialect) -> str:
    """The text of a statement whose values are all written in it (a limit, an id), made
    once per dialect."""

    def text() -> str:
        return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))

    return _once(_LITERAL, statement, dialect, text)


def _wrapped(statement: str, exc: Exception, dialect: Dialect) -> BaseException:
    """The driver's error as SQLAlchemy raises it, without the parameters (personal data)."""
    return DBAPIError.instance(
        statement, None, exc, dialect.loaded_dbapi.Error, hide_parameters=True, dialect=dialect
    )


@final
class _Result:
    """A cursor's result, read at once (the cursor runs the transaction's next statement)."""

    __slots__ = ("_cursor", "rowcount")

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor
        self.rowcount: int = cursor.rowcount

    def first(self) -> Sequence[Any] | None:
        if self._cursor.description is None:
            return None
        found: Sequence[Any] | None = self._cursor.fetchone()
        return found

    def scalar(self) -> Any:
        row = self.first()
        return None if row is None else row[0]


@final
class DriverConnection:
    """One transaction on a driver connection (see :func:`writing`)."""

    __slots__ = ("_cursor", "_error", "dialect")

    def __init__(self, cursor: Any, dialect: Dialect) -> None:
        self._cursor = cursor
        self.dialect = dialect
        self._error: type[Exception] = dialect.loaded_dbapi.Error

    def exec_driver_sql(self, statement: str, parameters: Any = None, /) -> Rows:
        """Run ``statement`` with a row of ``parameters``, or with each row of a list of them."""
        try:
            if isinstance(parameters, list):
                self._cursor.executemany(statement, parameters)
            else:
                self._cursor.execute(statement, () if parameters is None else parameters)
        except self._error as exc:
            raise _wrapped(statement, exc, self.dialect) from exc
        return _Result(self._cursor)

    def run(self, statement: ClauseElement, values: Mapping[str, Any]) -> Rows:
        """Run a Core statement with its named ``values``, compiled once per dialect."""
        prepared = _once(
            _PREPARED, statement, self.dialect, lambda: _Prepared(statement, self.dialect)
        )
        return self.exec_driver_sql(prepared.sql, prepared.parameters(values))


@final
class writing:  # noqa: N801 - used as a function: ``with writing(engine) as c``
    """A transaction on one of ``engine``'s pooled driver connections: begun (on SQLite with
    the write lock taken at once, as the engine's own transactions take it), committed when
    the block ends, rolled back when it raises, the connection given back either way. (A
    class rather than a generator: it is entered once per fire.)"""

    __slots__ = ("_dialect", "_raw")

    def __init__(self, engine: SqlEngine) -> None:
        self._dialect = engine.dialect
        self._raw = engine.raw_connection()

    def __enter__(self) -> DriverConnection:
        try:
            connection = DriverConnection(self._raw.cursor(), self._dialect)
            if self._dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self._raw.close()
            raise
        return connection

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        raw = self._raw
        try:
            if kind is not None:
                raw.rollback()
                return
            try:
                raw.commit()
            except self._dialect.loaded_dbapi.Error as exc:
                raw.rollback()
                raise _wrapped("COMMIT", exc, self._dialect) from exc
        finally:
            raw.close()


def read_value(engine: SqlEngine, statement: ClauseElement) -> Any:
    """The first value ``statement`` (with its values written in it) reads, on one of
    ``engine``'s pooled driver connections, outside any write transaction: what a request
    asks before anything else (has a token been issued or revoked?) at a few microseconds
    instead of a SQLAlchemy connection's transaction, which on SQLite takes the write lock."""
    raw = engine.raw_connection()
    try:
        return (
            DriverConnection(raw.cursor(), engine.dialect)
            .exec_driver_sql(literal_sql(statement, engine.dialect))
            .scalar()
        )
    finally:
        raw.close()
