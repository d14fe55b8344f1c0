"""Whether a step may be taken, guards aside: the instance is in a state the step leaves; the
actor holds one of its roles (an automatic step: only the sweeper, only once overdue and on a
published calendar); the date is not before the state was entered and the procedure is in
effect; a document is named for each evidence kind the step asks for, and none other. Each
reason is a :class:`~governance_core.errors.Refusal` of a kind front ends switch on."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from governance_core.errors import Refusal, RefusalKind
from governance_core.messages import _
from governance_core.rules.calendar import OfficialCalendar
from governance_core.rules.parameters import Parameter
from governance_core.runtime._compiled import CompiledProcess, CompiledStep
from governance_core.runtime._deadlines import last_day
from governance_core.runtime.records import SWEEPER, Actor, ProcessInstance

__all__ = ["refusals", "unpinned"]


def refusals(
    compiled: CompiledProcess,
    target: CompiledStep,
    instance: ProcessInstance,
    actor: Actor,
    day: date,
    evidence: Mapping[str, str] | None,
    parameters: Mapping[str, Parameter],
    calendar: OfficialCalendar,
) -> list[Refusal]:
    """Why ``actor`` cannot take ``target`` on ``instance`` on ``day``, guards aside (they are
    criteria, evaluated by the runtime); ``evidence`` None skips its check. Empty when the
    step may be taken. The one place that decides: every fire and every ``allowed`` asks it,
    so each check is cheap when it passes (the common case: the right role, exactly the
    evidence asked for)."""
    step = target.step
    found = []
    if instance.state not in target.sources:
        where = _("it has ended") if instance.state in compiled.terminal else _("not from there")
        message = _("the instance is in state {state!r}; step {step!r} leaves {sources}, {where}")
        sources = ", ".join(sorted(target.sources))
        found.append(
            Refusal(
                RefusalKind.STATE,
                message.format(state=instance.state, step=step.id, sources=sources, where=where),
            )
        )
    if target.automatic:
        found += _automatic(target, instance, actor, day, parameters, calendar)
    elif target.roles.isdisjoint(actor.roles):
        message = _("step {step!r} may be taken by {roles}; {actor} holds {held}")
        roles, held = (
            ", ".join(sorted(target.roles)),
            ", ".join(sorted(actor.roles)) or _("no role"),
        )
        found.append(
            Refusal(
                RefusalKind.ROLE,
                message.format(step=step.id, roles=roles, actor=actor.id, held=held),
            )
        )
    if day < instance.entered_on:
        message = _("{day} is before the instance entered {state!r} ({entered})")
        found.append(
            Refusal(
                RefusalKind.TIME,
                message.format(day=day, state=instance.state, entered=instance.entered_on),
            )
        )
    if not compiled.always and not compiled.definition.in_effect(day):
        message = _("procedure {id} is not in effect on {day}").format(id=compiled.id, day=day)
        found.append(Refusal(RefusalKind.NOT_IN_EFFECT, message))
    if evidence is None or (evidence.keys() == target.evidence_kinds and all(evidence.values())):
        return found
    return found + _evidence(target, evidence)


def _automatic(
    target: CompiledStep,
    instance: ProcessInstance,
    actor: Actor,
    day: date,
    parameters: Mapping[str, Parameter],
    calendar: OfficialCalendar,
) -> list[Refusal]:
    step = target.step
    if actor is not SWEEPER:
        message = _("step {step!r} is automatic: only the sweeper takes it").format(step=step.id)
        return [Refusal(RefusalKind.AUTOMATIC, message)]
    assert step.due is not None  # an automatic step has a due rule
    due = last_day(step.due, instance.entered_on, parameters, calendar)
    if due.day is None or day <= due.day:
        message = _("step {step!r} is not overdue (last day {due})")
        return [Refusal(RefusalKind.AUTOMATIC, message.format(step=step.id, due=due.day))]
    if due.provisional_year is not None:  # the published calendar may move it later
        message = _(
            "step {step!r} waits: its last day {due} is counted on weekends only until the "
            "{year} calendar is published"
        )
        text = message.format(step=step.id, due=due.day, year=due.provisional_year)
        return [Refusal(RefusalKind.CALENDAR, text)]
    return []


def _evidence(target: CompiledStep, evidence: Mapping[str, str]) -> list[Refusal]:
    step, found = target.step, []
    missing = [kind for kind in target.evidence if not evidence.get(kind)]
    if missing:
        message = _("step {step!r} needs evidence: {kinds}")
        text = message.format(step=step.id, kinds=", ".join(missing))
        found.append(Refusal(RefusalKind.EVIDENCE, text))
    unknown = sorted(set(evidence) - set(target.evidence))
    if unknown:
        takes = ", ".join(target.evidence)
        text = _("step {step!r} takes no evidence of kind {kinds}").format(
            step=step.id, kinds=", ".join(unknown)
        ) + (_(" (it takes {kinds})").format(kinds=takes) if takes else "")
        found.append(Refusal(RefusalKind.EVIDENCE, text))
    return found


def unpinned(instance: ProcessInstance, compiled: CompiledProcess | None) -> Refusal:
    """Why no step may be taken on an instance whose definition is not the one loaded."""
    if compiled is None:
        message = _("procedure {id} is not loaded").format(id=instance.process)
        return Refusal(RefusalKind.DEFINITION, message)
    message = _(
        "the instance runs under {id} v{version} ({hash}), the loaded definition is "
        "v{loaded} ({loaded_hash}); migrate the instance first"
    )
    text = message.format(
        id=instance.process,
        version=instance.process_version,
        hash=instance.definition_hash[:12],
        loaded=compiled.definition.version,
        loaded_hash=compiled.hash[:12],
    )
    return Refusal(RefusalKind.DEFINITION, text)
