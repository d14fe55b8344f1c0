"""Evaluate a criteria list for dossiers: compiled for speed, interpreted to explain.

Without explanation, the items in effect run as one compiled function per list, and each
item's verdict is one of four prebuilt immutable records. The item verdicts, outcome and
conclusiveness for a combination of item values are decided once and reused, so a record costs
one call of the compiled function, one dictionary look-up and one ListVerdict. When a fact is missing (MissingFact), that record's items are re-evaluated one
by one and the missing ones by the three-valued interpreter, so the result is the same as in
explain mode, only without the reasons.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, final

from governance_core.errors import EvaluationError
from governance_core.expressions import (
    UNKNOWN,
    Checked,
    CompiledFunction,
    MissingFact,
    compile_many,
    compile_one,
    explain,
)
from governance_core.model import Dossier
from governance_core.rules.common import Supplier
from governance_core.rules.criteria.definition import CriteriaList, Criterion, HitPolicy
from governance_core.rules.criteria.verdicts import (
    Completeness,
    ItemStatus,
    ItemVerdict,
    ListFacts,
    ListVerdict,
    Outcome,
)

__all__ = ["CompiledList"]

_FAILURES = (ArithmeticError, ValueError, TypeError, OverflowError)


def _holds_any(dossier: Dossier, roles: tuple[str, ...]) -> bool:
    """Whether the person holds a post of one of ``roles`` on the dossier's day."""
    return any(p.role in roles and p.held_on(dossier.as_of) for p in dossier.posts)


def _status(value: Any) -> ItemStatus:
    if value is UNKNOWN:
        return ItemStatus.UNKNOWN
    return ItemStatus.MET if value else ItemStatus.NOT_MET


@final
class _Item:
    __slots__ = ("by_value", "checked", "criterion", "function", "prebuilt", "supplied_by")

    def __init__(self, criterion: Criterion, checked: Checked, supplied_by: Supplier) -> None:
        self.criterion = criterion
        self.checked = checked
        self.supplied_by = supplied_by
        self.function: CompiledFunction = compile_one(checked)
        self.prebuilt = {status: self.verdict(status) for status in ItemStatus}
        self.by_value: dict[Any, ItemVerdict] = {
            True: self.prebuilt[ItemStatus.MET],
            False: self.prebuilt[ItemStatus.NOT_MET],
            UNKNOWN: self.prebuilt[ItemStatus.UNKNOWN],
        }

    def verdict(self, status: ItemStatus, **explained: Any) -> ItemVerdict:
        c = self.criterion
        return ItemVerdict(
            c.id,
            c.number,
            c.title,
            c.citation,
            status,
            c.expression,
            supplied_by=self.supplied_by,
            **explained,
        )


# Distinct value combinations remembered per set of live items; 12 two-valued items have
# 4,096, so typical lists are fully cached, and a pathological one just stops caching.
_DECISIONS_KEPT = 8192

_Decision = tuple[tuple[ItemVerdict, ...], Outcome, bool]


@final
class _LiveSet:
    """The items in effect on some day, their one compiled function, and the verdict parts
    already decided for a combination of item values (values repeat across a roster)."""

    __slots__ = ("decisions", "function", "in_effect", "indexes")

    def __init__(
        self, in_effect: bool, indexes: tuple[int, ...], function: CompiledFunction
    ) -> None:
        self.in_effect = in_effect  # the list itself, on the day
        self.indexes = indexes
        self.function = function
        self.decisions: dict[tuple[Any, ...], _Decision] = {}


@final
class CompiledList:
    """A criteria list with its expressions checked and compiled, ready to evaluate."""

    __slots__ = ("_conclusive", "_items", "_live_sets", "criteria", "facts", "supplied_by")

    def __init__(
        self,
        criteria: CriteriaList,
        checked: Sequence[Checked],
        item_suppliers: Sequence[Supplier],
        supplied_by: Supplier,
    ) -> None:
        self.criteria = criteria
        self.supplied_by = supplied_by
        self._items = tuple(
            _Item(c, k, s) for c, k, s in zip(criteria.items, checked, item_suppliers, strict=True)
        )
        self._live_sets: dict[tuple[bool, tuple[int, ...]], _LiveSet] = {}
        completeness = Completeness(
            len(criteria.items), criteria.declared_size, criteria.missing_numbers()
        )
        self.facts = ListFacts(
            criteria.id,
            criteria.title,
            criteria.citation,
            criteria.effect,
            criteria.hit_policy,
            completeness,
            criteria.procedure,
            supplied_by,
            criteria.applies_to,
        )
        # Items not encoded can only change an outcome that the encoded items did not settle
        # by a decisive value: "hit" settles an any-list, "not hit" an all-list.
        settling = Outcome.HIT if criteria.hit_policy is HitPolicy.ANY else Outcome.NOT_HIT
        self._conclusive = {
            outcome: completeness.complete
            or outcome is settling
            or outcome in (Outcome.NOT_IN_EFFECT, Outcome.NOT_APPLICABLE)
            for outcome in Outcome
        }

    @property
    def id(self) -> str:
        return self.criteria.id

    @property
    def parameters(self) -> frozenset[str]:
        return frozenset().union(*(i.checked.parameters for i in self._items))

    def completeness(self) -> Completeness:
        return self.facts.completeness

    def checked_items(self) -> tuple[tuple[Criterion, Checked], ...]:
        """Each item with its checked expression, in the list's order (for the analysis)."""
        return tuple((item.criterion, item.checked) for item in self._items)

    def function_on(self, day: date) -> CompiledFunction:
        """The list's one generated function for the items in effect on ``day``:
        ``f(dossier, parameters)`` gives their values in the list's order, and raises
        MissingFact where ``evaluate`` would ask the interpreter."""
        return self._live_on(day).function

    def _live_on(self, day: date) -> _LiveSet:
        in_effect = self.criteria.in_effect(day)
        indexes = tuple(
            i for i, item in enumerate(self._items) if in_effect and item.criterion.in_effect(day)
        )
        live = self._live_sets.get((in_effect, indexes))
        if live is None:
            function = compile_many([self._items[i].checked for i in indexes], self.id)
            live = self._live_sets[in_effect, indexes] = _LiveSet(in_effect, indexes, function)
        return live

    def evaluate(
        self,
        dossiers: Sequence[Dossier],
        parameters: Mapping[str, Any],
        *,
        explain: bool = True,
    ) -> list[ListVerdict]:
        """One verdict per dossier, in the dossiers' order."""
        by_day: dict[date, _LiveSet] = {}
        verdicts = []
        facts = self.facts
        roles = self.criteria.applies_to
        items: tuple[ItemVerdict, ...]
        for dossier in dossiers:
            if roles and not _holds_any(dossier, roles):  # not whom the source addresses
                items, outcome, conclusive = (), Outcome.NOT_APPLICABLE, True
            else:
                live = by_day.get(dossier.as_of)
                if live is None:
                    live = by_day[dossier.as_of] = self._live_on(dossier.as_of)
                if explain:
                    items, outcome = self._explained(dossier, parameters, live)
                    conclusive = self._conclusive[outcome]
                else:
                    items, outcome, conclusive = self._fast(dossier, parameters, live)
            person = dossier.person
            verdicts.append(
                ListVerdict(
                    facts,
                    person.id,
                    person.name,
                    dossier.as_of,
                    outcome,
                    conclusive,
                    items,
                    explain,
                )
            )
        return verdicts

    def _fast(self, dossier: Dossier, parameters: Mapping[str, Any], live: _LiveSet) -> _Decision:
        try:
            values: tuple[Any, ...] = live.function(dossier, parameters)
        except (MissingFact, *_FAILURES):
            # one by one: the interpreter settles unknowns, and a failure names its item
            values = tuple(self._one(dossier, parameters, self._items[i]) for i in live.indexes)
        decision = live.decisions.get(values)
        if decision is None:
            decision = self._decide(values, live)
            if len(live.decisions) < _DECISIONS_KEPT:
                live.decisions[values] = decision
        return decision

    def _decide(self, values: tuple[Any, ...], live: _LiveSet) -> _Decision:
        """The prebuilt item verdicts and the outcome for these values of the live items."""
        by_index = dict(zip(live.indexes, values, strict=True))
        items = tuple(
            item.by_value[by_index[i]] if i in by_index else item.prebuilt[ItemStatus.NOT_IN_EFFECT]
            for i, item in enumerate(self._items)
        )
        outcome = self._outcome_of_values(values, live)
        return items, outcome, self._conclusive[outcome]

    def _outcome_of_values(self, values: Sequence[Any], live: _LiveSet) -> Outcome:
        """Combine the values of the items in effect (True, False or UNKNOWN) by the hit policy,
        unknown being Kleene's third value; ``in`` tests them by identity first.

        With no item in effect the list is not in effect, unless it is and none of its items
        is encoded yet: then nothing decides it, and the outcome is unknown rather than an
        empty "any" reading as "not hit"."""
        if not values:
            return Outcome.UNKNOWN if live.in_effect and not self._items else Outcome.NOT_IN_EFFECT
        if self.criteria.hit_policy is HitPolicy.ANY:
            if True in values:
                return Outcome.HIT
            return Outcome.UNKNOWN if UNKNOWN in values else Outcome.NOT_HIT
        if False in values:
            return Outcome.NOT_HIT
        return Outcome.UNKNOWN if UNKNOWN in values else Outcome.HIT

    def _one(self, dossier: Dossier, parameters: Mapping[str, Any], item: _Item) -> Any:
        with self._failures_named(dossier, item):
            try:
                return item.function(dossier, parameters)
            except MissingFact:
                return explain(item.checked, dossier, parameters).value

    def _explained(
        self, dossier: Dossier, parameters: Mapping[str, Any], live: _LiveSet
    ) -> tuple[tuple[ItemVerdict, ...], Outcome]:
        result = []
        values = []
        for i, item in enumerate(self._items):
            if i not in live.indexes:
                result.append(item.prebuilt[ItemStatus.NOT_IN_EFFECT])
                continue
            with self._failures_named(dossier, item):
                why = explain(item.checked, dossier, parameters)
            values.append(why.value)
            result.append(
                item.verdict(
                    _status(why.value),
                    observations=why.observations,
                    checks=why.checks,
                    evidence=why.evidence,
                )
            )
        return tuple(result), self._outcome_of_values(values, live)

    @contextmanager
    def _failures_named(self, dossier: Dossier, item: _Item) -> Iterator[None]:
        """Turn an arithmetic or value failure into an EvaluationError naming rule and person."""
        try:
            yield
        except _FAILURES as exc:
            rule = f"{self.id}.{item.criterion.id}"
            raise EvaluationError(rule, dossier.person.id, f"{type(exc).__name__}: {exc}") from exc
