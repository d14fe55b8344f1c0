"""Incidents (docs/incidents.md): what the library could not do by itself, opened where it
happens — a delivery that died, an automatic step the sweep could not take, an effect a run
could not apply — and retried (the cause checked again: the delivery sent again, the step
taken again, the effect imposed with a roster that now has the post) or resolved by a person.
Every opening, retry and resolution is chained (``SqlStore.incidents``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from governance_core.engine import Engine
from governance_core.errors import GovernanceError, StepRefusedError, VersionConflictError
from governance_core.jobs.deliverers import Channel
from governance_core.jobs.delivery import deliver_due, of_dead_letter
from governance_core.jobs.effects import NotApplied, reimposed
from governance_core.messages import _
from governance_core.model import Roster
from governance_core.runtime import SWEEPER, Blocked
from governance_core.storage import SqlStore
from governance_core.storage.incidents import Incident, IncidentError, IncidentKind

__all__ = ["of_blocked", "of_dead_letter", "of_not_applied", "open_blocked", "retry"]


def of_blocked(blocked: Blocked, at: datetime) -> Incident:
    """The incident of an automatic step the sweep could not take (one per step and day)."""
    d = blocked.deadline
    if blocked.provisional_year is not None:
        cause = _(
            "the last day {day} is counted on weekends only until the {year} holiday "
            "arrangements are published; the step waits for them"
        ).format(day=d.last_day, year=blocked.provisional_year)
    else:
        cause = "；".join(r.message for r in blocked.refusals)
    return Incident(
        f"blocked/{d.instance}/{d.step}/{d.last_day}",
        IncidentKind.BLOCKED_STEP,
        f"{d.instance}/{d.step}",
        cause,
        at,
        subject=blocked.subject,
    )


def of_not_applied(missed: NotApplied, at: datetime) -> Incident:
    """The incident of an effect a decision imposes that could not be applied."""
    return Incident(
        f"not-applied/{missed.decided_by}/{missed.effect}/{missed.person}",
        IncidentKind.EFFECT_NOT_APPLIED,
        f"{missed.decided_by}|{missed.effect}|{missed.person}|{missed.day.isoformat()}",
        missed.why,
        at,
        subject=missed.person,
    )


def open_blocked(store: SqlStore, blocked: Sequence[Blocked], at: datetime) -> int:
    """Open the incidents of the steps a sweep could not take (each once); how many."""
    return store.incidents.open(of_blocked(b, at) for b in blocked) if blocked else 0


def _retry_delivery(
    engine: Engine, store: SqlStore, incident: Incident, now: datetime, channels: Sequence[Channel]
) -> str | None:
    row_id = int(incident.target.removeprefix("outbox:"))
    store.outbox.retry(row_id)  # a row already pending (revived earlier) is simply sent
    report = deliver_due(engine, store, now, channels=channels)
    if row_id in report.delivered:
        return None
    found = [reason for row, reason in report.failed if row == row_id]
    return found[0] if found else _("outbox row {row} was not delivered").format(row=row_id)


def _retry_step(engine: Engine, store: SqlStore, incident: Incident, now: datetime) -> str | None:
    instance_id, step = incident.target.rsplit("/", 1)
    runtime = engine.runtime(store)
    runtime.recount(now)  # a year published since: the day is definite now, and may move
    deadline = next(
        (d for d in store.deadlines() if (d.instance, d.step) == (instance_id, step)), None
    )
    if deadline is None or deadline.last_day is None:
        return None  # the instance has moved on: the step is no longer due
    instance = store.load(instance_id)
    if deadline.provisional_year is not None:
        blocked = Blocked(deadline, instance.subject, provisional_year=deadline.provisional_year)
        return of_blocked(blocked, now).cause
    if deadline.last_day >= now.date():
        return None  # moved later by the recount: the sweep takes it when it falls due
    fell_due = datetime.combine(deadline.last_day + timedelta(days=1), time())
    try:
        runtime.fire(instance, step, SWEEPER, fell_due, request_id=f"retry/{incident.id}/{now}")
    except StepRefusedError as refused:
        return "；".join(r.message for r in refused.refusals)
    except VersionConflictError:
        return None  # somebody moved it meanwhile
    return None


def _retry_effect(
    engine: Engine, store: SqlStore, incident: Incident, roster: Roster | None
) -> str | None:
    decided_by, effect, person, day = incident.target.split("|")
    missed = NotApplied(effect, person, date.fromisoformat(day), decided_by, incident.cause)
    again = reimposed(engine, missed, roster)
    if again.effects:
        store.effects.impose(again.effects)
        return None
    if roster is None:
        return _("give the roster that now shows the post (--roster)")
    return again.not_applied[0].why


def retry(
    engine: Engine,
    store: SqlStore,
    incident_id: str,
    now: datetime,
    *,
    channels: Sequence[Channel] = (),
    roster: Roster | None = None,
) -> Incident:
    """Check an incident's cause again, doing what could not be done; the incident after the
    retry (resolved when the cause is gone). IncidentError for an unknown or resolved one."""
    incident = store.incidents.incident(incident_id)
    if incident.resolved_at is not None:
        raise IncidentError(_("incident {id} is resolved already").format(id=incident_id))
    try:
        if incident.kind is IncidentKind.DEAD_LETTER:
            cause = _retry_delivery(engine, store, incident, now, channels)
        elif incident.kind is IncidentKind.BLOCKED_STEP:
            cause = _retry_step(engine, store, incident, now)
        else:
            cause = _retry_effect(engine, store, incident, roster)
    except GovernanceError as error:
        cause = str(error)
    return store.incidents.retried(incident_id, now, cause)
