"""Replay an instance's events against the definition it is pinned to: the state, version
and entry day the events lead to, each event checked to be a step the definition allows from
where the instance was. A migration's event and a recount's keep the state; a migration is only accepted
when the whole history replays under the new definition, so one definition replays it all."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from governance_core.errors import WorkflowError
from governance_core.messages import _
from governance_core.rules.procedures import ProcessDefinition
from governance_core.runtime.records import MIGRATE, RECOUNT, START, Event

__all__ = ["replay"]


def replay(definition: ProcessDefinition, events: Sequence[Event]) -> tuple[str, int, date]:
    """(state, version, entered_on) after ``events``; WorkflowError naming the first event
    the definition does not allow."""
    steps = {s.id: s for s in definition.steps}
    state: str | None = None
    entered: date | None = None
    for number, e in enumerate(events, 1):
        where = _("{instance} event {sequence}").format(instance=e.instance, sequence=e.sequence)
        if e.sequence != number:
            raise WorkflowError(
                _("{where}: expected sequence {number}").format(where=where, number=number)
            )
        if number == 1:
            if (e.step, e.dest) != (START, definition.initial):
                raise WorkflowError(
                    _("{where}: an instance starts in {initial!r}").format(
                        where=where, initial=definition.initial
                    )
                )
            state, entered = e.dest, e.at.date()
            continue
        if e.step in (MIGRATE, RECOUNT):  # another definition, or deadlines counted again
            if e.source != state or e.dest != state:
                raise WorkflowError(
                    _("{where}: a {step} keeps the state {state!r}").format(
                        where=where, step=e.step, state=state
                    )
                )
            continue
        step = steps.get(e.step)
        if step is None or state not in step.sources or e.source != state:
            raise WorkflowError(
                _("{where}: step {step!r} cannot be taken from {state!r}").format(
                    where=where, step=e.step, state=state
                )
            )
        if e.dest != (step.dest or state):
            raise WorkflowError(
                _("{where}: step {step!r} leads to {value!r}").format(
                    where=where, step=e.step, value=step.dest or state
                )
            )
        if step.dest is not None:
            state, entered = step.dest, e.at.date()
    if state is None or entered is None:
        raise WorkflowError(_("no events to replay"))
    return state, len(events), entered
