"""Load-time checks of a procedure, run on the definition as merged from every plugin and
overlay: one initial state, every state reachable, terminal states absorbing, every state able
to reach an end, steps naming known states, roles and parameters.

Problems come back as (element, sub-path, message, hint): the element is the state or step
concerned (("steps", id), ("states", id)) or None for the definition, so the caller locates the
problem in whichever file supplied that element.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator, Mapping

from governance_core.files import did_you_mean
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.messages import _
from governance_core.rules.parameters import ParameterKind
from governance_core.rules.procedures._definition import (
    DueKind,
    DueRule,
    ProcessDefinition,
    Step,
    SubjectKind,
)

__all__ = ["Element", "ProcessFound", "definition_problems", "reference_problems"]

Element = tuple[str, str] | None
ProcessFound = tuple[Element, DataPath, str, str | None]


def _duplicates(ids: list[str]) -> list[str]:
    return [k for k, n in Counter(ids).items() if n > 1]


def definition_problems(definition: ProcessDefinition) -> Iterator[ProcessFound]:
    """What is wrong with the definition on its own."""
    states = {s.id: s for s in definition.states}
    roles = {r.id for r in definition.roles}
    for kind, ids in (
        ("states", [s.id for s in definition.states]),
        ("steps", [s.id for s in definition.steps]),
        ("roles", [r.id for r in definition.roles]),
    ):
        for twice in _duplicates(ids):
            yield (
                (kind, twice),
                ("id",),
                _("{element} id {twice!r} is used twice").format(element=kind[:-1], twice=twice),
                None,
            )
    if definition.version < 1:
        yield None, ("version",), _("version must be at least 1"), None
    if definition.initial not in states:
        yield (
            None,
            ("initial",),
            _("the initial state {initial!r} is not one of the states").format(
                initial=definition.initial
            ),
            did_you_mean(definition.initial, states),
        )
    elif states[definition.initial].terminal:
        yield None, ("initial",), _("the initial state is terminal: nothing could happen"), None
    if not any(s.terminal for s in definition.states):
        yield None, ("states",), _("no state is terminal: the procedure could never end"), None
    terminal = {s.id for s in definition.states if s.terminal}
    for step in definition.steps:
        yield from _step_problems(definition, step, states, roles, terminal)
    if definition.initial in states:
        yield from _graph_problems(definition)


def _step_problems(
    definition: ProcessDefinition,
    step: Step,
    states: Mapping[str, object],
    roles: Collection[str],
    terminal: Collection[str],
) -> Iterator[ProcessFound]:
    where = ("steps", step.id)
    if not step.sources:
        yield where, ("sources",), _("a step leaves from at least one state"), None
    for k, source in enumerate(step.sources):
        if source not in states:
            yield (
                where,
                ("sources", k),
                _("no state {source!r}").format(source=source),
                did_you_mean(source, states),
            )
        elif source in terminal:
            yield (
                where,
                ("sources", k),
                _("state {source!r} is terminal; no step may leave it").format(source=source),
                _("make the state non-terminal, or start the step elsewhere"),
            )
    if step.dest is not None and step.dest not in states:
        yield (
            where,
            ("dest",),
            _("no state {dest!r}").format(dest=step.dest),
            did_you_mean(step.dest, states),
        )
    if step.dest is None and step.required:
        yield where, ("required",), _("a step that stays in its state cannot be required"), None
    for k, role in enumerate(step.roles):
        if role not in roles:
            yield (
                where,
                ("roles", k),
                _("no role {role!r}").format(role=role),
                did_you_mean(role, roles),
            )
    if step.automatic:
        if step.roles:
            yield (
                where,
                ("roles",),
                _("an automatic step is taken by the sweeper, so it names no roles"),
                None,
            )
        if step.guards or step.evidence:
            yield where, (), _("an automatic step has no guards and needs no evidence"), None
    elif not step.roles:
        yield where, ("roles",), _("name the roles that may take the step"), None
    for twice in _duplicates([g.id for g in step.guards]):
        yield where, ("guards",), _("guard id {twice!r} is used twice").format(twice=twice), None
    for twice in _duplicates([e.id for e in step.evidence]):
        yield (
            where,
            ("evidence",),
            _("evidence kind {twice!r} is listed twice").format(twice=twice),
            None,
        )
    for k, guard in enumerate(step.guards):
        if (guard.list is None) == (guard.expression is None):
            yield where, ("guards", k), _("a guard has either a list or an expression"), None
    if step.guards and definition.subject is not SubjectKind.PERSON:
        yield (
            where,
            ("guards",),
            _("guards read facts about a person; this procedure is about a {subject}").format(
                subject=definition.subject.value
            ),
            _("check the evidence a step requires instead"),
        )
    if step.due is not None:
        for sub, message in _due_problems(step.due):
            yield where, ("due", *sub), message, None


def _due_problems(due: DueRule) -> Iterator[tuple[DataPath, str]]:
    counted = due.count is not None or due.parameter is not None
    if due.kind is DueKind.END_OF_QUARTER:
        if counted:
            yield (), _("end_of_quarter takes neither count nor parameter")
        return
    if due.kind is DueKind.BEFORE_DATE:
        if due.parameter is None or due.count is not None:
            yield (), _("before_date takes a date parameter, and no count")
        if due.automatic:  # a later batch has no such day: nothing for a timeout to wait for
            yield ("automatic",), _("a before_date deadline is not a timeout: drop automatic")
        return
    if due.count is not None and due.parameter is not None:
        yield (), _("give either count or parameter, not both")
    elif not counted:
        yield (), _("{due} needs a count or a parameter").format(due=due.kind.value)
    if due.count is not None:
        low, high = (1, 28) if due.kind is DueKind.BEFORE_DAY_OF_NEXT_MONTH else (1, 3660)
        if not low <= due.count <= high:
            yield (
                ("count",),
                _("count {count} is outside {low}..{high}").format(
                    count=due.count, low=low, high=high
                ),
            )


def _graph_problems(definition: ProcessDefinition) -> Iterator[ProcessFound]:
    """Every state reachable from the initial one, and an end reachable from every state."""
    forward: dict[str, set[str]] = {s.id: set() for s in definition.states}
    backward: dict[str, set[str]] = {s.id: set() for s in definition.states}
    for step in definition.steps:
        if step.dest is None or step.dest not in forward:
            continue
        for source in step.sources:
            if source in forward:
                forward[source].add(step.dest)
                backward[step.dest].add(source)
    reached = _closure({definition.initial}, forward)
    ending = _closure({s.id for s in definition.states if s.terminal}, backward)
    for state in definition.states:
        if state.id not in reached:
            yield (
                ("states", state.id),
                (),
                _("state {id!r} cannot be reached from {initial!r}").format(
                    id=state.id, initial=definition.initial
                ),
                _("add a step into it, or remove it"),
            )
        elif state.id not in ending:
            yield (
                ("states", state.id),
                (),
                _(
                    "no terminal state can be reached from {id!r}: an instance would be stuck"
                ).format(id=state.id),
                _("add a step out of it"),
            )
    for step in definition.steps:
        if step.required and not any(s in reached for s in step.sources):
            yield (
                ("steps", step.id),
                ("sources",),
                _(
                    "required step {id!r} can no longer be taken: none of its states is reached"
                ).format(id=step.id),
                None,
            )


def _closure(start: set[str], edges: Mapping[str, set[str]]) -> set[str]:
    seen = set(start)
    todo = list(start)
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def reference_problems(
    definition: ProcessDefinition,
    lists: Collection[str],
    parameters: Mapping[str, ParameterKind],
    rubrics: Collection[str],
) -> Iterator[ProcessFound]:
    """Lists, parameters and the rubric the definition names, against what is loaded."""
    if definition.rubric is not None and definition.rubric not in rubrics:
        yield (
            None,
            ("rubric",),
            _("no rubric {rubric!r} is loaded").format(rubric=definition.rubric),
            did_you_mean(definition.rubric, rubrics) or _("load the plugin that defines it"),
        )
    for step in definition.steps:
        where = ("steps", step.id)
        for k, guard in enumerate(step.guards):
            if guard.list is not None and guard.list not in lists:
                yield (
                    where,
                    ("guards", k, "list"),
                    _("no list {list!r} is loaded").format(list=guard.list),
                    did_you_mean(guard.list, lists),
                )
        name = step.due.parameter if step.due is not None else None
        if name is None:
            continue
        kind = parameters.get(name)
        if kind is None:
            yield (
                where,
                ("due", "parameter"),
                _("no parameter {name!r}").format(name=name),
                did_you_mean(name, parameters),
            )
        elif step.due is not None and step.due.kind is DueKind.BEFORE_DATE:
            if kind is not ParameterKind.DATE:
                yield (
                    where,
                    ("due", "parameter"),
                    _("parameter {name!r} is not a date").format(name=name),
                    None,
                )
        elif kind is not ParameterKind.NUMBER:
            yield (
                where,
                ("due", "parameter"),
                _("parameter {name!r} is not a number").format(name=name),
                None,
            )
