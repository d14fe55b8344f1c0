"""The events the library records itself that keep an instance's state: a migration to the
loaded definition (with when it may not be made) and a recount of its deadlines. Each moves the
instance to its next version, so that a copy read before is stale."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import attrs

from governance_core.errors import Refusal, RefusalKind, WorkflowError
from governance_core.messages import _
from governance_core.runtime._compiled import CompiledProcess
from governance_core.runtime.records import MIGRATE, RECOUNT, Actor, Event, ProcessInstance
from governance_core.runtime.replay import replay

__all__ = ["migration_event", "migration_refusals", "recount_event"]


def _kept(
    instance: ProcessInstance,
    step: str,
    definition_hash: str,
    actor: Actor,
    at: datetime,
    request_id: str | None,
    note: str,
) -> Event:
    instance.version += 1
    return Event(
        instance=instance.id,
        sequence=instance.version,
        step=step,
        source=instance.state,
        dest=instance.state,
        actor=actor.id,
        authenticated=actor.authenticated,
        role=None,
        at=at,
        definition_hash=definition_hash,
        request_id=request_id,
        note=note,
    )


def recount_event(
    instance: ProcessInstance, definition_hash: str, actor: Actor, at: datetime, note: str
) -> Event:
    """The event of a recount; its request id names the version it recounted, so a second
    recount of that version writes nothing."""
    request = f"recount/{instance.id}/{instance.version}"
    return _kept(instance, RECOUNT, definition_hash, actor, at, request, note)


def migration_refusals(
    compiled: CompiledProcess,
    instance: ProcessInstance,
    events: Sequence[Event],
    reason: str,
    states: Mapping[str, str] | None = None,
) -> list[Refusal]:
    """Why ``instance`` may not move to the loaded definition: it runs under it already, its
    state (renamed by ``states``, old → new, when given) no longer exists, a step it has taken
    is no longer allowed as it was (its history, states renamed, would not replay), or no
    reason is given."""
    if compiled.hash == instance.definition_hash:
        message = _("it already runs under the loaded definition")
        return [Refusal(RefusalKind.DEFINITION, message)]
    found = []
    state = (states or {}).get(instance.state, instance.state)
    if state not in {s.id for s in compiled.definition.states}:
        message = _(
            "its state {state!r} no longer exists; map it to a state of the new version "
            "(--map OLD=NEW)"
        ).format(state=state)
        found.append(Refusal(RefusalKind.DEFINITION, message))
        return found  # the history cannot be read in the new names either
    renamed = tuple(sorted((states or {}).items()))
    # the history with the migration's event after it, as it would be recorded
    moved = [
        attrs.evolve(
            e,
            sequence=e.sequence + 1,
            step=MIGRATE,
            source=instance.state,
            dest=state,
            renamed=renamed,
        )
        for e in events[-1:]
    ]
    try:
        replay(compiled.definition, [*events, *moved], compiled.machine)
    except WorkflowError as error:
        message = _("its history does not replay under the new definition: {error}")
        found.append(Refusal(RefusalKind.DEFINITION, message.format(error=error)))
    if not reason.strip():
        found.append(Refusal(RefusalKind.INPUT, _("a migration needs a reason")))
    return found


def migration_event(
    instance: ProcessInstance,
    compiled: CompiledProcess,
    actor: Actor,
    at: datetime,
    reason: str,
    request_id: str | None,
    states: Mapping[str, str] | None = None,
) -> Event:
    """The event of a migration, pinning ``instance`` to the loaded definition; a state
    ``states`` renames is the event's ``dest`` (its ``source`` the old name)."""
    note = _("from {hash} (v{version}): {reason}").format(
        hash=instance.definition_hash[:12], version=instance.process_version, reason=reason
    )
    instance.process_version = compiled.definition.version
    instance.definition_hash = compiled.hash
    event = _kept(instance, MIGRATE, compiled.hash, actor, at, request_id, note)
    if states:
        instance.state = states.get(instance.state, instance.state)
        event = attrs.evolve(event, dest=instance.state, renamed=tuple(sorted(states.items())))
    return event
