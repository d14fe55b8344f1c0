"""What an overlay may do to a criteria list: add the unpublished items (the other six of the
nine 有错无为 conditions), replace or remove an item — only explicitly, with a reason. Each
change is recorded; a rule changed by two overlays is a conflict naming both."""

from __future__ import annotations

from collections.abc import Sequence
from typing import final

import attrs

from governance_core.files import did_you_mean
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.messages import _
from governance_core.rules.common import range_problems
from governance_core.rules.criteria.definition import CriteriaList, Criterion
from governance_core.rules.kinds import Assembly
from governance_core.rules.provenance import Change, ChangeKind, Origin

__all__ = ["Draft", "ItemRemoval", "ItemReplacement", "ListChanges", "apply_list_changes"]


@final
@attrs.frozen(slots=True)
class ItemReplacement:
    """Replace base item ``item`` by ``criterion``; the reason is kept in the provenance."""

    item: str
    reason: str
    criterion: Criterion


@final
@attrs.frozen(slots=True)
class ItemRemoval:
    """Remove base item ``item``; the reason is kept in the provenance."""

    item: str
    reason: str


@final
@attrs.frozen(slots=True)
class ListChanges:
    """Changes to one base list, named by ``list``."""

    list: str
    add: tuple[Criterion, ...] = ()
    replace: tuple[ItemReplacement, ...] = ()
    remove: tuple[ItemRemoval, ...] = ()


@final
@attrs.define(slots=True)
class Draft:
    """A list being assembled: the criteria so far and where each item came from."""

    criteria: CriteriaList
    origin: Origin
    items: list[tuple[Criterion, Origin]]


def apply_list_changes(
    assembly: Assembly, drafts: dict[str, Draft], changes: ListChanges, origin: Origin
) -> None:
    """Apply one overlay entry to the list it names."""
    draft = drafts.get(changes.list)
    if draft is None:
        assembly.problems.at(
            origin,
            ("list",),
            _("no list {list!r} to change").format(list=changes.list),
            changes.list,
            did_you_mean(changes.list, drafts)
            or _("check `governance check` for the loaded lists"),
        )
        return
    _Changing(assembly, draft, origin).apply(changes)


@final
class _Changing:
    __slots__ = ("assembly", "draft", "origin")

    def __init__(self, assembly: Assembly, draft: Draft, origin: Origin) -> None:
        self.assembly = assembly
        self.draft = draft
        self.origin = origin

    def apply(self, changes: ListChanges) -> None:
        self._add(changes.add)
        self._replace(changes.replace)
        self._remove(changes.remove)

    def _record(self, kind: ChangeKind, rule: str, reason: str | None = None) -> None:
        self.assembly.changes.append(Change(kind, rule, self.origin.supplier, reason))

    def _target(self, sub: DataPath, item_id: str) -> int | None:
        """The index of the base item an entry replaces or removes, once it is claimed for
        this overlay; None (with the problem recorded) when it cannot be."""
        draft = self.draft
        rule = f"{draft.criteria.id}.{item_id}"
        if not self.assembly.claim(self.origin, sub, rule):
            return None
        for k, (item, _origin) in enumerate(draft.items):
            if item.id == item_id:
                return k
        ids = [item.id for item, _ in draft.items]
        self.assembly.problems.at(
            self.origin,
            (*sub, "item"),
            _("list {id!r} has no item {item_id!r}").format(id=draft.criteria.id, item_id=item_id),
            rule,
            did_you_mean(item_id, ids)
            or _("its items: {value}").format(value=", ".join(ids) or "none"),
        )
        return None

    def _add(self, added: Sequence[Criterion]) -> None:
        draft, origin, problems = self.draft, self.origin, self.assembly.problems
        list_id = draft.criteria.id
        for j, item in enumerate(added):
            item_origin = attrs.evolve(origin, path=(*origin.path, "add", j))
            rule = f"{list_id}.{item.id}"
            existing = next((o for i, o in draft.items if i.id == item.id), None)
            if existing is not None:
                problems.at(
                    item_origin,
                    ("id",),
                    _("item {id!r} is in the list already").format(id=item.id),
                    rule,
                    _("supplied at {value}; to change it, use replace with a reason").format(
                        value=existing.where()
                    ),
                )
                continue
            self._check_number(item_origin, item)
            problems.add(
                item_origin,
                range_problems(
                    item_origin.located,
                    item_origin.path,
                    rule,
                    item.effective_from,
                    item.effective_to,
                ),
            )
            draft.items.append((item, item_origin))
            self._record(ChangeKind.ADDED, rule)
        if len(draft.items) > draft.criteria.declared_size:
            problems.at(
                origin,
                ("add",),
                _(
                    "the list would have {value} items but its source declares {declared_size}"
                ).format(value=len(draft.items), declared_size=draft.criteria.declared_size),
                list_id,
                _("remove or replace items instead of adding, or check the base list"),
            )

    def _check_number(self, origin: Origin, item: Criterion) -> None:
        if item.number is None:
            return
        draft, problems = self.draft, self.assembly.problems
        rule = f"{draft.criteria.id}.{item.id}"
        size = draft.criteria.declared_size
        if not 1 <= item.number <= size:
            problems.at(
                origin,
                ("number",),
                _("number {number} is outside 1..{size}").format(number=item.number, size=size),
                rule,
            )
        taken = next(
            (i for i, _ in draft.items if i.number == item.number and i.id != item.id), None
        )
        if taken is not None:
            problems.at(
                origin,
                ("number",),
                _("number {number} is item {id!r} already").format(number=item.number, id=taken.id),
                rule,
            )

    def _replace(self, replacements: Sequence[ItemReplacement]) -> None:
        draft, origin = self.draft, self.origin
        for j, replacement in enumerate(replacements):
            sub: DataPath = ("replace", j)
            rule = f"{draft.criteria.id}.{replacement.item}"
            k = self._target(sub, replacement.item)
            if k is None:
                continue
            new = replacement.criterion
            new_origin = attrs.evolve(origin, path=(*origin.path, *sub, "criterion"))
            if new.id != replacement.item:
                self.assembly.problems.at(
                    new_origin,
                    ("id",),
                    _("the replacement's id {id!r} differs from the item it replaces").format(
                        id=new.id
                    ),
                    rule,
                    _("keep the id, or remove the item and add a new one"),
                )
                continue
            self._check_number(new_origin, new)
            draft.items[k] = (new, new_origin)
            self._record(ChangeKind.REPLACED, rule, replacement.reason)

    def _remove(self, removals: Sequence[ItemRemoval]) -> None:
        for j, removal in enumerate(removals):
            k = self._target(("remove", j), removal.item)
            if k is None:
                continue
            del self.draft.items[k]
            rule = f"{self.draft.criteria.id}.{removal.item}"
            self._record(ChangeKind.REMOVED, rule, removal.reason)
