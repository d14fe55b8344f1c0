"""A criteria list checked on its own, where it was written: its declared size, its items'
ids and numbers, its dates of effect, and whether it names the procedure it opens."""

from __future__ import annotations

from collections.abc import Iterator

from governance_core.errors import Problem
from governance_core.files import Located
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.messages import _
from governance_core.rules.common import range_problems
from governance_core.rules.criteria.definition import CriteriaList, Effect

__all__ = ["list_problems"]


def list_problems(
    located: Located, base: DataPath, criteria: CriteriaList
) -> tuple[CriteriaList, list[Problem]]:
    """The list unchanged, and what is wrong with it."""
    return criteria, list(_problems(located, base, criteria))


def _problems(located: Located, base: DataPath, criteria: CriteriaList) -> Iterator[Problem]:
    rule = criteria.id
    if criteria.declared_size < 1:
        yield located.problem(
            (*base, "declared_size"), _("declared_size must be at least 1"), rule_id=rule
        )
    if len(criteria.items) > criteria.declared_size:
        yield located.problem(
            (*base, "items"),
            _("{encoded} items are encoded but the source declares {declared_size}").format(
                encoded=len(criteria.items), declared_size=criteria.declared_size
            ),
            rule_id=rule,
            hint=_("check declared_size against the source"),
        )
    if (criteria.effect is Effect.OPENS_PROCEDURE) != (criteria.procedure is not None):
        yield located.problem(
            base,
            _(
                "a list whose effect is opens_procedure names its procedure, and only such a list does"
            ),
            rule_id=rule,
        )
    yield from range_problems(located, base, rule, criteria.effective_from, criteria.effective_to)
    seen_ids: dict[str, int] = {}
    seen_numbers: dict[int, int] = {}
    for j, item in enumerate(criteria.items):
        path: DataPath = (*base, "items", j)
        item_rule = f"{rule}.{item.id}"
        if item.id in seen_ids:
            yield located.problem(
                (*path, "id"),
                _("duplicate item id {id!r}").format(id=item.id),
                rule_id=item_rule,
                hint=_("item {value} of the list has it already").format(
                    value=seen_ids[item.id] + 1
                ),
            )
        seen_ids.setdefault(item.id, j)
        if item.number is not None:
            if not 1 <= item.number <= criteria.declared_size:
                yield located.problem(
                    (*path, "number"),
                    _("number {number} is outside 1..{declared_size}").format(
                        number=item.number, declared_size=criteria.declared_size
                    ),
                    rule_id=item_rule,
                )
            elif item.number in seen_numbers:
                yield located.problem(
                    (*path, "number"),
                    _("number {number} is used twice").format(number=item.number),
                    rule_id=item_rule,
                )
            seen_numbers.setdefault(item.number, j)
        yield from range_problems(located, path, item_rule, item.effective_from, item.effective_to)
