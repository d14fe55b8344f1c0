"""Walk a procedure along a path and, before every step, try every forbidden move: each step
that does not leave the current state and each role that may not take a step that does. Every
one must be refused and leave the store as it was. For plugin authors' tests of their
procedures (docs/procedures.md, "Testing a procedure")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import final

import attrs

from governance_core.errors import StepRefusedError
from governance_core.messages import _
from governance_core.runtime.records import SWEEPER, Actor, ProcessInstance
from governance_core.runtime.runtime import Runtime

__all__ = ["Move", "WalkError", "walk"]


@final
@attrs.frozen(slots=True)
class Move:
    """One step of a path: taken by an actor holding ``role`` (None: the sweeper takes an
    automatic step) at ``at``, naming ``evidence``."""

    step: str
    role: str | None
    at: datetime
    evidence: Mapping[str, str] = attrs.field(factory=dict)


class WalkError(AssertionError):
    """A forbidden move was allowed, or a move of the path was refused."""


def walk(
    runtime: Runtime, process: str, subject: str, path: Sequence[Move], *, start: datetime
) -> tuple[ProcessInstance, int]:
    """The instance at the end of ``path``, and how many forbidden moves were refused on the
    way. Raises WalkError naming the move that went wrong."""
    definition = runtime.process(process).definition
    roles = sorted(r.id for r in definition.roles)
    instance = runtime.start(process, subject, Actor("walker"), start)
    refused = 0
    for move in path:
        for step in definition.steps:
            for role in roles:
                leaves = instance.state in step.sources
                if leaves and role in step.roles:
                    continue
                refused += _refused(runtime, instance, step.id, role, move)
        actor = (
            SWEEPER if move.role is None else Actor(f"walker:{move.role}", frozenset({move.role}))
        )
        try:
            if move.role is None:
                runtime.sweep(move.at)
                instance = runtime.store.load(instance.id)
            else:
                runtime.fire(instance, move.step, actor, move.at, evidence=move.evidence)
        except StepRefusedError as error:
            raise WalkError(
                _("the path's move {step} as {role} was refused: {error}").format(
                    step=move.step, role=move.role, error=error
                )
            ) from error
        if move.role is None and runtime.history(instance.id)[-1].step != move.step:
            raise WalkError(
                _("the sweeper did not take {step} at {at}").format(step=move.step, at=move.at)
            )
    return instance, refused


def _refused(runtime: Runtime, instance: ProcessInstance, step: str, role: str, move: Move) -> int:
    state = instance.state
    before = (state, instance.version, len(runtime.history(instance.id)))
    actor = Actor(f"intruder:{role}", frozenset({role}))
    try:
        runtime.fire(
            instance, step, actor, move.at, evidence=move.evidence if step == move.step else {}
        )
    except StepRefusedError:
        after = (instance.state, instance.version, len(runtime.history(instance.id)))
        if after != before:
            raise WalkError(
                _("refusing {step} as {role} changed the instance").format(step=step, role=role)
            ) from None
        return 1
    raise WalkError(
        _("{step} as {role} from state {state!r} was allowed but is forbidden").format(
            step=step, role=role, state=state
        )
    )
