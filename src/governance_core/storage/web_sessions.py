"""The workbench's signed-in sessions (``SqlStore.sessions``), kept in the database so that
every worker of the service knows them: a session's id is stored hashed (reading the
database signs nobody in), with the token it signed in with (by id: its secret is never
kept), its forms' CSRF token, and when it began and was last used. A session idle too long
ends, and the ended ones are removed as new ones begin. Not chained: a session decides
nothing; every step taken in one is chained with the token that took it."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import final

import attrs
from sqlalchemy import delete, insert, select, update

from governance_core.storage import _schema as schema
from governance_core.storage._database import Database

__all__ = ["WebSession", "WebSessions"]

_TABLE = schema.web_sessions
_TOUCH = timedelta(minutes=1)


def _hashed(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


@final
@attrs.frozen(slots=True)
class WebSession:
    """A live session: the token it signed in with (by id) and its forms' CSRF token."""

    token_id: str
    csrf: str


@final
class WebSessions:
    """Sessions in a database; ``idle``: how long one lasts without a request."""

    __slots__ = ("_database", "idle")

    def __init__(self, database: Database, idle: timedelta = timedelta(hours=8)) -> None:
        self._database, self.idle = database, idle

    def open(self, session_id: str, token_id: str, csrf: str, now: datetime) -> None:
        """Begin a session (its id and CSRF token chosen by the caller, at random), removing
        those idle too long."""
        with self._database.engine.begin() as c:
            c.execute(delete(_TABLE).where(_TABLE.c.last_seen < now - self.idle))
            c.execute(
                insert(_TABLE).values(
                    id_hash=_hashed(session_id),
                    token_id=token_id,
                    csrf=csrf,
                    created_at=now,
                    last_seen=now,
                )
            )

    def find(self, session_id: str, now: datetime) -> WebSession | None:
        """The live session of ``session_id``, its idle time restarted; None when there is
        none or it has been idle too long."""
        key = _hashed(session_id)
        with self._database.engine.begin() as c:
            row = c.execute(select(_TABLE).where(_TABLE.c.id_hash == key)).first()
            if row is None or row.last_seen < now - self.idle:
                return None
            if now - row.last_seen > _TOUCH:  # a write a minute at most, not one per page
                c.execute(update(_TABLE).where(_TABLE.c.id_hash == key).values(last_seen=now))
        return WebSession(row.token_id, row.csrf)

    def close(self, session_id: str) -> None:
        """End a session (signing out)."""
        with self._database.engine.begin() as c:
            c.execute(delete(_TABLE).where(_TABLE.c.id_hash == _hashed(session_id)))
