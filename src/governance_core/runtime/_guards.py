"""Guards evaluated for an instance's subject as of the fire's date.

A list guard passes only on a conclusive outcome: a requirement list with items the source
names but nobody has encoded cannot confirm eligibility, and says so. Anything that cannot be
decided blocks the step, with the reason, rather than letting it through.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import final

from governance_core.expressions import UNKNOWN, Checked, check_expression, explain
from governance_core.loading.policy_set import PolicySet
from governance_core.messages import _
from governance_core.model import Dossier
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.criteria.verdicts import ItemStatus, ItemVerdict, ListVerdict, Outcome
from governance_core.rules.effects import EFFECTS
from governance_core.rules.procedures import Expect, Guard
from governance_core.runtime.records import GuardStatus, GuardVerdict

__all__ = ["CompiledGuard"]


def _item_words(item: ItemVerdict, effects: Mapping[str, str] | None = None) -> str:
    """An item by its title, with the values it read (``年龄 = 58``) and the effects that
    decided it, each with its article (``effects``: words by effect record id)."""
    read = "、".join(f"{o.expression} = {o.value}" for o in item.observations)
    named = [effects[e] for e in item.evidence if effects and e in effects]
    if named:
        read = "；".join([read, *named]) if read else "；".join(named)
    return f"{item.title.zh}（{read}）" if read else item.title.zh


def _effect_words(dossier: Dossier, policies: PolicySet) -> dict[str, str]:
    """The effects in force in ``dossier``, each in words with its article, by record id."""
    declared = policies.of(EFFECTS).effects
    found: dict[str, str] = {}
    for effect in dossier.effects or ():
        rule = declared.get(effect.effect)
        title = effect.effect if rule is None else rule.title.zh
        article = "" if rule is None else str(rule.citation)
        found[effect.id] = _("effect {title} ({id}), {article}").format(
            title=title, id=effect.id, article=article
        )
    return found


def _list_status(
    verdict: ListVerdict, expect: Expect, effects: Mapping[str, str] | None = None
) -> tuple[GuardStatus, str]:
    wanted = Outcome.HIT if expect is Expect.HIT else Outcome.NOT_HIT
    c = verdict.completeness
    where = _("list {list} ({title})").format(list=verdict.list_id, title=verdict.title.zh)
    if verdict.outcome is Outcome.NOT_IN_EFFECT:
        return GuardStatus.UNKNOWN, _("{where} is not in effect on {day}").format(
            where=where, day=verdict.as_of
        )
    if verdict.outcome is Outcome.NOT_APPLICABLE:  # not hit, and not met either
        said = _("{where} does not apply to the subject, who holds no post of {roles}").format(
            where=where, roles="、".join(verdict.list.applies_to)
        )
        return (GuardStatus.PASSED if expect is Expect.NOT_HIT else GuardStatus.FAILED), said
    if verdict.outcome is Outcome.UNKNOWN:
        unknown = [_item_words(i) for i in verdict.items if i.status is ItemStatus.UNKNOWN]
        why = (
            _("items unknown: {items}").format(items="；".join(unknown))
            if unknown
            else _("none of its items is encoded")
        )
        return GuardStatus.UNKNOWN, _("{where} cannot be decided: {why}").format(
            where=where, why=why
        )
    outcome = verdict.outcome.words()
    if not verdict.conclusive:
        if verdict.outcome is Outcome.HIT:  # the item that hit is named, not only the list
            met = "；".join(_item_words(i, effects) for i in verdict.met())
            return GuardStatus.UNKNOWN, _(
                "{where} is hit by {items}, on the {encoded} of {declared} items encoded; the "
                "others could change it"
            ).format(where=where, items=met, encoded=c.encoded, declared=c.declared)
        return GuardStatus.UNKNOWN, _(
            "{where} is {outcome} on the {encoded} of {declared} items encoded; the others "
            "could change it"
        ).format(where=where, outcome=outcome, encoded=c.encoded, declared=c.declared)
    if verdict.outcome is wanted:
        return GuardStatus.PASSED, _("{where} is {outcome}, as required").format(
            where=where, outcome=outcome
        )
    # the items that made the outcome the wrong one: not met where a hit was needed, met where
    # it was not
    against = ItemStatus.NOT_MET if wanted is Outcome.HIT else ItemStatus.MET
    items = "；".join(_item_words(i, effects) for i in verdict.items if i.status is against)
    return GuardStatus.FAILED, _("{where} is {outcome}; the step needs {wanted}: {items}").format(
        where=where, outcome=outcome, wanted=wanted.words(), items=items
    )


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
                g.id,
                g.title,
                GuardStatus.UNKNOWN,
                _("guard {id}: nothing is known of the subject").format(id=g.id),
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
                    _("guard {id}: {when} is {value}").format(
                        id=g.id,
                        when=g.when,
                        value=_("unknown") if applies.value is UNKNOWN else _("false"),
                    ),
                    explanation=applies,
                )
        if g.list is not None:
            listed = policies.of(CRITERIA).find(g.list).evaluate([dossier], values, explain=True)[0]
            status, reason = _list_status(listed, g.expect, _effect_words(dossier, policies))
            reason = _("guard {id}: {reason}").format(id=g.id, reason=reason)
            return GuardVerdict(g.id, g.title, status, reason, listed)
        assert self.expression is not None  # a guard has a list or an expression (checked)
        why = explain(self.expression, dossier, values)
        if why.value is UNKNOWN:
            status, word = GuardStatus.UNKNOWN, _("unknown")
        else:
            status, word = (
                (GuardStatus.PASSED, _("true")) if why.value else (GuardStatus.FAILED, _("false"))
            )
        reason = _("guard {id}: {when} is {value}").format(id=g.id, when=g.expression, value=word)
        return GuardVerdict(g.id, g.title, status, reason, explanation=why)
