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
        yield ("answers",), _("an answer is listed twice"), None
    for answer in vote.satisfied:
        if answer not in vote.answers:
            yield (
                ("satisfied",),
                _("{answer!r} is not one of the answers").format(answer=answer),
                did_you_mean(answer, vote.answers),
            )
    numerator, denominator = vote.quorum
    if not 0 < numerator <= denominator:
        yield (
            ("quorum",),
            _("quorum {numerator}/{denominator} must be above 0 and at most 1").format(
                numerator=numerator, denominator=denominator
            ),
            None,
        )


def _quota_problems(
    kind: str, quotas: tuple[Quota, ...], grades: tuple[str, ...]
) -> Iterator[Found]:
    for i, quota in enumerate(quotas):
        where: DataPath = (kind, i)
        if sum(x is not None for x in (quota.share, quota.count, quota.parameter)) != 1:
            yield where, _("a quota has one of share, count or parameter"), None
        if quota.share is not None and not 0 < quota.share[0] <= quota.share[1]:
            yield (
                (*where, "share"),
                _("share {value} must be above 0 and at most 1").format(value=list(quota.share)),
                None,
            )
        if quota.count is not None and quota.count < 1:
            yield (*where, "count"), _("count must be at least 1"), None
        if quota.grade not in grades:
            yield (
                (*where, "grade"),
                _("{grade!r} is not one of the grades").format(grade=quota.grade),
                did_you_mean(quota.grade, grades),
            )


def grade_policy_problems(policy: GradePolicy) -> Iterator[Found]:
    """What is wrong with a grade policy on its own."""
    grades = policy.grades
    if len(set(grades)) != len(grades):
        yield ("grades",), _("a grade is listed twice"), None
    if policy.rest not in grades:
        yield (
            ("rest",),
            _("{rest!r} is not one of the grades").format(rest=policy.rest),
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
            (
                _("a {composite} score needs a rubric")
                if needs_rubric
                else _("a {composite} score has no rubric")
            ).format(composite=policy.composite.value),
            None,
        )
    needs_vote = policy.composite is Composite.RUBRIC_TIMES_SATISFACTION
    if needs_vote != (policy.vote is not None):
        yield (
            ("vote",),
            (
                _("a {composite} score needs a vote")
                if needs_vote
                else _("a {composite} score has no vote")
            ).format(composite=policy.composite.value),
            None,
        )
    for i, veto in enumerate(policy.vetoes):
        where: DataPath = ("vetoes", i)
        if veto.grade not in grades:
            yield (
                (*where, "grade"),
                _("{grade!r} is not one of the grades").format(grade=veto.grade),
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
                    (
                        _("a {kind} veto needs {name}")
                        if name in fields
                        else _("a {kind} veto has no {name}")
                    ).format(kind=veto.kind.value, name=name),
                    None,
                )
    for i, override in enumerate(policy.overrides):
        where = ("overrides", i)
        if override.grade not in grades:
            yield (
                (*where, "grade"),
                _("{grade!r} is not one of the grades").format(grade=override.grade),
                did_you_mean(override.grade, grades),
            )
        wanted = "list" if override.kind is OverrideKind.LIST_HIT else "parameter"
        for name in ("list", "parameter"):
            if (getattr(override, name) is not None) != (name == wanted):
                yield (
                    where,
                    (
                        _("a {kind} override needs {name}")
                        if name == wanted
                        else _("a {kind} override has no {name}")
                    ).format(kind=override.kind.value, name=name),
                    None,
                )
    for i, band in enumerate(policy.bands):
        if band.grade not in grades:
            yield (
                ("bands", i, "grade"),
                _("{grade!r} is not one of the grades").format(grade=band.grade),
                did_you_mean(band.grade, grades),
            )
    for grade in policy.consequences:
        if grade not in grades:
            yield (
                ("consequences", grade),
                _("{grade!r} is not one of the grades").format(grade=grade),
                did_you_mean(grade, grades),
            )


def _missing(kind: str, name: str, known: Collection[str]) -> tuple[str, str | None]:
    return _("no {kind} {name!r} is loaded").format(kind=kind, name=name), did_you_mean(
        name, known
    ) or _("loaded: {ids}").format(ids=", ".join(sorted(known)) or _("none"))


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
        yield ("rubric",), *_missing(_("rubric"), policy.rubric, rubrics)
    if policy.vote is not None and policy.vote not in votes:
        yield ("vote",), *_missing(_("vote"), policy.vote, votes)
    for i, veto in enumerate(policy.vetoes):
        if veto.list is not None and veto.list not in lists:
            yield ("vetoes", i, "list"), *_missing(_("criteria list"), veto.list, lists)
        if rubric is None:
            continue
        section_ids = [s.id for s in rubric.sections]
        for section in veto.sections or ():
            if section not in section_ids:
                yield (
                    ("vetoes", i, "sections"),
                    *_missing(_("section of {id}").format(id=rubric.id), section, section_ids),
                )
        if veto.input is not None:
            steps = [r.input for _, _, r in rubric.rules() if r.kind is RuleKind.GRADE_STEPS]
            if veto.input not in steps:
                yield (
                    ("vetoes", i, "input"),
                    _("{input!r} is no grade_steps input of {id}").format(
                        input=veto.input, id=rubric.id
                    ),
                    did_you_mean(veto.input, steps),
                )
    named = [(("top", i, "parameter"), q.parameter) for i, q in enumerate(policy.top)]
    named += [(("bottom", i, "parameter"), q.parameter) for i, q in enumerate(policy.bottom)]
    named += [(("bands", i, "at_least"), b.at_least) for i, b in enumerate(policy.bands)]
    for where, name in named:
        if name is not None and name not in parameters:
            yield where, *_missing(_("parameter"), name, parameters)
    for i, override in enumerate(policy.overrides):
        if override.list is not None and override.list not in lists:
            yield ("overrides", i, "list"), *_missing(_("criteria list"), override.list, lists)
        if override.parameter is not None and override.parameter not in parameters:
            yield (
                ("overrides", i, "parameter"),
                *_missing(_("parameter"), override.parameter, parameters),
            )
