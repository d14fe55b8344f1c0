"""Procedures on one date: guards that can never pass (a list that can never give the
conclusive outcome the guard expects, an expression no dossier meets), the steps they block
and the states only those steps reach, and deadlines that can never fall due (their
parameter has no value at all). The witness of a guard is the path of steps to it and a
dossier the engine evaluates."""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterator
from datetime import date

import attrs
import z3

from governance_core.analysis._defect import Defect, Severity, said
from governance_core.analysis._encode import Encoder, NoValueError
from governance_core.analysis._facts import Facts
from governance_core.analysis._lists import can_conclude
from governance_core.analysis._solver import Solver, over_budget
from governance_core.engine import Engine
from governance_core.errors import GovernanceError
from governance_core.expressions import compile_expression
from governance_core.messages import _
from governance_core.rules.procedures import Expect, Guard, ProcessDefinition, Step
from governance_core.rules.procedures.kind import PROCEDURES

__all__ = ["procedure_defects"]


def _passable(engine: Engine, guard: Guard, as_of: date, *, as_published: bool = True) -> bool:
    if guard.list is not None:
        return can_conclude(
            engine, guard.list, guard.expect is Expect.HIT, as_of, as_published=as_published
        )
    facts = Facts()
    encoder = Encoder(facts, as_of, engine.policies.values_on(as_of))
    terms = []
    for source in (guard.when, guard.expression):
        if source is None:
            continue
        try:
            terms.append(encoder.encode(compile_expression(source, engine.policies.schema).checked))
        except NoValueError:
            if as_published:
                return source is guard.when  # an unknown "when" leaves the guard unknown
            terms.append(z3.FreshBool("unpublished"))
        except GovernanceError:
            return True  # not analysable: claim nothing
    if guard.when is not None and len(terms) == 2:  # not applicable, or passes
        return Solver(facts, as_of).possible(z3.Or(z3.Not(terms[0]), terms[1]))
    return Solver(facts, as_of).possible(*terms[-1:])


def _refused(engine: Engine, guard: Guard, as_of: date) -> bool:
    """The engine refuses ``guard`` for the witness (a dossier recording every fact as
    absent): its list does not give the conclusive outcome it expects."""
    from governance_core.analysis._witness import empty_dossier
    from governance_core.rules.criteria import Outcome

    if guard.list is None:  # the expression, as the engine evaluates it for the witness
        expression = compile_expression(guard.expression or "True", engine.policies.schema)
        values = engine.policies.values_on(as_of)
        return expression.evaluate(empty_dossier(as_of), values) is not True
    (verdict,) = engine.evaluate(guard.list, [empty_dossier(as_of)], as_of, explain=False)
    wanted = Outcome.HIT if guard.expect is Expect.HIT else Outcome.NOT_HIT
    return not (verdict.outcome is wanted and verdict.conclusive)


def _reached(
    definition: ProcessDefinition, blocked: Collection[str] = ()
) -> dict[str, tuple[str, str] | None]:
    """Every state the initial one reaches without taking a ``blocked`` step, each with the
    state and step it is first reached by (breadth first: the fewest steps)."""
    came: dict[str, tuple[str, str] | None] = {definition.initial: None}
    queue = deque([definition.initial])
    while queue:
        state = queue.popleft()
        for step in definition.steps:
            dest = step.dest or state
            if state in step.sources and step.id not in blocked and dest not in came:
                came[dest] = (state, step.id)
                queue.append(dest)
    return came


def _path(definition: ProcessDefinition, to: str) -> list[str]:
    """The fewest steps from the initial state to ``to`` (none when it is the initial one)."""
    came = _reached(definition)
    path: list[str] = []
    back = came.get(to)
    while back is not None:
        state, step_id = back
        path.append(step_id)
        back = came[state]
    return path[::-1]


def procedure_defects(engine: Engine, as_of: date) -> Iterator[Defect]:
    policies = engine.policies
    for process_id, definition in policies.of(PROCEDURES).items():
        if over_budget():
            return
        blocked: dict[str, bool] = {}  # step → blocked only by what the source leaves out
        refused: dict[str, bool] = {}  # step → the engine refuses its guard for the witness
        for index, step in enumerate(definition.steps):
            where = policies.position("processes", process_id, ("steps", index))
            for guard in step.guards:
                if not _passable(engine, guard, as_of):
                    gap = _passable(engine, guard, as_of, as_published=False)
                    blocked[step.id] = gap
                    refused[step.id] = _refused(engine, guard, as_of)
                    found = _guard(definition, step, guard, where, as_of, gap)
                    yield attrs.evolve(found, confirmed=refused[step.id])
                    break
            due = step.due
            if due is not None and due.parameter is not None:
                parameter = policies.parameters.get(due.parameter)
                if parameter is not None and not parameter.values:
                    yield _never_due(definition, step, due.parameter, due.automatic, where)
        reachable = _reached(definition, blocked)
        unreachable = [s.id for s in definition.states if s.id not in reachable]
        if unreachable:
            yield Defect(
                "states_unreachable",
                Severity.INFO if all(blocked.values()) else Severity.WARNING,
                process_id,
                policies.position("processes", process_id),
                said(
                    lambda: _(
                        "states {states} cannot be reached on {day}: every step to them "
                        "has a guard that never passes"
                    ),
                    states=", ".join(unreachable),
                    day=as_of,
                ),
                {
                    "process": process_id,
                    "as_of": as_of.isoformat(),
                    "blocked": sorted(blocked),
                    "expect": {"unreachable": unreachable},
                },
                confirmed=all(refused.values()),
            )


def _guard(
    definition: ProcessDefinition, step: Step, guard: Guard, where: str, as_of: date, gap: bool
) -> Defect:
    source = step.sources[0]
    if gap:  # the source's own: it would pass once the district publishes what is missing
        words = said(
            lambda: _(
                "guard {guard} of step {step} cannot pass on {day} until what the source leaves "
                "unpublished (items of its list, parameter values) is given"
            ),
            guard=guard.id,
            step=step.id,
            day=as_of,
        )
    else:
        words = said(
            lambda: _(
                "guard {guard} of step {step} can never pass on {day}: no "
                "dossier gives it what it expects"
            ),
            guard=guard.id,
            step=step.id,
            day=as_of,
        )
    return Defect(
        "guard_never_passes",
        Severity.INFO if gap else Severity.ERROR,
        f"{definition.id}/{step.id}/{guard.id}",
        where,
        words,
        {
            "process": definition.id,
            "as_of": as_of.isoformat(),
            "path": _path(definition, source),
            "step": step.id,
            "guard": {
                "list": guard.list,
                "expect": guard.expect.value,
                "expression": guard.expression,
                "when": guard.when,
            },
            "expect": {"refused": step.id},
        },
    )


def _never_due(
    definition: ProcessDefinition, step: Step, parameter: str, automatic: bool, where: str
) -> Defect:
    return Defect(
        "deadline_never_due",
        Severity.INFO,
        f"{definition.id}/{step.id}",
        where,
        said(
            lambda: _(
                "the deadline of step {step} never falls due until the source's "
                "parameter {parameter} is given a value (it has none on any date)"
            ),
            step=step.id,
            parameter=parameter,
        ),
        {
            "process": definition.id,
            "step": step.id,
            "parameter": parameter,
            "automatic": automatic,
            "expect": {"deadline": "unknown"},
        },
    )
