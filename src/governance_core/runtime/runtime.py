"""The runtime: start an instance, fire a step, list what may be done, what is due, and sweep
timeouts. Every change goes through a :class:`ProcessStore` as one compare-and-swap write.

``fire`` checks, in this order, and reports every reason that applies: the instance runs under
the loaded definition; the step exists and leaves the current state; the actor holds one of the
step's roles (automatic steps: only the sweeper, only once overdue); the date is not before the
state was entered and the procedure is in effect; a document is named for each evidence kind;
every guard passes as of the date. Then the machine moves the instance, the version goes up by
one, and the event is written; a stale version is a :class:`VersionConflictError` and the caller's
instance is left as it was.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import final

import attrs

from governance_core.errors import (
    Refusal,
    RefusalKind,
    RequestReusedError,
    StepRefusedError,
    VersionConflictError,
)
from governance_core.files import did_you_mean
from governance_core.loading.policy_set import PolicySet
from governance_core.messages import _
from governance_core.model import Dossier, ImposedEffect
from governance_core.rules.calendar import CALENDAR, OfficialCalendar
from governance_core.rules.criteria.verdicts import ListVerdict
from governance_core.rules.effects import EFFECTS, DeclaredEffect, Subject
from governance_core.rules.procedures import Once
from governance_core.rules.procedures.kind import PROCEDURES
from governance_core.runtime._compiled import CompiledProcess, CompiledStep
from governance_core.runtime._deadlines import deadlines_of, due_steps
from governance_core.runtime._kept_state import migration_event, migration_refusals, recount_event
from governance_core.runtime._opening import openings
from governance_core.runtime._recount import recounted, waiting
from governance_core.runtime._refusals import refusals, unpinned
from governance_core.runtime.records import (
    MIGRATE,
    START,
    SWEEPER,
    Actor,
    Blocked,
    Deadline,
    DueStep,
    Event,
    FireResult,
    GuardVerdict,
    Permission,
    ProcessInstance,
    Sweep,
)
from governance_core.runtime.store import MemoryStore, ProcessStore

__all__ = ["Facts", "Runtime"]

Facts = Callable[[str, date], Dossier | None]
"""What is known of a subject (a person's id) as of a day, for guards: e.g. a roster's
``dossier`` method. None when nothing is known."""


_NO_EVIDENCE: Mapping[str, str] = MappingProxyType({})


# what a fire moves with: evidence, guards' verdicts, request id, note, fingerprint, recorded at
_Moving = tuple[
    Mapping[str, str], tuple[GuardVerdict, ...], str | None, str | None, str | None, datetime | None
]

# What a fire or a migration changes in an instance, to put back if it is not written: only
# ever unpacked whole by _restore (a plain tuple: a fire makes one, on the hot path).
_Snapshot = tuple[str, int, date, int, str]


def _snapshot(i: ProcessInstance) -> _Snapshot:
    return (i.state, i.version, i.entered_on, i.process_version, i.definition_hash)


def _restore(i: ProcessInstance, before: _Snapshot) -> None:
    i.state, i.version, i.entered_on, i.process_version, i.definition_hash = before


def _no_facts(subject: str, day: date) -> Dossier | None:
    return None


@final
class Runtime:
    """Procedures of a policy set, run against a store."""

    __slots__ = ("_processes", "_step_effects", "calendar", "facts", "policies", "store")

    def __init__(
        self,
        policies: PolicySet,
        store: ProcessStore | None = None,
        *,
        facts: Facts = _no_facts,
        calendar: OfficialCalendar | None = None,
    ) -> None:
        self.policies = policies
        self.store: ProcessStore = store if store is not None else MemoryStore()
        self.facts = facts
        # the policy set's calendar: the package's years, and those plugins and overlays publish
        self.calendar = calendar if calendar is not None else policies.of(CALENDAR)
        # the effects each step imposes, looked up once per step rather than on every fire
        self._step_effects: dict[tuple[str, str], tuple[DeclaredEffect, ...]] = {}
        self._processes = {
            k: CompiledProcess(d, policies) for k, d in policies.of(PROCEDURES).items()
        }
        for compiled in self._processes.values():
            self.store.pin(compiled.definition, compiled.hash)
        if self._processes and policies.manifest.digest:  # steps name it (governance replay)
            self.store.keep_policy_set(policies.manifest)

    def process(self, process_id: str) -> CompiledProcess:
        try:
            return self._processes[process_id]
        except KeyError:
            self.policies.of(PROCEDURES).find(process_id)  # raises with a did-you-mean
            raise

    # --- starting -----------------------------------------------------------------------

    def start(
        self,
        process_id: str,
        subject: str,
        actor: Actor,
        at: datetime,
        *,
        instance_id: str | None = None,
        request_id: str | None = None,
        note: str | None = None,
        fingerprint: str | None = None,
        recorded_at: datetime | None = None,
    ) -> ProcessInstance:
        """A new instance in the initial state, recorded with its opening event (version 1).
        A request id already recorded returns that instance and writes nothing, when its
        ``fingerprint`` (a digest of the request) is the one first recorded with it;
        RequestReusedError otherwise. ``recorded_at``: the recording clock's time, when ``at``
        is a time the caller gave."""
        if request_id is not None:
            first = self.store.by_request(request_id)
            if first is not None:
                _same_request(first, request_id, fingerprint)
                return self.store.load(first.instance)
        compiled = self.process(process_id)
        definition = compiled.definition
        if not definition.in_effect(at.date()):
            message = _("procedure {id} is not in effect on {day}").format(
                id=process_id, day=at.date()
            )
            raise StepRefusedError(
                instance_id or process_id, START, [Refusal(RefusalKind.NOT_IN_EFFECT, message)]
            )
        instance = ProcessInstance(
            instance_id or f"{process_id}/{uuid.uuid4().hex[:12]}",
            process_id,
            definition.version,
            compiled.hash,
            subject,
            definition.initial,
            1,
            at.date(),
        )
        event = Event(
            instance=instance.id,
            sequence=1,
            step=START,
            source=None,
            dest=definition.initial,
            actor=actor.id,
            authenticated=actor.authenticated,
            role=None,
            at=at,
            definition_hash=compiled.hash,
            request_id=request_id,
            note=note,
            fingerprint=fingerprint,
            recorded_at=recorded_at,
            policy_set=self.policies.manifest.digest or None,
        )
        recorded = self.store.create(instance, event, self._deadlines(compiled, instance))
        if recorded is event:
            return instance
        _same_request(recorded, request_id or "", fingerprint)  # the same id won a race
        return self.store.load(recorded.instance)

    def open_procedures(
        self, verdicts: Iterable[ListVerdict], actor: Actor, at: datetime
    ) -> tuple[ProcessInstance, ...]:
        """Open the procedure of every conclusive hit of an ``opens_procedure`` list (a
        finding of one of the 有错无为 conditions opens the dismissal). Idempotent per
        finding: the request id is derived from the list, the person and the records that
        met its items (the findings, or the items met when no record is named), not from the
        date, so the same finding seen again next quarter opens nothing new."""
        return tuple(
            self.start(
                o.procedure,
                o.subject,
                actor,
                at,
                instance_id=o.instance_id,
                request_id=o.request_id,
                note=o.note,
            )
            for o in openings(verdicts)
        )

    # --- firing -------------------------------------------------------------------------

    def fire(
        self,
        instance: ProcessInstance,
        step: str,
        actor: Actor,
        at: datetime,
        *,
        evidence: Mapping[str, str] | None = None,
        request_id: str | None = None,
        note: str | None = None,
        expected_version: int | None = None,
        fingerprint: str | None = None,
        recorded_at: datetime | None = None,
    ) -> FireResult:
        """Take ``step`` on ``instance`` as ``actor`` at ``at``, naming a document per evidence
        kind (``note`` is kept with the event). Moves ``instance`` in place and returns it with
        the event; StepRefusedError (with every reason and the guards' verdicts) or
        VersionConflictError leave it unchanged.

        A request id already recorded returns its first result and writes nothing when the
        ``fingerprint`` (a digest of the request) is the one first recorded with it, and is a
        RequestReusedError otherwise. ``expected_version``: the version the caller read; any
        other is a VersionConflictError, checked for every request that is not a repeat.
        ``recorded_at``: the recording clock's time, when ``at`` is a time the caller gave."""
        if request_id is not None:
            first = self.store.by_request(request_id)
            if first is not None:
                return self._repeated(first, request_id, fingerprint, (instance.id, step))
        if expected_version is not None and expected_version != instance.version:
            raise VersionConflictError(instance.id, expected_version, instance.version)
        compiled = self._processes.get(instance.process)
        if compiled is None or compiled.hash != instance.definition_hash:
            raise StepRefusedError(instance.id, step, [unpinned(instance, compiled)])
        target = compiled.steps.get(step)
        if target is None:
            hint = did_you_mean(step, compiled.steps) or _("its steps: {steps}").format(
                steps=", ".join(compiled.steps)
            )
            message = _("{process} has no step {step!r}; {hint}").format(
                process=instance.process, step=step, hint=hint
            )
            raise StepRefusedError(instance.id, step, [Refusal(RefusalKind.DEFINITION, message)])
        given = evidence or _NO_EVIDENCE
        day = at.date()
        found = refusals(
            compiled, target, instance, actor, day, given, self.policies.parameters, self.calendar
        )
        if not found and target.step.once_per_actor is Once.A_YEAR:
            found += self._taken_this_year(target, instance, actor, day)
        verdicts = self._verdicts(target, instance, day) if target.guards else ()
        if verdicts:
            found += _guard_refusals(verdicts)
        if found:
            raise StepRefusedError(instance.id, step, found, verdicts)
        moving = (given, verdicts, request_id, note, fingerprint, recorded_at)
        return self._move(compiled, target, instance, actor, at, moving)

    def _repeated(
        self, first: Event, request_id: str, fingerprint: str | None, asked: tuple[str, str]
    ) -> FireResult:
        """The first result of a request id, asked again for the same step of the instance."""
        if (first.instance, first.step) != asked:
            raise RequestReusedError(request_id, first.described())
        _same_request(first, request_id, fingerprint)
        return FireResult(self.store.load(first.instance), first, repeated=True)

    def _taken_this_year(
        self, target: CompiledStep, instance: ProcessInstance, actor: Actor, day: date
    ) -> list[Refusal]:
        """Why ``actor`` may not take a step once a year per actor again: the instance of the
        procedure they took it on this year, read from the store (asked only of a step that
        would otherwise be taken: a project is chosen once, so it is rare)."""
        for other in self.store.instances():
            if other.process != instance.process:
                continue
            for e in self.store.events(other.id):
                if e.step == target.step.id and e.actor == actor.id and e.at.year == day.year:
                    message = _(
                        "{actor} took step {step!r} in {year} already, on {instance}: the "
                        "source allows it once a year"
                    ).format(actor=actor.id, step=e.step, year=day.year, instance=other.id)
                    return [Refusal(RefusalKind.STATE, message)]
        return []

    def _verdicts(
        self, target: CompiledStep, instance: ProcessInstance, day: date
    ) -> tuple[GuardVerdict, ...]:
        if not target.guards:
            return ()
        dossier = self.facts(instance.subject, day)
        if dossier is not None:  # the effects the store holds are known, even when none
            held = self.store.effects_in_force(instance.subject, day)
            known = dossier.effects or ()
            ids = {e.id for e in known}
            dossier = attrs.evolve(dossier, effects=(*known, *(e for e in held if e.id not in ids)))
        return tuple(g.verdict(dossier, self.policies, day) for g in target.guards)

    def _effects(
        self, instance: ProcessInstance, step: str, day: date
    ) -> tuple[ImposedEffect, ...]:
        """The effects taking ``step`` imposes on the instance's subject from ``day``; one on an
        organisation falls on the first post the subject holds that day (none without one)."""
        declared = self.policies.of(EFFECTS)
        key = (instance.process, step)
        found = self._step_effects.get(key)
        if found is None:
            found = self._step_effects[key] = tuple(declared.of_step(instance.process, step))
        if not found:
            return ()
        dossier = self.facts(instance.subject, day)
        posts = dossier.current_posts() if dossier is not None else ()
        organisation = posts[0].organisation if posts else None
        return tuple(
            declared.impose(
                effect,
                person=instance.subject,
                on=day,
                decided_by=f"{instance.id}/{instance.version}",
                add_working_days=self.calendar.add_working_days,
                organisation=organisation,
            )
            for effect in found
            if organisation is not None or effect.subject is Subject.PERSON
        )

    def _move(
        self,
        compiled: CompiledProcess,
        target: CompiledStep,
        instance: ProcessInstance,
        actor: Actor,
        at: datetime,
        moving: _Moving,
    ) -> FireResult:
        evidence, verdicts, request_id, note, fingerprint, recorded_at = moving
        before = _snapshot(instance)
        source, expected = instance.state, instance.version
        target.event.trigger(instance)
        moved = target.step.dest is not None
        instance.version += 1
        if moved:
            instance.entered_on = at.date()
        role = target.role or (min(target.roles & actor.roles) if target.roles else None)
        event = Event(
            instance=instance.id,
            sequence=instance.version,
            step=target.step.id,
            source=source,
            dest=instance.state,
            actor=actor.id,
            authenticated=actor.authenticated,
            role=role,
            at=at,
            definition_hash=compiled.hash,
            request_id=request_id,
            evidence=tuple(sorted(evidence.items())) if evidence else (),
            verdicts=verdicts,
            consequence=target.step.consequence,
            note=note,
            policy_set=self.policies.manifest.digest or None,
            effects=self._effects(instance, target.step.id, at.date()),
            fingerprint=fingerprint,
            recorded_at=recorded_at,
        )
        deadlines = (
            self._deadlines(compiled, instance)
            if moved and (compiled.due_steps[source] or compiled.due_steps[instance.state])
            else None  # None: the store keeps the deadlines it has (here, none)
        )
        return self._record(instance, expected, before, event, deadlines)

    def _record(
        self,
        instance: ProcessInstance,
        expected: int,
        before: _Snapshot,
        event: Event,
        deadlines: list[Deadline] | None,
    ) -> FireResult:
        """Write the moved instance with its event; put it back as it was if the store refuses
        (a stale version) or already holds the request id's first result."""
        try:
            recorded = self.store.append(instance, expected, event, deadlines)
        except VersionConflictError:
            _restore(instance, before)
            raise
        if recorded is not event:  # the same request id won a race
            _restore(instance, before)
            asked = (instance.id, event.step)
            return self._repeated(recorded, event.request_id or "", event.fingerprint, asked)
        return FireResult(instance, event)

    # --- moving to a new definition --------------------------------------------------------

    def migrate(
        self,
        instance: ProcessInstance,
        actor: Actor,
        at: datetime,
        *,
        reason: str,
        request_id: str | None = None,
        states: Mapping[str, str] | None = None,
    ) -> FireResult:
        """Move ``instance`` to the loaded version of its procedure, explicitly, recording a
        ``migrate`` event with the reason; ``states`` renames its state (old → new) where the
        new version renamed it. Refused (StepRefusedError, nothing written) when the instance's
        state no longer exists, or when a step it has taken is no longer allowed as it was
        (its history would not replay under the new definition)."""
        compiled = self.process(instance.process)
        found = self.migration_refusals(instance, states, reason=reason)
        if found:
            raise StepRefusedError(instance.id, MIGRATE, found)
        before = _snapshot(instance)
        expected = instance.version
        event = migration_event(instance, compiled, actor, at, reason, request_id, states)
        return self._record(instance, expected, before, event, self._deadlines(compiled, instance))

    def migration_refusals(
        self,
        instance: ProcessInstance,
        states: Mapping[str, str] | None = None,
        *,
        reason: str = "—",
        events: Sequence[Event] | None = None,
    ) -> list[Refusal]:
        """Why :meth:`migrate` would refuse to move ``instance`` with these ``states`` renamed
        (nothing when it would move it); ``events``: its history, when read from another
        store than this runtime's. Writes nothing."""
        compiled = self.process(instance.process)
        history = self.store.events(instance.id) if events is None else events
        return migration_refusals(compiled, instance, history, reason, states)

    # --- what may be done, what is due --------------------------------------------------

    def allowed(self, instance: ProcessInstance, actor: Actor, at: datetime) -> list[Permission]:
        """Every step leaving the current state, whether ``actor`` may take it at ``at``, and
        if not, why (evidence is not checked: it is listed as what the fire must name)."""
        compiled = self.process(instance.process)
        found = []
        for target in compiled.steps.values():
            if instance.state not in target.sources:
                continue
            day = at.date()
            refused = refusals(
                compiled,
                target,
                instance,
                actor,
                day,
                None,
                self.policies.parameters,
                self.calendar,
            )
            verdicts = self._verdicts(target, instance, day)
            refused += _guard_refusals(verdicts)
            if not refused and target.step.once_per_actor is Once.A_YEAR:
                refused += self._taken_this_year(target, instance, actor, day)
            step = target.step
            found.append(
                Permission(
                    step.id, step.title, not refused, tuple(refused), target.evidence, verdicts
                )
            )
        return found

    def _deadlines(self, compiled: CompiledProcess, instance: ProcessInstance) -> list[Deadline]:
        return deadlines_of(compiled, instance, self.policies.parameters, self.calendar)

    def recount(self, now: datetime, actor: Actor = SWEEPER) -> list[FireResult]:
        """Count again every deadline counted provisionally across a year whose official
        calendar is published now, recording a ``recount`` event with what moved on each
        instance whose deadlines change (a day that moves keeps the day it had in
        ``moved_from``). Idempotent: the request id names the instance and its version."""
        results = []
        for instance_id, before in waiting(self.store.deadlines()).items():
            instance = self.store.load(instance_id)
            compiled = self._processes.get(instance.process)
            if compiled is None or compiled.hash != instance.definition_hash:
                continue  # a migration recounts it under the loaded definition
            change = recounted(before, self._deadlines(compiled, instance))
            if change is None:
                continue
            deadlines, note = change
            expected, snapshot = instance.version, _snapshot(instance)
            event = recount_event(instance, compiled.hash, actor, now, note)
            try:
                results.append(self._record(instance, expected, snapshot, event, deadlines))
            except VersionConflictError:
                continue  # a step or another sweep moved it first; the next sweep counts again
        return results

    def due(self, today: date, *, horizon_days: int = 14) -> list[DueStep]:
        """Deadlines overdue on ``today``, those due within ``horizon_days``, and those that
        cannot be computed (with the reason), the most urgent first."""
        return due_steps(self.store.deadlines(), today, horizon_days)

    def sweep(self, now: datetime) -> list[FireResult]:
        """The steps :meth:`swept` takes (those it could not take are left for the next)."""
        return list(self.swept(now).taken)

    def swept(self, now: datetime) -> Sweep:
        """Recount the deadlines of years published since they were counted (:meth:`recount`),
        then take every automatic step whose last day has passed, in effect on the day it fell
        due (the sweep's time in the note). A provisional day is not taken: the published
        calendar may move it later. A step refused (a guard failed or unknown) does not stop
        the others: it is returned as blocked, with its refusals. Idempotent: each request id
        names the instance, its version and the step, so a second sweep (or two sweepers at
        once) changes nothing."""
        today, results = now.date(), self.recount(now)
        blocked: list[Blocked] = []
        for deadline in list(self.store.deadlines()):
            if not deadline.automatic or deadline.last_day is None or deadline.last_day >= today:
                continue
            instance = self.store.load(deadline.instance)
            if deadline.provisional_year is not None:  # the published calendar may move it
                blocked.append(
                    Blocked(deadline, instance.subject, provisional_year=deadline.provisional_year)
                )
                continue
            request = f"sweep/{instance.id}/{instance.version}/{deadline.step}"
            # in effect when it fell due, however late the sweep: a grant lapses when it lapsed
            fell_due = datetime.combine(deadline.last_day + timedelta(days=1), time())
            note = _("taken by the sweep of {now}").format(now=now.isoformat(timespec="minutes"))
            try:
                results.append(
                    self.fire(
                        instance, deadline.step, SWEEPER, fell_due, request_id=request, note=note
                    )
                )
            except VersionConflictError:
                continue  # another sweeper or a person moved it first
            except StepRefusedError as refused:
                blocked.append(Blocked(deadline, instance.subject, tuple(refused.refusals)))
        return Sweep(tuple(results), tuple(blocked))

    def history(self, instance_id: str) -> Sequence[Event]:
        return self.store.events(instance_id)


def _guard_refusals(verdicts: Iterable[GuardVerdict]) -> list[Refusal]:
    return [Refusal(RefusalKind.GUARD, v.reason) for v in verdicts if not v.allows]


def _same_request(first: Event, request_id: str, fingerprint: str | None) -> None:
    """A request id comes back with the request it was first recorded for, or not at all."""
    if first.fingerprint != fingerprint:
        raise RequestReusedError(request_id, first.described())
