"""Criteria lists as a kind of rule: the ``lists:`` section of policy files, the ``lists:``
changes of overlays, and their assembly into compiled lists (every item's expression checked
where it was written, items in the source's order)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, final

import attrs

from governance_core.errors import ExpressionError
from governance_core.expressions import ExpressionSchema, check_expression
from governance_core.files import did_you_mean
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.messages import N_, _
from governance_core.rules.common import ById, Title
from governance_core.rules.criteria._checks import list_problems
from governance_core.rules.criteria.definition import CriteriaList
from governance_core.rules.criteria.evaluation import CompiledList
from governance_core.rules.criteria.hookspecs import CriteriaSpecs
from governance_core.rules.criteria.overlay import Draft, ListChanges, apply_list_changes
from governance_core.rules.criteria.titles import schema_titles
from governance_core.rules.kinds import Assembly, SchemaTitles, Section
from governance_core.rules.provenance import Problems

__all__ = ["CRITERIA", "LISTS", "LIST_CHANGES", "CriteriaKind"]


def _list_rule(entry: Mapping[str, Any], below: DataPath) -> str:
    name = str(entry["id"])
    if len(below) >= 2 and below[0] == "items":
        name += "." + str(entry["items"][below[1]]["id"])
    return name


LISTS = Section(
    "lists",
    CriteriaList,
    title=Title("清单", "criteria lists"),
    check=list_problems,
    rule_of=_list_rule,
    hook="governance_criteria_lists",
)
LIST_CHANGES = Section("lists", ListChanges, rule_field="list")


def _compile(draft: Draft, schema: ExpressionSchema, problems: Problems) -> CompiledList | None:
    """Check every item's expression where it was written; compile when all pass."""
    # explicit order, never registration order: the source's numbers first, then as supplied
    items = sorted(draft.items, key=lambda pair: (pair[0].number is None, pair[0].number or 0))
    checked = []
    for item, origin in items:
        try:
            checked.append(
                check_expression(
                    item.expression,
                    schema,
                    file=origin.located.file,
                    rule_id=f"{draft.criteria.id}.{item.id}",
                    locate=partial(origin.located.text_position, (*origin.path, "expression")),
                )
            )
        except ExpressionError as exc:
            problems.add(origin, exc.problems)
    if len(checked) < len(items):
        return None
    criteria = attrs.evolve(draft.criteria, items=tuple(item for item, _ in items))
    return CompiledList(
        criteria, checked, [origin.supplier for _, origin in items], draft.origin.supplier
    )


@final
@attrs.frozen(slots=True)
class CriteriaKind:
    """Criteria lists (清单), compiled; ``PolicySet.of(CRITERIA)`` is the lists by id."""

    name: str = "criteria"
    sections: tuple[Section[Any], ...] = (LISTS,)
    overlay_sections: tuple[Section[Any], ...] = (LIST_CHANGES,)
    titles: Callable[[], SchemaTitles] = schema_titles
    hookspecs: type | None = CriteriaSpecs

    def assemble(self, assembly: Assembly) -> ById[CompiledList]:
        drafts = {
            list_id: Draft(
                criteria,
                origin,
                [
                    (item, attrs.evolve(origin, path=(*origin.path, "items", j)))
                    for j, item in enumerate(criteria.items)
                ],
            )
            for list_id, (criteria, origin) in assembly.records(LISTS).items()
        }
        for changes, origin in assembly.overlay_entries(LIST_CHANGES):
            apply_list_changes(assembly, drafts, changes, origin)
        procedures = assembly.declared("processes")
        for draft in drafts.values():
            named = draft.criteria.procedure
            if named is not None and named not in procedures:
                assembly.problems.at(
                    draft.origin,
                    ("procedure",),
                    _("the list opens procedure {named!r}, which is not loaded").format(
                        named=named
                    ),
                    draft.criteria.id,
                    did_you_mean(named, procedures) or _("load the plugin or file that defines it"),
                )
        compiled = {}
        for list_id, draft in drafts.items():
            found = _compile(draft, assembly.schema, assembly.problems)
            if found is not None:
                compiled[list_id] = found
        return ById(N_("criteria list"), N_("criteria lists"), compiled)


CRITERIA = CriteriaKind()
"""The criteria kind, registered under the entry-point group ``governance_core.kinds``."""
