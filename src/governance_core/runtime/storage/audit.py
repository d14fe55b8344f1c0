"""Verify the store's hash chain, and export its head, signed with an HMAC key.

A bare chain shows any edit, deletion or reordering of events (steps, recorded verdicts and
score sheets) before the last one: the
recomputed hashes stop matching at the first row touched. It cannot show the loss of the
last events (the chain simply ends earlier), nor a wholesale rewrite of the whole chain: for those, keep the exported head (its position and hash, signed with a key the
database does not hold) somewhere else, and verify against it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from typing import Any, final

import attrs
import orjson
from sqlalchemy import func, select

from governance_core.errors import WorkflowError
from governance_core.runtime.replay import replay
from governance_core.runtime.storage import _schema as schema
from governance_core.runtime.storage._chain import GENESIS, RECORD_KINDS, chain_hash
from governance_core.runtime.storage.sql import SqlStore

__all__ = ["AuditReport", "Head", "replay_all", "sign_head", "verify"]


@final
@attrs.frozen(slots=True)
class Head:
    """The end of the chain: how many events, and the last one's hash."""

    position: int
    hash: str


@final
@attrs.frozen(slots=True)
class AuditReport:
    """``broken_at`` is the first position whose row does not verify (None: all do)."""

    rows: int
    head: Head
    broken_at: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def sign_head(head: Head, key: bytes) -> str:
    """HMAC-SHA-256 of the head, for keeping beside the exported head."""
    message = f"{head.position}:{head.hash}".encode("ascii")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def verify(store: SqlStore, *, expected: Head | None = None) -> AuditReport:
    """Walk the chain in position order; with ``expected`` (an exported head), also check
    the chain still reaches it, which shows a truncation or a rewrite."""
    previous = GENESIS
    sequences: Counter[str] = Counter()
    rows = 0
    broken: tuple[int, str] | None = None
    with store.engine.connect() as c:
        details = {
            kind: {r.position: r._asdict() for r in c.execute(select(table))}
            for kind, (_, table) in RECORD_KINDS.items()
        }
        result = c.execute(select(schema.events).order_by(schema.events.c.position))
        for row in result:
            rows += 1
            problem = None
            if row.position != rows:
                problem = f"position {rows} is missing (found {row.position})"
            elif row.previous_hash != previous:
                problem = "its previous hash is not the hash of the event before it"
            elif row.hash != chain_hash(previous, row.body.encode("utf-8")):
                problem = "its content does not match its hash"
            elif row.kind == "step":
                body = orjson.loads(row.body)
                sequences[row.instance] += 1
                if (body["instance"], body["sequence"]) != (row.instance, row.sequence):
                    problem = "its instance or sequence differs from its content"
                elif row.sequence != sequences[row.instance]:
                    problem = f"sequence {row.sequence} of {row.instance} is out of order"
            else:
                problem = _record_problem(row.kind, orjson.loads(row.body), details, rows)
            if problem is not None:
                broken = (rows, problem)
                break
            previous = row.hash
        versions = dict(c.execute(select(schema.instances.c.id, schema.instances.c.version)).all())
        counted: dict[str, int] = dict(
            c.execute(
                select(schema.events.c.instance, func.count())
                .where(schema.events.c.kind == "step")
                .group_by(schema.events.c.instance)
            ).all()
        )
    head = Head(rows, previous) if broken is None else Head(broken[0] - 1, previous)
    if broken is not None:
        return AuditReport(rows, head, *broken)
    for kind, left in details.items():
        if left:  # a query row whose chain row is not a record of its kind
            position = min(left)
            return AuditReport(rows, head, position, f"its {kind} row has no record in the chain")
    for instance, version in sorted(versions.items()):
        if counted.get(instance, 0) != version:
            return AuditReport(
                rows,
                head,
                rows + 1,
                f"{instance} is at version {version} with {counted.get(instance, 0)} events",
            )
    if expected is not None and (
        expected.position > rows or _hash_at(store, expected.position) != expected.hash
    ):
        return AuditReport(
            rows,
            head,
            min(expected.position, rows + 1),
            "the chain no longer reaches the exported head",
        )
    return AuditReport(rows, head)


def _record_problem(
    kind: str, body: Any, details: dict[str, dict[int, dict[str, Any]]], position: int
) -> str | None:
    """Whether a record's query row (taken out of ``details``) still says what its hashed
    body says."""
    if kind not in RECORD_KINDS:
        return f"it is of unknown kind {kind!r}"
    found = details[kind].pop(position, None)
    if found is None:
        return f"its {kind} row is missing"
    columns, _ = RECORD_KINDS[kind]
    if {"position": position, **columns(body)} != found:
        return f"its {kind} row differs from its content"
    return None


def _hash_at(store: SqlStore, position: int) -> str | None:
    if position == 0:
        return GENESIS
    with store.engine.connect() as c:
        found = c.execute(
            select(schema.events.c.hash).where(schema.events.c.position == position)
        ).scalar()
    return None if found is None else str(found)


def replay_all(store: SqlStore) -> list[str]:
    """Replay every instance's events against its pinned definition; the instances whose
    stored state, version or entry day differ from the replay (empty when none do)."""
    differing = []
    for instance in store.instances():
        events = store.events(instance.id)
        try:
            state, version, entered = replay(store.definition(instance.definition_hash), events)
        except WorkflowError as error:
            differing.append(f"{instance.id}: {error}")
            continue
        if (state, version, entered) != (instance.state, instance.version, instance.entered_on):
            differing.append(
                f"{instance.id}: stored {instance.state} v{instance.version}, "
                f"replayed {state} v{version}"
            )
    return differing
