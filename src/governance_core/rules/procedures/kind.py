"""Assemble procedures: definitions from every source, then plugins' extensions (ordered by
supplier), then overlays in order; the merged definition is checked whole and every problem is
located where the element concerned was written.

An extension or overlay only adds roles, states, steps, guards and evidence, or removes a step
that is not required (with a reason); the checks of :mod:`.processes.checks` then refuse any
result with an unreachable state, a non-absorbing terminal state or a required step that can no
longer be taken, so no overlay can orphan a step the source makes indispensable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any, final

import attrs

from governance_core.errors import ExpressionError, Problem
from governance_core.expressions import ExpressionSchema, check_expression
from governance_core.files import Located, did_you_mean
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.messages import N_, _
from governance_core.rules.common import ById, Title, range_problems
from governance_core.rules.kinds import Assembly, SchemaTitles, Section
from governance_core.rules.parameters import ParameterKind
from governance_core.rules.procedures import (
    ProcessChanges,
    ProcessDefinition,
    definition_problems,
    reference_problems,
)
from governance_core.rules.procedures._checks import Element
from governance_core.rules.procedures.hookspecs import ProceduresSpecs
from governance_core.rules.procedures.titles import schema_titles
from governance_core.rules.provenance import Change, ChangeKind, Origin, Problems

__all__ = ["PROCEDURES", "PROCESSES", "PROCESS_CHANGES", "PROCESS_EXTENSIONS", "ProceduresKind"]


@final
@attrs.define(slots=True)
class ProcessDraft:
    """A procedure being assembled, and where each of its elements was written."""

    definition: ProcessDefinition
    origin: Origin
    elements: dict[Element, Origin]

    def origin_of(self, element: Element) -> Origin:
        return self.elements.get(element, self.origin)


def _drafts(assembly: Assembly) -> dict[str, ProcessDraft]:
    drafts = {}
    for name, (definition, origin) in assembly.records(PROCESSES).items():
        elements: dict[Element, Origin] = {}
        for kind in ("states", "steps"):
            for i, element in enumerate(getattr(definition, kind)):
                elements[kind, element.id] = attrs.evolve(origin, path=(*origin.path, kind, i))
        for j, step in enumerate(definition.steps):
            for k, guard in enumerate(step.guards):
                path = (*origin.path, "steps", j, "guards", k)
                elements["guards", f"{step.id}/{guard.id}"] = attrs.evolve(origin, path=path)
        drafts[name] = ProcessDraft(definition, origin, elements)
    return drafts


def _extensions(assembly: Assembly) -> list[tuple[ProcessChanges, Origin]]:
    """Plugins' extensions in the order of their suppliers, never registration order."""
    found = assembly.collected(PROCESS_EXTENSIONS)
    return sorted(found, key=lambda pair: (pair[1].supplier, pair[1].path))


@final
class _Merging:
    """Applies changes to drafts, recording each as a :class:`Change`."""

    def __init__(self, drafts: dict[str, ProcessDraft], problems: Problems) -> None:
        self.drafts = drafts
        self.problems = problems
        self.changes: list[Change] = []

    def apply(self, changes: ProcessChanges, origin: Origin) -> None:
        draft = self.drafts.get(changes.process)
        if draft is None:
            self.problems.at(
                origin,
                ("process",),
                _("no procedure {process!r} to change").format(process=changes.process),
                changes.process,
                did_you_mean(changes.process, self.drafts) or _("load the plugin that defines it"),
            )
            return
        definition = draft.definition
        process = definition.id
        supplier = origin.supplier
        for kind in ("roles", "states", "steps"):
            added = getattr(changes, kind)
            known = {e.id for e in getattr(definition, kind)}
            for i, element in enumerate(added):
                where = attrs.evolve(origin, path=(*origin.path, kind, i))
                if element.id in known:
                    self.problems.at(
                        where,
                        ("id",),
                        _("{process} has a {element} {id!r} already").format(
                            process=process, element=kind[:-1], id=element.id
                        ),
                        process,
                    )
                    continue
                draft.elements[kind, element.id] = where
                if kind == "steps":
                    for k, guard in enumerate(element.guards):
                        draft.elements["guards", f"{element.id}/{guard.id}"] = attrs.evolve(
                            where, path=(*where.path, "guards", k)
                        )
                self.changes.append(Change(ChangeKind.ADDED, f"{process}.{element.id}", supplier))
            extended: dict[str, Any] = {kind: (*getattr(definition, kind), *added)}
            definition = attrs.evolve(definition, **extended)
        steps = {s.id: s for s in definition.steps}
        for i, extension in enumerate(changes.extend):
            where = attrs.evolve(origin, path=(*origin.path, "extend", i))
            step = steps.get(extension.step)
            if step is None:
                self._no_step(where, process, extension.step, steps)
                continue
            for k, guard in enumerate(extension.guards):
                draft.elements["guards", f"{step.id}/{guard.id}"] = attrs.evolve(
                    where, path=(*where.path, "guards", k)
                )
            steps[step.id] = attrs.evolve(
                step,
                guards=(*step.guards, *extension.guards),
                evidence=(*step.evidence, *extension.evidence),
                roles=(*step.roles, *(r for r in extension.roles if r not in step.roles)),
            )
            self.changes.append(Change(ChangeKind.EXTENDED, f"{process}.{step.id}", supplier))
        for i, removal in enumerate(changes.remove):
            where = attrs.evolve(origin, path=(*origin.path, "remove", i))
            step = steps.get(removal.step)
            if step is None:
                self._no_step(where, process, removal.step, steps)
            elif step.required:
                self.problems.at(
                    where,
                    ("step",),
                    _("step {id!r} is required by its source and cannot be removed").format(
                        id=step.id
                    ),
                    f"{process}.{step.id}",
                    _("add steps around it instead"),
                )
            else:
                del steps[step.id]
                self.changes.append(
                    Change(ChangeKind.REMOVED, f"{process}.{step.id}", supplier, removal.reason)
                )
        draft.definition = attrs.evolve(definition, steps=tuple(steps.values()))

    def _no_step(self, where: Origin, process: str, step: str, steps: Iterable[str]) -> None:
        self.problems.at(
            where,
            ("step",),
            _("{process} has no step {step!r}").format(process=process, step=step),
            f"{process}.{step}",
            did_you_mean(step, steps),
        )


def _check(
    draft: ProcessDraft,
    schema: ExpressionSchema,
    lists: Iterable[str],
    parameters: Mapping[str, ParameterKind],
    rubrics: Iterable[str],
    problems: Problems,
) -> bool:
    definition = draft.definition
    found = [
        *definition_problems(definition),
        *reference_problems(definition, set(lists), parameters, set(rubrics)),
    ]
    for element, sub, message, hint in found:
        rule = definition.id if element is None else f"{definition.id}.{element[1]}"
        problems.at(draft.origin_of(element), sub, message, rule, hint)
    sound = not found
    for step in definition.steps:
        for guard in step.guards:
            origin = draft.origin_of(("guards", f"{step.id}/{guard.id}"))
            for field in ("expression", "when"):
                text = getattr(guard, field)
                if text is None:
                    continue
                path: DataPath = (*origin.path, field)
                try:
                    check_expression(
                        text,
                        schema,
                        file=origin.located.file,
                        rule_id=f"{definition.id}.{step.id}.{guard.id}",
                        locate=partial(origin.located.text_position, path),
                    )
                except ExpressionError as exc:
                    problems.add(origin, exc.problems)
                    sound = False
    return sound


def _dated(
    located: Located, base: DataPath, process: ProcessDefinition
) -> tuple[ProcessDefinition, list[Problem]]:
    dates = range_problems(located, base, process.id, process.effective_from, process.effective_to)
    return process, list(dates)


PROCESSES = Section(
    "processes",
    ProcessDefinition,
    title=Title("程序", "procedures"),
    check=_dated,
    hook="governance_process_definitions",
)
PROCESS_EXTENSIONS = Section(
    "process_extensions",
    ProcessChanges,
    title=Title("程序扩展", "procedure extensions"),
    key=lambda changes: changes.process,
    unique=False,
    rule_field="process",
    hook="governance_process_extensions",
)
PROCESS_CHANGES = Section("processes", ProcessChanges, unique=False, rule_field="process")


@final
@attrs.frozen(slots=True)
class ProceduresKind:
    """Procedures: definitions, extended by plugins, then by overlays, each checked whole;
    ``PolicySet.of(PROCEDURES)`` is the merged definitions by id."""

    name: str = "procedures"
    sections: tuple[Section[Any], ...] = (PROCESSES, PROCESS_EXTENSIONS)
    overlay_sections: tuple[Section[Any], ...] = (PROCESS_CHANGES,)
    titles: Callable[[], SchemaTitles] = schema_titles
    hookspecs: type | None = ProceduresSpecs

    def assemble(self, assembly: Assembly) -> ById[ProcessDefinition]:
        drafts = _drafts(assembly)
        merging = _Merging(drafts, assembly.problems)
        for changes, origin in (*_extensions(assembly), *assembly.overlay_entries(PROCESS_CHANGES)):
            merging.apply(changes, origin)
        assembly.changes += merging.changes
        lists = set(assembly.declared("lists"))
        rubrics = set(assembly.declared("rubrics"))
        parameters = {k: p.kind for k, p in assembly.parameters.items()}
        checked = {
            name: draft.definition
            for name, draft in drafts.items()
            if _check(draft, assembly.schema, lists, parameters, rubrics, assembly.problems)
        }
        return ById(N_("procedure"), N_("procedures"), checked)


PROCEDURES = ProceduresKind()
"""The procedures kind, registered under the entry-point group ``governance_core.kinds``."""
