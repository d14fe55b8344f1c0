"""A procedure compiled once: one ``transitions`` state machine per definition, never one per
instance (the transitions FAQ pattern: an instance is a plain record whose ``state`` the
machine's events move; ``Machine.add_model`` would cost ~27 KB per instance and is quadratic).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any, final

from transitions import Machine

from governance_core.loading.policy_set import PolicySet
from governance_core.rules.procedures import ProcessDefinition, Step
from governance_core.runtime._guards import CompiledGuard

__all__ = ["CompiledProcess", "CompiledStep", "build_machine", "machine_of", "moves"]


@final
class CompiledStep:
    """A step with what a fire checks precomputed, and the machine event that takes it."""

    __slots__ = (
        "automatic",
        "event",
        "evidence",
        "evidence_kinds",
        "guards",
        "role",
        "roles",
        "sources",
        "step",
    )

    def __init__(self, step: Step, event: Any, policies: PolicySet) -> None:
        self.step = step
        self.event = event
        self.sources = frozenset(step.sources)
        self.roles = frozenset(step.roles)
        self.evidence = tuple(e.id for e in step.evidence)
        self.evidence_kinds = frozenset(self.evidence)
        self.guards = tuple(CompiledGuard(g, policies) for g in step.guards)
        self.automatic = step.automatic  # read on every fire: a property of the step
        self.role = step.roles[0] if len(self.roles) == 1 else None  # the role an event names


def build_machine(definition: ProcessDefinition) -> Machine:
    """The bare ``transitions`` machine of a definition (also the benchmark's baseline)."""
    return Machine(
        model=None,
        states=[s.id for s in definition.states],
        transitions=[
            {"trigger": step.id, "source": source, "dest": step.dest}
            for step in definition.steps
            for source in step.sources
        ],
        initial=definition.initial,
        auto_transitions=False,
        model_attribute="state",
    )


@functools.lru_cache(maxsize=256)
def machine_of(definition: ProcessDefinition) -> Machine:
    """The machine of ``definition``, built once per definition (a replay, an audit and a
    drawing ask for it again and again)."""
    return build_machine(definition)


def moves(machine: Machine) -> Iterator[tuple[str, str, str | None]]:
    """Every move the machine allows, as (source, step, dest), in the definition's order;
    ``dest`` is None for a step that keeps the state without entering it again. The one
    reading of a procedure's graph: the runtime fires on it, replay checks a history against
    it, diagrams draw it."""
    for trigger, event in machine.events.items():
        for source, transitions in event.transitions.items():
            for transition in transitions:
                yield source, trigger, transition.dest


@final
class CompiledProcess:
    """A checked definition, its content hash, its machine, and its steps by id."""

    __slots__ = ("always", "definition", "due_steps", "hash", "machine", "steps", "terminal")

    def __init__(self, definition: ProcessDefinition, policies: PolicySet) -> None:
        self.definition = definition
        self.hash = definition.content_hash()
        self.machine = build_machine(definition)
        self.steps = {
            s.id: CompiledStep(s, self.machine.events[s.id], policies) for s in definition.steps
        }
        self.terminal = frozenset(s.id for s in definition.states if s.terminal)
        self.always = definition.effective_from is None and definition.effective_to is None
        # the steps with a deadline that leave each state, in definition order
        self.due_steps: dict[str, tuple[Step, ...]] = {
            state.id: tuple(
                s for s in definition.steps if s.due is not None and state.id in s.sources
            )
            for state in definition.states
        }

    @property
    def id(self) -> str:
        return self.definition.id
