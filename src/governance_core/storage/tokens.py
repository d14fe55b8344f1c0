"""Bearer tokens of the HTTP service (``SqlStore.tokens``): each bound to an actor who holds
roles, each role in an organisation or everywhere (``town_committee@t01``, ``district``).

A token is ``gov_<id>_<secret>``: the id finds the row, the secret (32 random bytes) is kept
only as its SHA-256, compared in constant time. A token is refused once revoked or past the
day it expires on. Nothing here decides what a role allows: the service's authorisation
policy does (docs/security.md).

Issuing, changing and revoking a token are records in the hash chain (kind ``token``), each
holding the token's row as it is after the change. Authentication compares the row with its
last record, so a row edited in the database (roles raised, personal data turned on, a
revocation undone, a token inserted with a known secret) is refused, and ``audit verify``
reports it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, final

import attrs
import orjson
from sqlalchemy import Connection, bindparam, func, insert, select, update

from governance_core.errors import TokenError
from governance_core.messages import _
from governance_core.storage import _schema as schema
from governance_core.storage._chain import Chain
from governance_core.storage._driver import read_value

__all__ = ["Grant", "TokenRecord", "Tokens", "chained_token", "parse_grant"]

_TABLE = schema.tokens
_PREFIX = "gov"
_BY_ID = select(_TABLE).where(_TABLE.c.id == bindparam("token_id"))  # built once: asked per request
_LAST_RECORD = (
    select(schema.events.c.body)
    .join(schema.token_records, schema.token_records.c.position == schema.events.c.position)
    .where(schema.token_records.c.token_id == bindparam("token_id"))
    .order_by(schema.token_records.c.position.desc())
    .limit(1)
)
# the last token record's position: every issue, change and revocation appends one, in this
# process or any other, so a token verified since it last moved is still what it was
_TOKENS_MOVED = select(func.max(schema.token_records.c.position))
_CACHED_TOKENS = 1024


@final
@attrs.frozen(slots=True)
class Grant:
    """A role, held in one organisation (and what lies under it) or, without one, everywhere."""

    role: str
    organisation: str | None = None

    def __str__(self) -> str:
        return self.role if self.organisation is None else f"{self.role}@{self.organisation}"


def parse_grant(text: str) -> Grant:
    """``role`` or ``role@organisation``; ValueError for anything else."""
    role, _sep, organisation = text.strip().partition("@")
    if not role or (_sep and not organisation) or any(c.isspace() for c in text.strip()):
        raise ValueError(_("{text!r}: give a role as ROLE or ROLE@ORGANISATION").format(text=text))
    return Grant(role, organisation or None)


@final
@attrs.frozen(slots=True)
class TokenRecord:
    """A token as stored: never its secret."""

    id: str
    actor: str
    grants: tuple[Grant, ...]
    raw_personal_data: bool
    created_at: datetime
    expires_on: date | None = None
    revoked_at: datetime | None = None

    def valid_on(self, day: date) -> bool:
        return self.revoked_at is None and (self.expires_on is None or day <= self.expires_on)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _record(row: Any) -> TokenRecord:
    grants = tuple(parse_grant(g) for g in row.roles)
    return TokenRecord(
        row.id,
        row.actor,
        grants,
        row.raw_personal_data,
        row.created_at,
        row.expires_on,
        row.revoked_at,
    )


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def chained_token(row: Any) -> dict[str, Any]:
    """What a token's record chains of its row (and what its row must still say)."""
    return {
        "token": row.id,
        "secret_hash": row.secret_hash,
        "actor": row.actor,
        "roles": list(row.roles),
        "raw_personal_data": bool(row.raw_personal_data),
        "created_at": _iso(row.created_at),
        "expires_on": _iso(row.expires_on),
        "revoked_at": _iso(row.revoked_at),
    }


@final
class Tokens:
    """Issue, find, change, list and revoke the bearer tokens of a database."""

    __slots__ = ("_database", "_moved", "_verified")

    def __init__(self, database: Chain) -> None:
        self._database = database
        # tokens verified against the chain, kept while no token record is added: a request
        # then costs one indexed look-up instead of the row, its last record and their check
        self._verified: dict[str, tuple[TokenRecord, str]] = {}
        self._moved: int | None = None

    def _chain(self, c: Connection, token_id: str, change: str, now: datetime) -> tuple[int, str]:
        """Record the token's row as it is now in the chain; the new head."""
        row = c.execute(_BY_ID, {"token_id": token_id}).one()
        body = {**chained_token(row), "change": change, "at": now.isoformat()}
        return self._database.insert_records(c, "token", [body], self._database.head(c))

    def create(
        self,
        actor: str,
        grants: Sequence[Grant],
        now: datetime,
        *,
        expires_on: date | None = None,
        raw_personal_data: bool = False,
    ) -> tuple[TokenRecord, str]:
        """A new token for ``actor``: its record, and the token text, shown this once.
        TokenError for an expiry before ``now``'s day."""
        if expires_on is not None and expires_on < now.date():
            raise TokenError(
                _("{day} is already past: a token expires today or later").format(day=expires_on)
            )
        token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
        record = TokenRecord(token_id, actor, tuple(grants), raw_personal_data, now, expires_on)
        with self._database.engine.begin() as c:
            c.execute(
                insert(_TABLE).values(
                    id=token_id,
                    secret_hash=_digest(secret),
                    actor=actor,
                    roles=[str(g) for g in grants],
                    raw_personal_data=raw_personal_data,
                    created_at=now,
                    expires_on=expires_on,
                )
            )
            head = self._chain(c, token_id, "issued", now)
        self._database.committed(head)
        return record, f"{_PREFIX}_{token_id}_{secret}"

    def verify(self, text: str, day: date) -> TokenRecord | None:
        """The token ``text`` names, if its secret matches, its row is what its last chained
        record says, and it is valid on ``day``. A token so verified is kept in this store's
        memory until any token record is added (an issue, change or revocation, by any
        process): a row edited by hand afterwards changes nothing, as it is refused anyway."""
        prefix, _sep, rest = text.partition("_")
        token_id, _sep2, secret = rest.partition("_")
        if prefix != _PREFIX or not token_id or not secret or len(text) > 200:
            return None
        return self._valid(token_id, day, secret)

    def valid(self, token_id: str, day: date) -> TokenRecord | None:
        """The token ``token_id`` when its row is what its last chained record says and it
        is valid on ``day`` (a session signed in with it asks on every request; the secret
        was checked when it signed in)."""
        return self._valid(token_id, day, None)

    def _valid(self, token_id: str, day: date, secret: str | None) -> TokenRecord | None:
        # read first, apart: a token record added after it is seen by the next request
        moved = read_value(self._database.engine, _TOKENS_MOVED)
        if moved != self._moved:  # a token issued, changed or revoked: verify afresh
            self._verified.clear()
            self._moved = moved
        known = self._verified.get(token_id)
        if known is None:
            with self._database.engine.connect() as c:
                row = c.execute(_BY_ID, {"token_id": token_id}).first()
                if row is None:
                    return None
                chained = c.execute(_LAST_RECORD, {"token_id": token_id}).scalar()
            if chained is None or not _explains(orjson.loads(chained), row):
                return None  # a row the chain does not explain: edited or inserted by hand
            known = (_record(row), row.secret_hash)
            if len(self._verified) < _CACHED_TOKENS:
                self._verified[token_id] = known
        record, secret_hash = known
        if secret is not None and not hmac.compare_digest(secret_hash, _digest(secret)):
            return None
        return record if record.valid_on(day) else None

    def change(
        self,
        token_id: str,
        now: datetime,
        *,
        grants: Sequence[Grant] | None = None,
        expires_on: date | None = None,
        raw_personal_data: bool | None = None,
    ) -> TokenRecord:
        """Change a token in use (its roles, its expiry, whether it shows personal data),
        recorded in the chain; TokenError when there is no such token in use."""
        values: dict[str, Any] = {}
        if grants is not None:
            values["roles"] = [str(g) for g in grants]
        if expires_on is not None:
            values["expires_on"] = expires_on
        if raw_personal_data is not None:
            values["raw_personal_data"] = raw_personal_data
        with self._database.engine.begin() as c:
            done = c.execute(
                update(_TABLE)
                .where(_TABLE.c.id == token_id, _TABLE.c.revoked_at.is_(None))
                .values(**values)
            )
            if done.rowcount != 1:
                raise TokenError(_("no token {id} is in use").format(id=token_id))
            head = self._chain(c, token_id, "changed", now)
            row = c.execute(_BY_ID, {"token_id": token_id}).one()
        self._database.committed(head)
        return _record(row)

    def revoke(self, token_id: str, now: datetime) -> bool:
        """Revoke a token, recorded in the chain; False if there is no such token or it was
        revoked already."""
        with self._database.engine.begin() as c:
            done = c.execute(
                update(_TABLE)
                .where(_TABLE.c.id == token_id, _TABLE.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            if done.rowcount != 1:
                return False
            head = self._chain(c, token_id, "revoked", now)
        self._database.committed(head)
        return True

    def all(self) -> list[TokenRecord]:
        """Every token, newest first."""
        with self._database.engine.connect() as c:
            rows = c.execute(select(_TABLE).order_by(_TABLE.c.created_at.desc())).all()
        return [_record(r) for r in rows]


def _explains(chained: dict[str, Any], row: Any) -> bool:
    return all(chained.get(k) == v for k, v in chained_token(row).items())
