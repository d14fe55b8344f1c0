"""The database a store is kept in: one engine (SQLite with its pragmas, or PostgreSQL), its
schema brought up to date by alembic, a database written by a newer library refused. The hash
chain written through it is :mod:`._chain`'s.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, final

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.engine import Engine as SqlEngine
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from governance_core.errors import WorkflowError
from governance_core.files import driver_reason
from governance_core.files.protection import key_from_environment
from governance_core.messages import _

__all__ = ["Database", "StoreError", "shown_url"]


class StoreError(WorkflowError):
    """The database cannot be used: a newer schema, or a chain that does not verify."""


def shown_url(url: str) -> str:
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
                url=shown_url(url), reason=str(exc)[:120], hint=hint
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


Statement = tuple[str, tuple[Any, ...]]


@functools.cache
def sqlite_template() -> tuple[Statement, ...]:
    """A new SQLite store's schema and rows, as statements to replay: made once per process by
    running the migrations, which stay its only source, on an empty in-memory database and
    reading back what they left (tables, indexes, triggers, views, and rows such as the
    schema's revision). Replaying it costs a few milliseconds; alembic's run, tens."""
    built = create_engine("sqlite://")
    with built.begin() as c:
        config = _alembic_config()
        config.attributes["connection"] = c
        command.upgrade(config, "head")
        kept = c.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
            "AND name NOT LIKE 'sqlite_%' "
            "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid"
        ).all()
        statements: list[Statement] = [(str(sql), ()) for _type, _name, sql in kept]
        for kind, name, _sql in kept:
            if kind != "table":
                continue
            for row in c.exec_driver_sql(f'SELECT * FROM "{name}"').all():
                marks = ", ".join("?" * len(row))
                statements.append((f'INSERT INTO "{name}" VALUES ({marks})', tuple(row)))
    built.dispose()
    return tuple(statements)


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
    """The engine at ``url``, its connections set up and its schema brought up to date."""

    __slots__ = ("engine",)

    def __init__(self, url: str, *, synchronous: str = "FULL", create: bool = True) -> None:
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError("synchronous is FULL or NORMAL")
        key_from_environment()  # the personal-data key, kept off the database (security.md)
        self.engine: SqlEngine = _engine(url, create)
        if self.engine.dialect.name == "sqlite" and create:
            event.listen(self.engine, "connect", _sqlite_pragmas(synchronous))
            event.listen(self.engine, "begin", lambda c: c.exec_driver_sql("BEGIN IMMEDIATE"))
        try:
            self._open(create)
        except DBAPIError as exc:  # unreachable, refused, not a database, no such file
            raise StoreError(
                _("cannot open the database {url}: {reason}").format(
                    url=shown_url(url),
                    reason=driver_reason(str(exc.orig).splitlines()[0][:200]),
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
            if current is None and c.dialect.name == "sqlite" and _is_empty(c):
                cursor = c.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
                for statement, values in sqlite_template():  # a new store: no migration run
                    cursor.execute(statement, values)
                cursor.close()
                return
            if current is not None and current not in revisions:
                raise StoreError(
                    _(
                        "the database has schema revision {current}, newer than this library's {head}; upgrade governance_core before opening it"
                    ).format(current=current, head=head)
                )
            config = _alembic_config()
            config.attributes["connection"] = c
            command.upgrade(config, "head")


def _is_empty(connection: Connection) -> bool:
    """Whether a SQLite database holds nothing yet (a store is only made from the template in
    a database of its own)."""
    found = connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar_one()
    return bool(found == 0)
