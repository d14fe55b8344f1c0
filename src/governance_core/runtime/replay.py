"""Replay an instance's events against the definition it is pinned to: the state, version
and entry day the events lead to, each event checked to be a move the definition's compiled
machine allows from where the instance was (the machine is the one graph; nothing here
re-derives it from the steps). A migration's event and a recount's keep the state; a migration is only accepted
when the whole history replays under the new definition, so one definition replays it all."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs
from transitions import Machine

from governance_core.errors import WorkflowError
from governance_core.messages import _
from governance_core.rules.procedures import ProcessDefinition
from governance_core.runtime._compiled import machine_of, moves
from governance_core.runtime.records import MIGRATE, RECOUNT, START, Event

__all__ = ["replay"]


def _renamings(events: Sequence[Event]) -> list[dict[str, str]]:
    """For each event, the renaming of states that its own and the later migrations apply."""
    found: list[dict[str, str]] = []
    names: dict[str, str] = {}
    for e in reversed(events):
        if e.step == MIGRATE and e.renamed:
            names = {**names, **{old: names.get(new, new) for old, new in e.renamed}}
        found.append(names)
    found.reverse()
    return found


def _renamed(e: Event, names: dict[str, str]) -> Event:
    if not names:
        return e
    source = None if e.source is None else names.get(e.source, e.source)
    return attrs.evolve(e, source=source, dest=names.get(e.dest, e.dest))


def replay(
    definition: ProcessDefinition, events: Sequence[Event], machine: Machine | None = None
) -> tuple[str, int, date]:
    """(state, version, entered_on) after ``events``; WorkflowError naming the first event
    the definition does not allow. ``machine`` is the definition's, when the caller holds it
    compiled already. A migration that renamed states (its event's ``renamed``) renames them
    in every event before it, so that a history reads in the names of the definition it runs
    under now."""
    allowed = {
        (source, step): dest for source, step, dest in moves(machine or machine_of(definition))
    }
    renamed = _renamings(events)
    state: str | None = None
    entered: date | None = None
    for number, (e, names) in enumerate(zip(events, renamed, strict=True), 1):
        e = _renamed(e, names)
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
        key = (state or "", e.step)
        if key not in allowed or e.source != state:
            raise WorkflowError(
                _("{where}: step {step!r} cannot be taken from {state!r}").format(
                    where=where, step=e.step, state=state
                )
            )
        dest = allowed[key]
        if e.dest != (dest or state):
            raise WorkflowError(
                _("{where}: step {step!r} leads to {dest!r}").format(
                    where=where, step=e.step, dest=dest or state
                )
            )
        if dest is not None:  # entered (again): its deadlines count from this day
            state, entered = dest, e.at.date()
    if state is None or entered is None:
        raise WorkflowError(_("no events to replay"))
    return state, len(events), entered
