"""Whether a step may be taken, guards aside: the instance is in a state the step leaves; the
actor holds one of its roles (an automatic step: only the sweeper, only once overdue); the
date is not before the state was entered and the procedure is in effect; a document is named
for each evidence kind the step asks for, and none other."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

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
) -> list[str]:
    """Why ``actor`` cannot take ``target`` on ``instance`` on ``day``, guards aside (they are
    criteria, evaluated by the runtime); ``evidence`` None skips its check. Empty when the
    step may be taken. The one place that decides: every fire and every ``allowed`` asks it,
    so each check is cheap when it passes (the common case: the right role, exactly the
    evidence asked for)."""
    step = target.step
    reasons = []
    if instance.state not in target.sources:
        where = _("it has ended") if instance.state in compiled.terminal else _("not from there")
        reasons.append(
            _("the instance is in state {state!r}; step {step!r} leaves {sources}, {where}").format(
                state=instance.state, step=step.id, sources=", ".join(sorted(target.sources)),
                where=where,
            )
        )  # fmt: skip
    if target.automatic:
        if actor is not SWEEPER:
            reasons.append(
                _("step {step!r} is automatic: only the sweeper takes it").format(step=step.id)
            )
        else:
            assert step.due is not None  # an automatic step has a due rule
            due = last_day(step.due, instance.entered_on, parameters, calendar)
            if due.day is None or day <= due.day:
                reasons.append(
                    _("step {step!r} is not overdue (last day {due})").format(
                        step=step.id, due=due.day
                    )
                )
            elif due.provisional_year is not None:  # the published calendar may move it later
                reasons.append(
                    _(
                        "step {step!r} waits: its last day {due} is counted on weekends only "
                        "until the {year} calendar is published"
                    ).format(step=step.id, due=due.day, year=due.provisional_year)
                )
    elif target.roles.isdisjoint(actor.roles):
        reasons.append(
            _("step {step!r} may be taken by {roles}; {actor} holds {held}").format(
                step=step.id, roles=", ".join(sorted(target.roles)), actor=actor.id,
                held=", ".join(sorted(actor.roles)) or _("no role"),
            )
        )  # fmt: skip
    if day < instance.entered_on:
        reasons.append(
            _("{day} is before the instance entered {state!r} ({entered})").format(
                day=day, state=instance.state, entered=instance.entered_on
            )
        )
    if not compiled.always and not compiled.definition.in_effect(day):
        reasons.append(
            _("procedure {id} is not in effect on {day}").format(id=compiled.id, day=day)
        )
    if evidence is None or (evidence.keys() == target.evidence_kinds and all(evidence.values())):
        return reasons
    missing = [kind for kind in target.evidence if not evidence.get(kind)]
    if missing:
        reasons.append(
            _("step {step!r} needs evidence: {kinds}").format(
                step=step.id, kinds=", ".join(missing)
            )
        )
    unknown = sorted(set(evidence) - set(target.evidence))
    if unknown:
        takes = ", ".join(target.evidence)
        reasons.append(
            _("step {step!r} takes no evidence of kind {kinds}").format(
                step=step.id, kinds=", ".join(unknown)
            )
            + (_(" (it takes {kinds})").format(kinds=takes) if takes else "")
        )
    return reasons


def unpinned(instance: ProcessInstance, compiled: CompiledProcess | None) -> str:
    """Why no step may be taken on an instance whose definition is not the one loaded."""
    if compiled is None:
        return _("procedure {id} is not loaded").format(id=instance.process)
    return _(
        "the instance runs under {id} v{version} ({hash}), the loaded definition is "
        "v{loaded} ({loaded_hash}); migrate the instance first"
    ).format(
        id=instance.process, version=instance.process_version, hash=instance.definition_hash[:12],
        loaded=compiled.definition.version, loaded_hash=compiled.hash[:12],
    )  # fmt: skip
