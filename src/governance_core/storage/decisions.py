"""The decision log: whole list verdicts (every item, with observations when explained) and
assessments (each person's grade, score sheet and vote), recorded in the hash chain beside the
procedures' steps, and read back by list, policy or person."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any, final

import attrs
import orjson
from sqlalchemy import Connection, Table, insert, select
from sqlalchemy.exc import IntegrityError

from governance_core.loading.manifest import Manifest
from governance_core.messages import _, language
from governance_core.model import converter
from governance_core.rules.criteria.verdicts import ListVerdict
from governance_core.rules.scoring import Assessment
from governance_core.storage import _schema as schema
from governance_core.storage._chain import RECORD_KINDS, Chain, chain_hash, stored
from governance_core.storage._database import StoreError
from governance_core.storage._recorded import (
    RecordedScoreSheet,
    RecordedVerdict,
    assessment_bodies,
    verdict_body,
)

__all__ = ["DecisionLog", "RecordedRun", "checked", "outbox_key", "record_new", "record_once"]


@final
@attrs.frozen(slots=True)
class RecordedRun:
    """A run's name, how many verdicts and score sheets it recorded, and where in the chain
    its records start and end."""

    run: str
    verdicts: int
    score_sheets: int
    first_position: int
    last_position: int


@final
class DecisionLog:
    """Verdicts and score sheets recorded in a database's chain (``SqlStore.decisions``)."""

    __slots__ = ("_database",)

    def __init__(self, database: Chain) -> None:
        self._database = database

    def record_verdicts(
        self,
        verdicts: Iterable[ListVerdict],
        *,
        run: str | None = None,
        opened: Mapping[str, str] | None = None,
        policy_set: str | None = None,
    ) -> int:
        """Record lists' verdicts, each with every item as evaluated (explained verdicts keep
        their observations), in one transaction; the number written. With ``run`` (a name for
        the run, e.g. ``monthly/2024-06``) a verdict already recorded by that run for the same
        list, person and date is not written again, so a run can be repeated. ``opened``: the
        procedure instance each person's hit opened, by person id, kept with the verdict.
        ``policy_set``: the digest of the policy set that decided (:meth:`record_policy_set`)."""
        found = opened or {}
        bodies = [_decided(verdict_body(v, found.get(v.person_id)), policy_set) for v in verdicts]
        ids = None
        if run is not None:
            ids = [
                f"{run}/verdict/{b['verdict']['list']['list_id']}/"
                f"{b['verdict']['person_id']}/{b['verdict']['as_of']}"
                for b in bodies
            ]
        return self._record("verdict", bodies, ids)

    def record_assessment(
        self, result: Assessment, *, run: str | None = None, policy_set: str | None = None
    ) -> int:
        """Record everyone's grade, score sheet and vote of an assessment in one transaction;
        the number written. ``run`` makes it repeatable and ``policy_set`` names the policy
        set that decided, as for :meth:`record_verdicts`."""
        bodies = [_decided(b, policy_set) for b in assessment_bodies(result)]
        ids = None
        if run is not None:
            ids = [
                f"{run}/score_sheet/{b['policy_id']}/{b['graded']['person_id']}/{b['as_of']}"
                for b in bodies
            ]
        return self._record("score_sheet", bodies, ids)

    def _record(self, kind: str, bodies: list[dict[str, Any]], ids: list[str] | None) -> int:
        return record_once(self._database, kind, bodies, ids)

    def record_policy_set(self, manifest: Manifest) -> int:
        """Record the manifest of a policy set that decides (once per digest); 1 when new."""
        body = {"digest": manifest.digest, "manifest": converter.unstructure(manifest)}
        return record_once(self._database, "policy_set", [body], [f"policy_set/{manifest.digest}"])

    def policy_set(self, digest: str) -> Manifest | None:
        """The manifest recorded for ``digest``; None when none is."""
        query = (
            select(schema.events.c.body)
            .join(schema.policy_sets, schema.policy_sets.c.position == schema.events.c.position)
            .where(schema.policy_sets.c.digest == digest)
        )
        with self._database.engine.connect() as c:
            body = c.execute(query).scalar()
        if body is None:
            return None
        return converter.structure(orjson.loads(body)["manifest"], Manifest)

    def recorded_verdicts(
        self,
        *,
        list_id: str | None = None,
        person_id: str | None = None,
        run: str | None = None,
    ) -> list[RecordedVerdict]:
        """Recorded verdicts, in the order they were recorded; all, or of one list, person
        or run."""
        rows = self._recorded(schema.verdicts, run, "verdict", list_id=list_id, person_id=person_id)
        return [RecordedVerdict(**row) for row in rows]

    def recorded_score_sheets(
        self,
        *,
        policy_id: str | None = None,
        person_id: str | None = None,
        run: str | None = None,
    ) -> list[RecordedScoreSheet]:
        """Recorded score sheets, in the order they were recorded; all, or of one grade
        policy, person or run."""
        rows = self._recorded(
            schema.score_sheets, run, "score_sheet", policy_id=policy_id, person_id=person_id
        )
        return [RecordedScoreSheet(**row) for row in rows]

    def runs(self) -> list[RecordedRun]:
        """Every run that recorded decisions (``record_verdicts(..., run=...)``), in the
        order it first recorded, with how many verdicts and score sheets it recorded."""
        found: dict[str, RecordedRun] = {}
        query = (
            select(schema.events.c.request_id, schema.events.c.kind, schema.events.c.position)
            .where(schema.events.c.kind.in_(("verdict", "score_sheet")))
            .where(schema.events.c.request_id.is_not(None))
            .order_by(schema.events.c.position)
        )
        with self._database.engine.connect() as c:
            for request_id, kind, position in c.execute(query):
                name = str(request_id).split(f"/{kind}/", 1)[0]
                run = found.get(name) or RecordedRun(name, 0, 0, position, position)
                found[name] = attrs.evolve(
                    run,
                    verdicts=run.verdicts + (kind == "verdict"),
                    score_sheets=run.score_sheets + (kind == "score_sheet"),
                    last_position=position,
                )
        return list(found.values())

    def _recorded(
        self, table: Table, run: str | None, kind: str, **wanted: str | None
    ) -> list[dict[str, Any]]:
        """The rows of a record table matching the ``wanted`` columns that are given (and the
        run, when given), each with its chained body."""
        query = select(table, schema.events.c.body).join(
            schema.events, schema.events.c.position == table.c.position
        )
        if run is not None:
            query = query.where(schema.events.c.request_id.startswith(f"{run}/{kind}/"))
        for column, value in wanted.items():
            if value is not None:
                query = query.where(table.c[column] == value)
        with self._database.engine.connect() as c:
            rows = c.execute(query.order_by(table.c.position)).all()
            found = [{**row._asdict(), "body": orjson.loads(row.body)} for row in rows]
            checked(c, kind, found)
        return found


def _decided(body: dict[str, Any], policy_set: str | None) -> dict[str, Any]:
    """A record's body with the digest of the policy set that decided it, when known, and the
    language its words were written in (deciding again writes them in the same)."""
    if policy_set is None:
        return body
    return {**body, "policy_set": policy_set, "language": language()}


def record_once(
    chain: Chain,
    kind: str,
    bodies: list[dict[str, Any]],
    ids: list[str] | None,
    *,
    queued: bool = False,
) -> int:
    """Chain records of ``kind`` in one transaction (see :func:`record_new`); how many."""
    return len(record_new(chain, kind, bodies, ids, queued=queued))


def record_new(
    chain: Chain,
    kind: str,
    bodies: list[dict[str, Any]],
    ids: list[str] | None,
    *,
    queued: bool = False,
) -> list[dict[str, Any]]:
    """Chain records of ``kind`` in one transaction, each with its request id (``ids``) when
    given, leaving out any whose id is already recorded; the bodies written. ``queued``: each
    body names its outbox row (``outbox``, a short key) and what it says (``payload``), and
    the row is written with it, so that the audit finds every row explained by a record.

    A request id already recorded is refused by the insert itself (the ids are unique in
    the chain): the rows go in at once, and only when the insert is refused, under a
    savepoint, are the ids recorded before looked up and their bodies left out. A run
    recorded for the first time, the common case, reads nothing."""
    with chain.engine.begin() as c:
        start = chain.head(c)
        if ids is None:
            head = _insert_new(c, chain, kind, bodies, ids, start, queued)
        else:
            try:
                with c.begin_nested():
                    head = _insert_new(c, chain, kind, bodies, ids, start, queued)
            except IntegrityError:  # some were recorded before: left out, the rest written
                bodies, ids = _not_recorded(c, bodies, ids)
                head = _insert_new(c, chain, kind, bodies, ids, start, queued)
    chain.committed(head)
    return bodies


def _insert_new(
    c: Connection,
    chain: Chain,
    kind: str,
    bodies: list[dict[str, Any]],
    ids: list[str] | None,
    head: tuple[int, str],
    queued: bool,
) -> tuple[int, str]:
    """Chain ``bodies`` after ``head`` with their outbox rows when ``queued``; the new head."""
    head = chain.insert_records(c, kind, bodies, head, ids)
    if queued and bodies:
        rows = [
            {"instance": b["outbox"], "sequence": 0, "kind": kind, "payload": b["payload"]}
            for b in bodies
        ]
        c.execute(insert(schema.outbox), rows)
    return head


def _not_recorded(
    c: Connection, bodies: list[dict[str, Any]], ids: list[str]
) -> tuple[list[dict[str, Any]], list[str]]:
    """The bodies and ids whose request id the chain does not hold yet."""
    seen: set[str | None] = set()
    for chunk in range(0, len(ids), 500):
        seen.update(
            c.execute(
                select(schema.events.c.request_id).where(
                    schema.events.c.request_id.in_(ids[chunk : chunk + 500])
                )
            ).scalars()
        )
    new = [k for k, i in enumerate(ids) if i not in seen]
    return [bodies[k] for k in new], [ids[k] for k in new]


def outbox_key(kind: str, record_id: str) -> str:
    """The outbox row's ``instance`` of a record queued for delivery (a reminder, an effect):
    short, whatever the length of the record's id."""
    return f"{kind}:" + hashlib.sha256(record_id.encode("utf-8")).hexdigest()[:32]


def checked(c: Connection, kind: str, found: list[dict[str, Any]]) -> None:
    """StoreError unless each record read still agrees with the chain: its query row with its
    body, its body with its hash, and its hash with the next row's link. What is shown as
    recorded is what was recorded (a whole rewritten chain is the signed head's to show)."""
    columns, _table = RECORD_KINDS[kind]
    positions = [r["position"] for r in found]
    links: dict[int, Any] = {}
    for chunk in range(0, len(positions), 500):
        wanted = positions[chunk : chunk + 500] + [p + 1 for p in positions[chunk : chunk + 500]]
        query = select(schema.events).where(schema.events.c.position.in_(wanted))
        links.update({row.position: row for row in c.execute(query)})
    for record in found:
        position = record["position"]
        row, after = links[position], links.get(position + 1)
        query_row = {k: v for k, v in record.items() if k not in ("position", "body")}
        body = row.body.encode("utf-8")
        state = None if row.state is None else row.state.encode("utf-8")
        if (
            query_row != columns(record["body"])
            or row.hash != chain_hash(row.previous_hash, *stored(body, state))
            or (after is not None and after.previous_hash != row.hash)
        ):
            raise StoreError(
                _(
                    "the {kind} recorded at position {position} does not match the chain; "
                    "run governance audit verify"
                ).format(kind=kind, position=position)
            )
