"""Whether a step may be taken, guards aside: the instance is in a state the step leaves; the
actor holds one of its roles (an automatic step: only the sweeper, only once overdue); the
date is not before the state was entered and the procedure is in effect; a document is named
for each evidence kind the step asks for, and none other."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from governance_core.rules.parameters import Parameter
from governance_core.runtime._calendar import OfficialCalendar
from governance_core.runtime._compiled import CompiledProcess, CompiledStep
from governance_core.runtime._deadlines import last_day
from governance_core.runtime.records import SWEEPER, Actor, ProcessInstance

__all__ = ["refusals"]


def refusals(
    compiled: CompiledProcess,
    target: CompiledStep,
    instance: ProcessInstance,
    actor: Actor,
    day: date,
    evidence: Mapping[str, str] | None,
    parameters: Mapping[str, Parameter],
    calendar: OfficialCalendar,
) -> list[str]:
    """Why ``actor`` cannot take ``target`` on ``instance`` on ``day``, guards aside (they are
    criteria, evaluated by the runtime); ``evidence`` None skips its check. Empty when the
    step may be taken. The one place that decides: every fire and every ``allowed`` asks it,
    so each check is cheap when it passes (the common case: the right role, exactly the
    evidence asked for)."""
    step = target.step
    reasons = []
    if instance.state not in target.sources:
        where = "it has ended" if instance.state in compiled.terminal else "not from there"
        reasons.append(
            f"the instance is in state {instance.state!r}; step {step.id!r} leaves "
            f"{', '.join(sorted(target.sources))}, {where}"
        )
    if target.automatic:
        if actor is not SWEEPER:
            reasons.append(f"step {step.id!r} is automatic: only the sweeper takes it")
        else:
            assert step.due is not None  # an automatic step has a due rule
            due = last_day(step.due, instance.entered_on, parameters, calendar).day
            if due is None or day <= due:
                reasons.append(f"step {step.id!r} is not overdue (last day {due})")
    elif target.roles.isdisjoint(actor.roles):
        reasons.append(
            f"step {step.id!r} may be taken by {', '.join(sorted(target.roles))}; "
            f"{actor.id} holds {', '.join(sorted(actor.roles)) or 'no role'}"
        )
    if day < instance.entered_on:
        reasons.append(
            f"{day} is before the instance entered {instance.state!r} ({instance.entered_on})"
        )
    if not compiled.always and not compiled.definition.in_effect(day):
        reasons.append(f"procedure {compiled.id} is not in effect on {day}")
    if evidence is None or (evidence.keys() == target.evidence_kinds and all(evidence.values())):
        return reasons
    missing = [kind for kind in target.evidence if not evidence.get(kind)]
    if missing:
        reasons.append(f"step {step.id!r} needs evidence: {', '.join(missing)}")
    unknown = sorted(set(evidence) - set(target.evidence))
    if unknown:
        reasons.append(
            f"step {step.id!r} takes no evidence of kind {', '.join(unknown)}"
            + (f" (it takes {', '.join(target.evidence)})" if target.evidence else "")
        )
    return reasons
