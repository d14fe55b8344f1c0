"""Verify everything in the store that decides an outcome, against the hash chain.

The chain (``events``) holds every step, recorded verdict and score sheet, each hashed with
the one before; a step's row also chains the instance's row and deadlines it leaves
(``state``). The audit walks the chain, then checks that what the runtime reads still says
what the chain says:

- each step's and record's content against its hash, its position and previous hash;
- the query rows of verdicts and score sheets against their chained bodies;
- each instance's row (the person it concerns, its process, pinned definition, state,
  version) and its deadlines against the state its last step chained;
- each outbox row (a consequence to deliver) against the consequence of its step, or the
  reminder it was written with;
- each pinned definition's body against the content hash it is stored under;
- each bearer token's row (its secret's hash, actor, roles, personal data, expiry,
  revocation) against the last record its issue, change or revocation chained.

It cannot show the loss of the last events (the chain simply ends earlier), nor a rewrite of
the whole chain: for those, keep the exported head, signed (:mod:`.signing`), somewhere the
database's administrators cannot write, and verify against it. Any malformed row (invalid
JSON, a missing field, a value of the wrong kind, a missing table) is reported as the first
broken position, never as a crash.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any, final

import attrs
import orjson
from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError

from governance_core.errors import WorkflowError
from governance_core.messages import _
from governance_core.model import converter
from governance_core.rules.procedures import ProcessDefinition
from governance_core.runtime import Deadline, ProcessInstance
from governance_core.runtime.replay import replay
from governance_core.storage import _schema as schema
from governance_core.storage._chain import (
    GENESIS,
    RECORD_KINDS,
    Head,
    chain_hash,
    deadline_data,
    stored,
)
from governance_core.storage.signing import sign_head
from governance_core.storage.sql import SqlStore
from governance_core.storage.tokens import chained_token

__all__ = ["AuditReport", "Head", "replay_all", "sign_head", "verify"]

# what a malformed row raises while it is read: reported as broken, never a crash
_MALFORMED = (ValueError, KeyError, TypeError, AttributeError, IndexError)


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


class _BrokenError(Exception):
    def __init__(self, position: int, reason: str) -> None:
        self.position, self.reason = position, reason


@attrs.define
class _Walk:
    """What the walk of the chain found, for the checks after it."""

    rows: int = 0
    previous: str = GENESIS
    sequences: Counter[str] = attrs.field(factory=Counter)
    states: dict[str, tuple[int, dict[str, Any]]] = attrs.field(factory=dict)
    deadlines: dict[str, list[Any]] = attrs.field(factory=dict)
    consequences: dict[tuple[str, int], tuple[int, Any]] = attrs.field(factory=dict)
    tokens: dict[str, tuple[int, dict[str, Any]]] = attrs.field(factory=dict)


def _text(value: object) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"{type(value).__name__}, not text")
    return value.encode("utf-8")


def _step(row: Any, walk: _Walk) -> str | None:
    body = orjson.loads(row.body)
    walk.sequences[row.instance] += 1
    if (body["instance"], body["sequence"]) != (row.instance, row.sequence):
        return _("its instance or sequence differs from its content")
    if row.sequence != walk.sequences[row.instance]:
        return _("sequence {sequence} of {instance} is out of order").format(
            sequence=row.sequence, instance=row.instance
        )
    if body.get("consequence") is not None:
        walk.consequences[(row.instance, row.sequence)] = (row.position, body["consequence"])
    if row.state is not None:
        state = orjson.loads(row.state)
        walk.states[row.instance] = (row.position, state["instance"])
        if "deadlines" in state:
            walk.deadlines[row.instance] = state["deadlines"]
    return None


def _row_problem(
    row: Any, walk: _Walk, details: dict[str, dict[int, dict[str, Any]]]
) -> str | None:
    if row.position != walk.rows:
        return _("position {position} is missing (found {found})").format(
            position=walk.rows, found=row.position
        )
    if row.previous_hash != walk.previous:
        return _("its previous hash is not the hash of the event before it")
    state = None if row.state is None else _text(row.state)
    if row.hash != chain_hash(walk.previous, *stored(_text(row.body), state)):
        return _("its content does not match its hash")
    if row.kind == "step":
        return _step(row, walk)
    body = orjson.loads(row.body)
    if row.kind == "token":  # the token's row after this change: the last one must still hold
        walk.tokens[body["token"]] = (row.position, body)
    if "outbox" in body:  # a reminder or an effect queued: its outbox row was written with it
        walk.consequences[(body["outbox"], 0)] = (row.position, body["payload"])
    return _record_problem(row.kind, body, details, row.position)


def _walk_chain(c: Connection, walk: _Walk) -> dict[str, dict[int, dict[str, Any]]]:
    details = {
        kind: {r.position: r._asdict() for r in c.execute(select(table))}
        for kind, (_columns, table) in RECORD_KINDS.items()
    }
    for row in c.execute(select(schema.events).order_by(schema.events.c.position)):
        walk.rows += 1
        try:
            problem = _row_problem(row, walk, details)
        except _MALFORMED as exc:
            problem = _("it is not a valid record ({reason})").format(reason=type(exc).__name__)
        if problem is not None:
            raise _BrokenError(walk.rows, problem)
        walk.previous = row.hash
    return details


def _differences(stored: Mapping[str, Any], chained: Mapping[str, Any]) -> str:
    return ", ".join(sorted(k for k in {*stored, *chained} if stored.get(k) != chained.get(k)))


def _instances(c: Connection, walk: _Walk) -> Iterator[tuple[int, str]]:
    stored_ids = set()
    for row in c.execute(select(schema.instances).order_by(schema.instances.c.id)):
        stored_ids.add(row.id)
        stored = converter.unstructure(ProcessInstance(**row._asdict()))
        found = walk.states.get(row.id)
        if found is None:
            yield walk.rows + 1, _("the instance {id} has no state in the chain").format(id=row.id)
            continue
        position, chained = found
        if stored != chained:
            yield (
                position,
                _("the instance {id} differs from its chained state in: {fields}").format(
                    id=row.id, fields=_differences(stored, chained)
                ),
            )
        if walk.sequences.get(row.id, 0) != row.version:
            yield (
                walk.rows + 1,
                _("{id} is at version {version} with {count} events").format(
                    id=row.id, version=row.version, count=walk.sequences.get(row.id, 0)
                ),
            )
    for instance in sorted(set(walk.states) - stored_ids):
        yield walk.states[instance][0], _("the instance {id} is missing").format(id=instance)


def _deadlines(c: Connection, walk: _Walk) -> Iterator[tuple[int, str]]:
    stored: dict[str, list[Any]] = {}
    for row in c.execute(select(schema.deadlines)):
        stored.setdefault(row.instance, []).append(deadline_data(Deadline(**row._asdict())))
    for instance in sorted({*stored, *walk.deadlines}):
        mine = sorted(stored.get(instance, []), key=lambda d: str(d["step"]))
        if mine != walk.deadlines.get(instance, []):
            position = walk.states.get(instance, (walk.rows + 1, None))[0]
            yield (
                position,
                _("the deadlines of {id} differ from those its last step chained").format(
                    id=instance
                ),
            )


def _outbox(c: Connection, walk: _Walk) -> Iterator[tuple[int, str]]:
    seen: set[tuple[str, int]] = set()
    for row in c.execute(select(schema.outbox).order_by(schema.outbox.c.id)):
        key = (row.instance, row.sequence)
        found = walk.consequences.get(key)
        if found is None or found[1] != row.payload or key in seen:
            position = found[0] if found else walk.rows + 1
            yield (
                position,
                _("outbox row {id} is not the consequence its step recorded").format(id=row.id),
            )
        seen.add(key)
    for key in sorted(set(walk.consequences) - seen):
        yield (
            walk.consequences[key][0],
            _("the consequence of {id} step {sequence} is missing from the outbox").format(
                id=key[0], sequence=key[1]
            ),
        )


def _tokens(c: Connection, walk: _Walk) -> Iterator[tuple[int, str]]:
    stored_ids = set()
    for row in c.execute(select(schema.tokens).order_by(schema.tokens.c.id)):
        stored_ids.add(row.id)
        found = walk.tokens.get(row.id)
        if found is None:
            yield walk.rows + 1, _("the token {id} is not in the chain").format(id=row.id)
            continue
        position, chained = found
        stored = chained_token(row)
        if any(chained.get(k) != v for k, v in stored.items()):
            yield (
                position,
                _("the token {id} differs from its chained record in: {fields}").format(
                    id=row.id, fields=_differences(stored, {k: chained.get(k) for k in stored})
                ),
            )
    for token in sorted(set(walk.tokens) - stored_ids):
        yield walk.tokens[token][0], _("the token {id} is missing").format(id=token)


def _definitions(c: Connection, walk: _Walk) -> Iterator[tuple[int, str]]:
    for row in c.execute(select(schema.definitions)):
        try:
            definition = converter.structure(row.body, ProcessDefinition)
            same = (definition.content_hash(), definition.id, definition.version) == (
                row.hash,
                row.process,
                row.version,
            )
        except Exception:  # a malformed body: cattrs raises exception groups of any kind
            same = False
        if not same:
            yield (
                walk.rows + 1,
                _("the pinned definition {hash} does not match its content hash").format(
                    hash=str(row.hash)[:12]
                ),
            )


def verify(store: SqlStore, *, expected: Head | None = None) -> AuditReport:
    """Walk the chain, then check the rows beside it (see the module's docstring); with
    ``expected`` (an exported head), also that the chain still reaches it."""
    walk = _Walk()
    try:
        with store.engine.connect() as c:
            details = _walk_chain(c, walk)
            for kind, left in details.items():
                if left:  # a query row whose chain row is not a record of its kind
                    raise _BrokenError(
                        min(left), _("its {kind} row has no record in the chain").format(kind=kind)
                    )
            for check in (_instances, _deadlines, _outbox, _definitions, _tokens):
                problem = min(check(c, walk), default=None)
                if problem is not None:
                    raise _BrokenError(*problem)
            reached = expected is None or _hash_at(c, expected.position) == expected.hash
    except _BrokenError as broken:
        head = (
            Head(broken.position - 1, walk.previous)
            if broken.position <= walk.rows
            else Head(walk.rows, walk.previous)
        )
        return AuditReport(walk.rows, head, broken.position, broken.reason)
    except DBAPIError as exc:  # a table dropped or altered under the store
        reason = _("the database cannot be read: {reason}").format(
            reason=str(exc.orig).splitlines()[0][:200]
        )
        return AuditReport(walk.rows, Head(walk.rows, walk.previous), walk.rows + 1, reason)
    head = Head(walk.rows, walk.previous)
    if not reached and expected is not None:
        return AuditReport(
            walk.rows,
            head,
            min(expected.position, walk.rows + 1),
            _("the chain no longer reaches the exported head"),
        )
    return AuditReport(walk.rows, head)


def _record_problem(
    kind: str, body: Any, details: dict[str, dict[int, dict[str, Any]]], position: int
) -> str | None:
    """Whether a record's query row (taken out of ``details``) still says what its hashed
    body says."""
    if kind not in RECORD_KINDS:
        return _("it is of unknown kind {kind!r}").format(kind=kind)
    found = details[kind].pop(position, None)
    if found is None:
        return _("its {kind} row is missing").format(kind=kind)
    columns, _table = RECORD_KINDS[kind]
    if {"position": position, **columns(body)} != found:
        return _("its {kind} row differs from its content").format(kind=kind)
    return None


def _hash_at(c: Connection, position: int) -> str | None:
    if position == 0:
        return GENESIS
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
