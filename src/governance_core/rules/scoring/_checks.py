"""Load-time checks of votes and grade policies: on their own, and against what they name.

Problems come back as (sub-path, message, hint) so the caller locates them in whatever file or
record the policy came from.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping

from governance_core.files import did_you_mean
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.messages import _
from governance_core.rules.provenance import Found
from governance_core.rules.scoring._grade_policy import (
    Composite,
    GradePolicy,
    OverrideKind,
    Quota,
    VetoKind,
)
from governance_core.rules.scoring._rubric import Rubric, RuleKind
from governance_core.rules.scoring._vote import VoteRule

__all__ = ["grade_policy_problems", "reference_problems", "vote_problems"]


def vote_problems(vote: VoteRule) -> Iterator[Found]:
    if len(set(vote.answers)) != len(vote.answers):
        yield ("answers",), "an answer is listed twice", None
    for answer in vote.satisfied:
        if answer not in vote.answers:
            yield (
                ("satisfied",),
                f"{answer!r} is not one of the answers",
                did_you_mean(answer, vote.answers),
            )
    numerator, denominator = vote.quorum
    if not 0 < numerator <= denominator:
        yield ("quorum",), f"quorum {numerator}/{denominator} must be above 0 and at most 1", None


def _quota_problems(
    kind: str, quotas: tuple[Quota, ...], grades: tuple[str, ...]
) -> Iterator[Found]:
    for i, quota in enumerate(quotas):
        where: DataPath = (kind, i)
        if sum(x is not None for x in (quota.share, quota.count, quota.parameter)) != 1:
            yield where, "a quota has one of share, count or parameter", None
        if quota.share is not None and not 0 < quota.share[0] <= quota.share[1]:
            yield (
                (*where, "share"),
                f"share {list(quota.share)} must be above 0 and at most 1",
                None,
            )
        if quota.count is not None and quota.count < 1:
            yield (*where, "count"), "count must be at least 1", None
        if quota.grade not in grades:
            yield (
                (*where, "grade"),
                f"{quota.grade!r} is not one of the grades",
                did_you_mean(quota.grade, grades),
            )


def grade_policy_problems(policy: GradePolicy) -> Iterator[Found]:
    """What is wrong with a grade policy on its own."""
    grades = policy.grades
    if len(set(grades)) != len(grades):
        yield ("grades",), "a grade is listed twice", None
    if policy.rest not in grades:
        yield (
            ("rest",),
            f"{policy.rest!r} is not one of the grades",
            did_you_mean(policy.rest, grades),
        )
    yield from _quota_problems("top", policy.top, grades)
    yield from _quota_problems("bottom", policy.bottom, grades)
    if policy.min_group is not None and policy.min_group < 1:
        yield ("min_group",), _("min_group must be at least 1"), _("leave it out for no minimum")
    needs_rubric = policy.composite is not Composite.GIVEN
    if needs_rubric != (policy.rubric is not None):
        yield (
            ("rubric",),
            f"a {policy.composite.value} score {'needs' if needs_rubric else 'has no'} rubric",
            None,
        )
    needs_vote = policy.composite is Composite.RUBRIC_TIMES_SATISFACTION
    if needs_vote != (policy.vote is not None):
        yield (
            ("vote",),
            f"a {policy.composite.value} score {'needs' if needs_vote else 'has no'} vote",
            None,
        )
    for i, veto in enumerate(policy.vetoes):
        where: DataPath = ("vetoes", i)
        if veto.grade not in grades:
            yield (
                (*where, "grade"),
                f"{veto.grade!r} is not one of the grades",
                did_you_mean(veto.grade, grades),
            )
        fields = {
            VetoKind.SECTIONS_BELOW: ("sections", "threshold"),
            VetoKind.INPUT_FELL: ("input",),
            VetoKind.LIST_HIT: ("list",),
        }[veto.kind]
        for name in ("sections", "threshold", "input", "list"):
            present = getattr(veto, name) is not None
            if present != (name in fields):
                yield (
                    where,
                    f"a {veto.kind.value} veto {'needs' if name in fields else 'has no'} {name}",
                    None,
                )
    for i, override in enumerate(policy.overrides):
        where = ("overrides", i)
        if override.grade not in grades:
            yield (
                (*where, "grade"),
                f"{override.grade!r} is not one of the grades",
                did_you_mean(override.grade, grades),
            )
        wanted = "list" if override.kind is OverrideKind.LIST_HIT else "parameter"
        for name in ("list", "parameter"):
            if (getattr(override, name) is not None) != (name == wanted):
                yield (
                    where,
                    f"a {override.kind.value} override {'needs' if name == wanted else 'has no'} {name}",
                    None,
                )
    for i, band in enumerate(policy.bands):
        if band.grade not in grades:
            yield (
                ("bands", i, "grade"),
                f"{band.grade!r} is not one of the grades",
                did_you_mean(band.grade, grades),
            )
    for grade in policy.consequences:
        if grade not in grades:
            yield (
                ("consequences", grade),
                f"{grade!r} is not one of the grades",
                did_you_mean(grade, grades),
            )


def _missing(kind: str, name: str, known: Collection[str]) -> tuple[str, str | None]:
    return f"no {kind} {name!r} is loaded", did_you_mean(
        name, known
    ) or f"loaded: {', '.join(sorted(known)) or 'none'}"


def reference_problems(
    policy: GradePolicy,
    rubrics: Mapping[str, Rubric],
    votes: Collection[str],
    lists: Collection[str],
    parameters: Collection[str],
) -> Iterator[Found]:
    """What a grade policy names that is not loaded, or does not fit."""
    rubric = rubrics.get(policy.rubric or "")
    if policy.rubric is not None and rubric is None:
        yield ("rubric",), *_missing("rubric", policy.rubric, rubrics)
    if policy.vote is not None and policy.vote not in votes:
        yield ("vote",), *_missing("vote", policy.vote, votes)
    for i, veto in enumerate(policy.vetoes):
        if veto.list is not None and veto.list not in lists:
            yield ("vetoes", i, "list"), *_missing("criteria list", veto.list, lists)
        if rubric is None:
            continue
        section_ids = [s.id for s in rubric.sections]
        for section in veto.sections or ():
            if section not in section_ids:
                yield (
                    ("vetoes", i, "sections"),
                    *_missing(f"section of {rubric.id}", section, section_ids),
                )
        if veto.input is not None:
            steps = [r.input for _, _, r in rubric.rules() if r.kind is RuleKind.GRADE_STEPS]
            if veto.input not in steps:
                yield (
                    ("vetoes", i, "input"),
                    f"{veto.input!r} is no grade_steps input of {rubric.id}",
                    did_you_mean(veto.input, steps),
                )
    named = [(("top", i, "parameter"), q.parameter) for i, q in enumerate(policy.top)]
    named += [(("bottom", i, "parameter"), q.parameter) for i, q in enumerate(policy.bottom)]
    named += [(("bands", i, "at_least"), b.at_least) for i, b in enumerate(policy.bands)]
    for where, name in named:
        if name is not None and name not in parameters:
            yield where, *_missing("parameter", name, parameters)
    for i, override in enumerate(policy.overrides):
        if override.list is not None and override.list not in lists:
            yield ("overrides", i, "list"), *_missing("criteria list", override.list, lists)
        if override.parameter is not None and override.parameter not in parameters:
            yield (
                ("overrides", i, "parameter"),
                *_missing("parameter", override.parameter, parameters),
            )
