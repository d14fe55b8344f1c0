"""The outbox: the consequences steps recorded (a title, 诫勉谈话, a removal, a promotion bar),
delivered at least once to whoever acts on them (``SqlStore.outbox``).

A deliverer claims one due row at a time under a lease (a random claim token, in one
transaction), delivers it, then acknowledges it with that token. A deliverer that crashes
before acknowledging leaves the row to be claimed again once the lease ends, so nothing is
lost; an acknowledged row is never delivered again. A failed delivery is retried after a
back-off that doubles with each attempt; after ``max_attempts`` the row is dead until someone
retries it. Several deliverers (processes, replicas on PostgreSQL) may run at once: a claim is
a compare-and-swap on the row's state.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any, final

import attrs
from sqlalchemy import and_, or_, select, update

from governance_core.storage import _schema as schema
from governance_core.storage._database import Database

__all__ = ["Outbox", "OutboxRow"]

_TABLE = schema.outbox


@final
@attrs.frozen(slots=True)
class OutboxRow:
    """A consequence to deliver, and how its delivery stands."""

    id: int
    instance: str
    sequence: int
    kind: str
    payload: Any
    status: str
    attempts: int
    next_attempt: datetime | None = None
    last_error: str | None = None
    delivered_at: datetime | None = None
    claim: str | None = None


def _row(found: Any) -> OutboxRow:
    data = found._asdict()
    data.pop("lease_until", None)
    return OutboxRow(**data)


@final
class Outbox:
    """Claim, acknowledge, fail and retry deliveries of the consequences in a database."""

    __slots__ = ("_database",)

    def __init__(self, database: Database) -> None:
        self._database = database

    def rows(self, status: str | None = None) -> Iterator[OutboxRow]:
        """Every row (of one status), in the order they were written."""
        query = select(_TABLE).order_by(_TABLE.c.id)
        if status is not None:
            query = query.where(_TABLE.c.status == status)
        with self._database.engine.connect() as c:
            found = c.execute(query).all()
        return (_row(r) for r in found)

    def claim(self, now: datetime, lease: timedelta) -> OutboxRow | None:
        """The oldest row due at ``now`` (pending and past its back-off, or delivering under a
        lease that has ended), now delivering under a new lease and token; None when none is
        due. Its attempt count includes this attempt."""
        due = or_(
            and_(
                _TABLE.c.status == "pending",
                or_(_TABLE.c.next_attempt.is_(None), _TABLE.c.next_attempt <= now),
            ),
            and_(_TABLE.c.status == "delivering", _TABLE.c.lease_until < now),
        )
        token = secrets.token_hex(16)
        with self._database.engine.begin() as c:
            for candidate in c.execute(select(_TABLE.c.id).where(due).order_by(_TABLE.c.id)):
                taken = c.execute(
                    update(_TABLE)
                    .where(_TABLE.c.id == candidate.id, due)
                    .values(
                        status="delivering",
                        lease_until=now + lease,
                        claim=token,
                        attempts=_TABLE.c.attempts + 1,
                    )
                )
                if taken.rowcount == 1:  # another deliverer may have claimed it meanwhile
                    found = c.execute(select(_TABLE).where(_TABLE.c.id == candidate.id)).one()
                    return _row(found)
        return None

    def _settle(self, row: OutboxRow, **values: Any) -> bool:
        with self._database.engine.begin() as c:
            done = c.execute(
                update(_TABLE)
                .where(
                    _TABLE.c.id == row.id,
                    _TABLE.c.claim == row.claim,
                    _TABLE.c.status == "delivering",
                )
                .values(claim=None, lease_until=None, **values)
            )
        return done.rowcount == 1

    def acknowledge(self, row: OutboxRow, now: datetime) -> bool:
        """Mark a claimed row delivered; False when its claim was lost (the lease ended and
        another deliverer claimed it), and then the row stays theirs."""
        return self._settle(row, status="delivered", delivered_at=now, last_error=None)

    def failed(
        self, row: OutboxRow, now: datetime, error: str, *, backoff: timedelta, max_attempts: int
    ) -> bool:
        """Record a failed delivery: pending again after ``backoff`` × 2^(attempts − 1), or
        dead after ``max_attempts``. False when the claim was lost."""
        dead = row.attempts >= max_attempts
        return self._settle(
            row,
            status="dead" if dead else "pending",
            next_attempt=None if dead else now + backoff * 2 ** (row.attempts - 1),
            last_error=error[:1000],
        )

    def retry(self, row_id: int) -> bool:
        """Make a dead row pending again, its attempts counted from zero; False when the row
        is not dead."""
        with self._database.engine.begin() as c:
            done = c.execute(
                update(_TABLE)
                .where(_TABLE.c.id == row_id, _TABLE.c.status == "dead")
                .values(status="pending", attempts=0, next_attempt=None)
            )
        return done.rowcount == 1
