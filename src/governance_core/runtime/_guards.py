"""Guards evaluated for an instance's subject as of the fire's date.

A list guard passes only on a conclusive outcome: a requirement list with items the source
names but nobody has encoded cannot confirm eligibility, and says so. Anything that cannot be
decided blocks the step, with the reason, rather than letting it through.
"""

from __future__ import annotations

from datetime import date
from typing import final

from governance_core.expressions import UNKNOWN, Checked, check_expression, explain
from governance_core.loading.policy_set import PolicySet
from governance_core.model import Dossier
from governance_core.rules.criteria.verdicts import ItemStatus, ListVerdict, Outcome
from governance_core.rules.procedures import Expect, Guard
from governance_core.runtime.records import GuardStatus, GuardVerdict

__all__ = ["CompiledGuard"]


def _list_status(verdict: ListVerdict, expect: Expect) -> tuple[GuardStatus, str]:
    wanted = Outcome.HIT if expect is Expect.HIT else Outcome.NOT_HIT
    c = verdict.completeness
    where = f"list {verdict.list_id} ({verdict.title.zh})"
    if verdict.outcome is Outcome.NOT_IN_EFFECT:
        return GuardStatus.UNKNOWN, f"{where} is not in effect on {verdict.as_of}"
    if verdict.outcome is Outcome.UNKNOWN:
        unknown = [i.id for i in verdict.items if i.status is ItemStatus.UNKNOWN]
        why = (
            f"items {', '.join(unknown)} are unknown" if unknown else "none of its items is encoded"
        )
        return GuardStatus.UNKNOWN, f"{where} cannot be decided: {why}"
    if not verdict.conclusive:
        return (
            GuardStatus.UNKNOWN,
            f"{where} is {verdict.outcome.value} on the {c.encoded} of {c.declared} items "
            "encoded; the others could change it",
        )
    if verdict.outcome is wanted:
        return GuardStatus.PASSED, f"{where} is {verdict.outcome.value}, as required"
    return GuardStatus.FAILED, f"{where} is {verdict.outcome.value}; the step needs {wanted.value}"


@final
class CompiledGuard:
    """A guard with its expressions checked against the policy set's schema."""

    __slots__ = ("expression", "guard", "when")

    def __init__(self, guard: Guard, policies: PolicySet) -> None:
        self.guard = guard
        self.expression = self._check(guard.expression, policies)
        self.when = self._check(guard.when, policies)

    @staticmethod
    def _check(text: str | None, policies: PolicySet) -> Checked | None:
        # already checked, located, when the policy set was assembled
        return None if text is None else check_expression(text, policies.schema)

    def verdict(self, dossier: Dossier | None, policies: PolicySet, day: date) -> GuardVerdict:
        g = self.guard
        if dossier is None:
            return GuardVerdict(
                g.id, g.title, GuardStatus.UNKNOWN, f"guard {g.id}: nothing is known of the subject"
            )
        values = policies.values_on(day)
        if self.when is not None:
            applies = explain(self.when, dossier, values)
            if applies.value is UNKNOWN or not applies.value:
                status = (
                    GuardStatus.UNKNOWN if applies.value is UNKNOWN else GuardStatus.NOT_APPLICABLE
                )
                return GuardVerdict(
                    g.id,
                    g.title,
                    status,
                    f"guard {g.id}: {g.when} is {'unknown' if applies.value is UNKNOWN else 'false'}",
                    explanation=applies,
                )
        if g.list is not None:
            listed = policies.list(g.list).evaluate([dossier], values, explain=True)[0]
            status, reason = _list_status(listed, g.expect)
            return GuardVerdict(g.id, g.title, status, f"guard {g.id}: {reason}", listed)
        assert self.expression is not None  # a guard has a list or an expression (checked)
        why = explain(self.expression, dossier, values)
        if why.value is UNKNOWN:
            status, word = GuardStatus.UNKNOWN, "unknown"
        else:
            status, word = (
                (GuardStatus.PASSED, "true") if why.value else (GuardStatus.FAILED, "false")
            )
        return GuardVerdict(
            g.id, g.title, status, f"guard {g.id}: {g.expression} is {word}", explanation=why
        )
