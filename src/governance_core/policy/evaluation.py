"""Evaluate a criteria list for dossiers: compiled for speed, interpreted to explain.

Without explanation, the items in effect run as one compiled function per list, and each
item's verdict is one of four prebuilt immutable records, so a record costs one Python call
and one tuple. When a fact is missing (MissingFact), that record's items are re-evaluated one
by one and the missing ones by the three-valued interpreter, so the result is the same as in
explain mode, only without the reasons.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, final

from governance_core.errors import EvaluationError
from governance_core.model import Dossier
from governance_core.policy.criteria import CriteriaList, Criterion, HitPolicy
from governance_core.policy.expressions import (
    UNKNOWN,
    Checked,
    MissingFact,
    compile_many,
    explain,
)
from governance_core.policy.expressions.codegen import CompiledFunction, compile_one
from governance_core.policy.verdicts import (
    Completeness,
    ItemStatus,
    ItemVerdict,
    ListVerdict,
    Outcome,
)

__all__ = ["CompiledList"]

_FAILURES = (ArithmeticError, ValueError, TypeError, OverflowError)


def _status(value: Any) -> ItemStatus:
    if value is UNKNOWN:
        return ItemStatus.UNKNOWN
    return ItemStatus.MET if value else ItemStatus.NOT_MET


@final
class _Item:
    __slots__ = ("by_value", "checked", "criterion", "function", "prebuilt", "supplied_by")

    def __init__(self, criterion: Criterion, checked: Checked, supplied_by: str) -> None:
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


@final
class CompiledList:
    """A criteria list with its expressions checked and compiled, ready to evaluate."""

    __slots__ = ("_by_day", "_completeness", "_items", "criteria", "supplied_by")

    def __init__(
        self, criteria: CriteriaList, checked: Sequence[Checked], supplied_by: str
    ) -> None:
        self.criteria = criteria
        self.supplied_by = supplied_by
        self._items = tuple(
            _Item(c, k, supplied_by) for c, k in zip(criteria.items, checked, strict=True)
        )
        self._by_day: dict[frozenset[int], CompiledFunction] = {}
        self._completeness = Completeness(
            len(criteria.items), criteria.declared_size, criteria.missing_numbers()
        )

    @property
    def id(self) -> str:
        return self.criteria.id

    @property
    def parameters(self) -> frozenset[str]:
        return frozenset().union(*(i.checked.parameters for i in self._items))

    def completeness(self) -> Completeness:
        return self._completeness

    def _live(self, day: date) -> tuple[int, ...]:
        if not self.criteria.in_effect(day):
            return ()
        return tuple(i for i, item in enumerate(self._items) if item.criterion.in_effect(day))

    def _function(self, live: tuple[int, ...]) -> CompiledFunction:
        key = frozenset(live)
        function = self._by_day.get(key)
        if function is None:
            function = compile_many([self._items[i].checked for i in live], self.id)
            self._by_day[key] = function
        return function

    def evaluate(
        self,
        dossiers: Sequence[Dossier],
        parameters: Mapping[str, Any],
        *,
        explain: bool = True,
    ) -> list[ListVerdict]:
        """One verdict per dossier, in the dossiers' order."""
        by_day: dict[date, tuple[tuple[int, ...], CompiledFunction]] = {}
        verdicts = []
        for dossier in dossiers:
            live_and_fn = by_day.get(dossier.as_of)
            if live_and_fn is None:
                live = self._live(dossier.as_of)
                live_and_fn = by_day[dossier.as_of] = (live, self._function(live))
            live, function = live_and_fn
            if explain:
                items, outcome = self._explained(dossier, parameters, live)
            else:
                items, outcome = self._fast(dossier, parameters, live, function)
            verdicts.append(self._verdict(dossier, items, outcome, explained=explain))
        return verdicts

    def _fast(
        self,
        dossier: Dossier,
        parameters: Mapping[str, Any],
        live: tuple[int, ...],
        function: CompiledFunction,
    ) -> tuple[tuple[ItemVerdict, ...], Outcome]:
        try:
            values: Sequence[Any] = function(dossier, parameters)
        except (MissingFact, *_FAILURES):
            # one by one: the interpreter settles unknowns, and a failure names its item
            values = [self._one(dossier, parameters, self._items[i]) for i in live]
        outcome = self._outcome_of_values(values)
        if len(live) == len(self._items):
            items = tuple([item.by_value[v] for item, v in zip(self._items, values, strict=True)])
            return items, outcome
        by_index = dict(zip(live, values, strict=True))
        return tuple(
            item.by_value[by_index[i]] if i in by_index else item.prebuilt[ItemStatus.NOT_IN_EFFECT]
            for i, item in enumerate(self._items)
        ), outcome

    def _outcome_of_values(self, values: Sequence[Any]) -> Outcome:
        """Combine the values of the items in effect (True, False or UNKNOWN) by the hit policy,
        unknown being Kleene's third value; ``in`` tests them by identity first."""
        if not values:
            return Outcome.NOT_IN_EFFECT
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
        self, dossier: Dossier, parameters: Mapping[str, Any], live: tuple[int, ...]
    ) -> tuple[tuple[ItemVerdict, ...], Outcome]:
        result = []
        values = []
        for i, item in enumerate(self._items):
            if i not in live:
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
        return tuple(result), self._outcome_of_values(values)

    @contextmanager
    def _failures_named(self, dossier: Dossier, item: _Item) -> Iterator[None]:
        """Turn an arithmetic or value failure into an EvaluationError naming rule and person."""
        try:
            yield
        except _FAILURES as exc:
            rule = f"{self.id}.{item.criterion.id}"
            raise EvaluationError(rule, dossier.person.id, f"{type(exc).__name__}: {exc}") from exc

    def _verdict(
        self,
        dossier: Dossier,
        items: tuple[ItemVerdict, ...],
        outcome: Outcome,
        *,
        explained: bool,
    ) -> ListVerdict:
        c = self.criteria
        completeness = self._completeness
        # Items not encoded can only change an outcome that the encoded items did not settle
        # by a decisive value: "not hit" for an any-list, "hit" for an all-list.
        settled = (
            (outcome is Outcome.HIT)
            if c.hit_policy is HitPolicy.ANY
            else (outcome is Outcome.NOT_HIT)
        )
        conclusive = completeness.complete or settled or outcome is Outcome.NOT_IN_EFFECT
        return ListVerdict(
            c.id,
            c.title,
            c.citation,
            c.effect,
            c.hit_policy,
            dossier.person.id,
            dossier.person.name,
            dossier.as_of,
            outcome,
            conclusive,
            completeness,
            items,
            c.procedure,
            explained,
        )
