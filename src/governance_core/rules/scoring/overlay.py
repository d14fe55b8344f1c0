"""What an overlay may change of a grade policy: the settings its source leaves ambiguous —
how a quota's share is rounded, what a tie at a quota's edge gets, whether a vetoed person's
place is refilled, whom a share is taken of, the smallest group a quota applies to — each with
a reason, recorded like every overlay change. A district that
wants ``vetoed_slot: leave`` says so in a few lines instead of copying the whole policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import final

import attrs

from governance_core.files import did_you_mean
from governance_core.messages import _
from governance_core.rules.kinds import Assembly
from governance_core.rules.provenance import Change, ChangeKind, Origin
from governance_core.rules.scoring._grade_policy import (
    GradePolicy,
    QuotaBase,
    Rounding,
    Ties,
    VetoedSlot,
)
from governance_core.rules.scoring._rubric import Rubric, RubricLine, ScoringRule, UnitRounding

__all__ = ["GradePolicySettings", "RubricSettings", "apply_rubric_settings", "apply_settings"]


@final
@attrs.frozen(slots=True)
class GradePolicySettings:
    """New settings for the base grade policy ``grade_policy``; those left out stay."""

    grade_policy: str
    reason: str
    rounding: Rounding | None = None
    ties: Ties | None = None
    vetoed_slot: VetoedSlot | None = None
    quota_base: QuotaBase | None = None
    min_group: int | None = None

    def given(self) -> dict[str, str]:
        """The settings given, by name, as their values read (``vetoed_slot: leave``)."""
        settings = {
            "rounding": self.rounding,
            "ties": self.ties,
            "vetoed_slot": self.vetoed_slot,
            "quota_base": self.quota_base,
        }
        given = {name: value.value for name, value in settings.items() if value is not None}
        if self.min_group is not None:
            given["min_group"] = str(self.min_group)
        return given

    def applied_to(self, policy: GradePolicy) -> GradePolicy:
        return attrs.evolve(
            policy,
            rounding=self.rounding or policy.rounding,
            ties=self.ties or policy.ties,
            vetoed_slot=self.vetoed_slot or policy.vetoed_slot,
            quota_base=self.quota_base or policy.quota_base,
            min_group=self.min_group if self.min_group is not None else policy.min_group,
        )


def apply_settings(
    assembly: Assembly,
    policies: Mapping[str, tuple[GradePolicy, Origin]],
    entries: list[tuple[GradePolicySettings, Origin]],
) -> dict[str, GradePolicy]:
    """The grade policies with every overlay's settings applied, each change recorded; a
    policy changed by two overlays, an unknown policy or an entry that sets nothing is a
    located problem."""
    changed = {policy_id: policy for policy_id, (policy, _origin) in policies.items()}
    for settings, origin in entries:
        policy_id = settings.grade_policy
        if policy_id not in changed:
            assembly.problems.at(
                origin,
                ("grade_policy",),
                _("no grade policy {id!r} to change").format(id=policy_id),
                policy_id,
                did_you_mean(policy_id, changed) or _("see governance check for the loaded ones"),
            )
            continue
        given = settings.given()
        if settings.min_group is not None and settings.min_group < 1:
            assembly.problems.at(
                origin,
                ("min_group",),
                _("min_group must be at least 1"),
                policy_id,
                _("leave it out for no minimum"),
            )
            continue
        if not given:
            assembly.problems.at(
                origin,
                (),
                _("the entry changes nothing"),
                policy_id,
                _("set rounding, ties, vetoed_slot, quota_base or min_group"),
            )
            continue
        if not assembly.claim(origin, ("grade_policy",), policy_id):
            continue
        changed[policy_id] = settings.applied_to(changed[policy_id])
        words = ", ".join(f"{name}: {value}" for name, value in given.items())
        change = Change(
            ChangeKind.REPLACED, f"{policy_id} ({words})", origin.supplier, settings.reason
        )
        assembly.changes.append(change)
    return changed


@final
@attrs.frozen(slots=True)
class RubricSettings:
    """A new unit rounding for the per-amount rule ``rule`` of the base rubric ``rubric``
    (1.9万 → 1 unit, or 1.9): the one setting a rubric's source leaves open."""

    rubric: str
    rule: str
    reason: str
    rounding: UnitRounding


def _with_rounding(rubric: Rubric, rule_id: str, rounding: UnitRounding) -> Rubric | None:
    """``rubric`` with its rule ``rule_id`` rounding amounts as said; None without that rule
    or when the rule reads no amount."""
    found = False

    def rule(r: ScoringRule) -> ScoringRule:
        nonlocal found
        if r.id != rule_id or r.rounding is None:
            return r
        found = True
        return attrs.evolve(r, rounding=rounding)

    def line(li: RubricLine) -> RubricLine:
        return attrs.evolve(li, rules=tuple(map(rule, li.rules)))

    sections = tuple(attrs.evolve(s, lines=tuple(map(line, s.lines))) for s in rubric.sections)
    return attrs.evolve(rubric, sections=sections) if found else None


def apply_rubric_settings(
    assembly: Assembly,
    rubrics: Mapping[str, Rubric],
    entries: list[tuple[RubricSettings, Origin]],
) -> dict[str, Rubric]:
    """The rubrics with every overlay's unit rounding applied, each change recorded; an unknown
    rubric or rule (or one that reads no amount) is a located problem."""
    changed = dict(rubrics)
    for settings, origin in entries:
        base = changed.get(settings.rubric)
        if base is None:
            assembly.problems.at(
                origin,
                ("rubric",),
                _("no rubric {id!r} to change").format(id=settings.rubric),
                settings.rubric,
                did_you_mean(settings.rubric, changed),
            )
            continue
        rule_id = f"{settings.rubric}.{settings.rule}"
        new = _with_rounding(base, settings.rule, settings.rounding)
        if new is None:
            amounts = [r.id for _s, _l, r in base.rules() if r.rounding is not None]
            assembly.problems.at(
                origin,
                ("rule",),
                _("rubric {rubric!r} has no rule {rule!r} that reads an amount").format(
                    rubric=settings.rubric, rule=settings.rule
                ),
                rule_id,
                did_you_mean(settings.rule, amounts),
            )
            continue
        if not assembly.claim(origin, ("rule",), rule_id):
            continue
        changed[settings.rubric] = new
        words = _("{rule_id} (rounding: {value})").format(
            rule_id=rule_id, value=settings.rounding.value
        )
        assembly.changes.append(
            Change(ChangeKind.REPLACED, words, origin.supplier, settings.reason)
        )
    return changed
