"""Moving running instances of a procedure to the version of it now loaded (docs/procedures.md,
"Migrating running instances"): a plan of what moves and what cannot and why (a state gone
and not mapped, a history that no longer replays), states matched by id unless mapped
(``OLD=NEW``), chosen by state or subject; the dry run is the plan, and writes nothing; each
move is a chained ``migrate`` event, named so that running the same migration again moves
nothing twice."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import final

import attrs

from governance_core.engine import Engine
from governance_core.errors import GovernanceError, StepRefusedError
from governance_core.messages import _
from governance_core.runtime import Actor, Runtime
from governance_core.storage import SqlStore

__all__ = ["MigrationError", "MigrationPlan", "Move", "Refused", "migrate", "plan"]


class MigrationError(GovernanceError):
    """A migration that cannot be planned: a version not loaded, a mapping to no state; the
    message says what to do."""


@final
@attrs.frozen(slots=True)
class Move:
    """An instance that moves: from its state and version to ``to_state`` of the new one."""

    instance: str
    subject: str
    state: str
    to_state: str
    from_version: int


@final
@attrs.frozen(slots=True)
class Refused:
    """An instance that cannot move, and why, in words."""

    instance: str
    subject: str
    state: str
    reasons: tuple[str, ...]


@final
@attrs.frozen(slots=True)
class MigrationPlan:
    """What a migration of ``process`` to ``to_version`` does: the instances that move and
    those that cannot (instances running under it already, or not chosen, are in neither)."""

    process: str
    to_version: int
    states: Mapping[str, str]
    moves: tuple[Move, ...] = ()
    refused: tuple[Refused, ...] = ()


def plan(
    engine: Engine,
    store: SqlStore,
    process: str,
    to_version: int,
    *,
    states: Mapping[str, str] | None = None,
    where: Collection[str] = (),
) -> MigrationPlan:
    """The plan of moving the instances of ``process`` (those in a state or about a subject
    named in ``where``, when given) to ``to_version``, which must be the version loaded; a
    state renamed by the new version is mapped by ``states`` (old → new). Writes nothing:
    ``store`` is only read (the procedures are compiled in memory)."""
    runtime = engine.runtime()
    compiled = runtime.process(process)
    loaded = compiled.definition.version
    if loaded != to_version:
        raise MigrationError(
            _(
                "version {version} of {process} is not loaded; the loaded version is {loaded} "
                "(load the plugin or policy file with that version, then migrate)"
            ).format(version=to_version, process=process, loaded=loaded)
        )
    mapping = dict(states or {})
    known = {s.id for s in compiled.definition.states}
    wrong = sorted(new for new in mapping.values() if new not in known)
    if wrong:
        raise MigrationError(
            _(
                "--map names states version {version} does not have: {wrong} (its states: {states})"
            ).format(version=loaded, wrong=", ".join(wrong), states=", ".join(sorted(known)))
        )
    moves, refused = [], []
    for instance in store.instances():
        if instance.process != process or instance.definition_hash == compiled.hash:
            continue
        if where and instance.state not in where and instance.subject not in where:
            continue
        reasons = runtime.migration_refusals(instance, mapping, events=store.events(instance.id))
        if reasons:
            refused.append(
                Refused(
                    instance.id,
                    instance.subject,
                    instance.state,
                    tuple(r.message for r in reasons),
                )
            )
        else:
            to_state = mapping.get(instance.state, instance.state)
            moves.append(
                Move(
                    instance.id,
                    instance.subject,
                    instance.state,
                    to_state,
                    instance.process_version,
                )
            )
    return MigrationPlan(process, loaded, mapping, tuple(moves), tuple(refused))


def migrate(
    engine: Engine,
    store: SqlStore,
    planned: MigrationPlan,
    actor: Actor,
    at: datetime,
    *,
    reason: str,
) -> MigrationPlan:
    """Carry out ``planned``: each move a ``migrate`` event with ``reason``; what happened, as a
    plan (an instance that moved or changed since the plan is refused, with why)."""
    runtime: Runtime = engine.runtime(store)
    moved, refused = [], list(planned.refused)
    for move in planned.moves:
        instance = store.load(move.instance)
        request = f"migrate/{instance.id}/{instance.version}/v{planned.to_version}"
        try:
            runtime.migrate(
                instance,
                actor,
                at,
                reason=reason,
                request_id=request,
                states=planned.states,
            )
        except StepRefusedError as error:
            reasons = tuple(r.message for r in error.refusals)
            refused.append(Refused(move.instance, move.subject, move.state, reasons))
            continue
        moved.append(move)
    return attrs.evolve(planned, moves=tuple(moved), refused=tuple(refused))
