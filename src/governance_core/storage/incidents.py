"""Incidents in the store (``SqlStore.incidents``): what the library could not do by itself and
a person must look at — a delivery that died, an automatic step the sweep could not take, an
effect that could not be applied. Each opening, retry and resolution is a record of kind
``incident`` in the hash chain, its body the incident after it; the incident as it stands is
its last record. An incident is opened once per cause (its id names it), so a sweep or a
delivery that meets the same cause again opens nothing twice (docs/incidents.md)."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import final

import attrs
import orjson
from sqlalchemy import select

from governance_core.errors import GovernanceError
from governance_core.messages import _
from governance_core.model import converter
from governance_core.storage import _schema as schema
from governance_core.storage._chain import Chain
from governance_core.storage.decisions import checked, record_once

__all__ = [
    "Incident",
    "IncidentError",
    "IncidentKind",
    "IncidentLog",
    "IncidentStatus",
]

KIND = "incident"


class IncidentKind(enum.Enum):
    """What went wrong: a delivery that died (``dead_letter``), an automatic step the sweep
    could not take (``blocked_step``), an effect that could not be applied
    (``effect_not_applied``)."""

    DEAD_LETTER = "dead_letter"
    BLOCKED_STEP = "blocked_step"
    EFFECT_NOT_APPLIED = "effect_not_applied"


class IncidentStatus(enum.Enum):
    OPEN = "open"
    RESOLVED = "resolved"


class IncidentError(GovernanceError):
    """An incident that cannot be retried or resolved: unknown, or resolved already."""


@final
@attrs.frozen(slots=True)
class Incident:
    """An incident as it stands. ``target`` is what it is about (``outbox:7``, an instance and
    its step, a decision, its effect and person), ``subject`` the person it concerns when
    known, ``cause`` why, in the words of the language it was found in; ``retries`` how often
    the cause was checked again."""

    id: str
    kind: IncidentKind
    target: str
    cause: str
    opened_at: datetime
    subject: str | None = None
    status: IncidentStatus = IncidentStatus.OPEN
    retries: int = 0
    resolved_by: str | None = None
    resolution: str | None = None
    resolved_at: datetime | None = None


@final
class IncidentLog:
    """Incidents recorded in a database's chain."""

    __slots__ = ("_chain",)

    def __init__(self, chain: Chain) -> None:
        self._chain = chain

    def open(self, incidents: Iterable[Incident]) -> int:
        """Open incidents not opened before (the same id), in one transaction; how many."""
        found = {i.id: i for i in incidents}
        bodies = [{"event": "opened", "incident": converter.unstructure(i)} for i in found.values()]
        return record_once(self._chain, KIND, bodies, [f"incident/{i}" for i in found])

    def retried(self, incident_id: str, at: datetime, cause: str | None) -> Incident:
        """Record a retry: the cause re-checked, still there (``cause``, perhaps in other words)
        or gone (None: the incident is resolved by the retry)."""
        current = self.incident(incident_id)
        if current.status is IncidentStatus.RESOLVED:
            raise IncidentError(_("incident {id} is resolved already").format(id=incident_id))
        changed = attrs.evolve(current, retries=current.retries + 1)
        if cause is None:
            changed = attrs.evolve(
                changed,
                status=IncidentStatus.RESOLVED,
                resolved_by="retry",
                resolution=_("the cause is gone"),
                resolved_at=at,
            )
        else:
            changed = attrs.evolve(changed, cause=cause)
        self._write("retried", changed)
        return changed

    def resolve(self, incident_id: str, at: datetime, *, by: str, note: str) -> Incident:
        """Resolve an incident by a person's decision, with what they did."""
        current = self.incident(incident_id)
        if current.status is IncidentStatus.RESOLVED:
            raise IncidentError(_("incident {id} is resolved already").format(id=incident_id))
        changed = attrs.evolve(
            current, status=IncidentStatus.RESOLVED, resolved_by=by, resolution=note, resolved_at=at
        )
        self._write("resolved", changed)
        return changed

    def _write(self, event: str, incident: Incident) -> None:
        body = {"event": event, "incident": converter.unstructure(incident)}
        record_once(self._chain, KIND, [body], None)

    def incidents(self, *, open_only: bool = False) -> list[Incident]:
        """Every incident as it stands, in the order opened (only those open, when asked);
        StoreError when a record no longer matches the chain."""
        query = select(schema.incident_records, schema.events.c.body).join(
            schema.events, schema.events.c.position == schema.incident_records.c.position
        )
        with self._chain.engine.connect() as c:
            rows = c.execute(query.order_by(schema.incident_records.c.position)).all()
            found = [{**row._asdict(), "body": orjson.loads(row.body)} for row in rows]
            checked(c, KIND, found)
        standing: dict[str, Incident] = {}
        for record in found:
            incident = converter.structure(record["body"]["incident"], Incident)
            standing[incident.id] = incident
        return [i for i in standing.values() if not open_only or i.status is IncidentStatus.OPEN]

    def incident(self, incident_id: str) -> Incident:
        """One incident as it stands; IncidentError when none has this id."""
        for incident in self.incidents():
            if incident.id == incident_id:
                return incident
        raise IncidentError(_("no incident {id} is recorded").format(id=incident_id))
