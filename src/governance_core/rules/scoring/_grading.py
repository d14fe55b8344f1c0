"""Grades from scores, under a :mod:`.grade_policy`: groups, ordering, quotas with explicit
rounding and ties, vetoes and direct overrides. Every grade says which rule put the person
there (docs/scoring.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from fractions import Fraction
from itertools import groupby
from typing import Any, final

import attrs

from governance_core.messages import _, language
from governance_core.rules.common import Title
from governance_core.rules.criteria.verdicts import Outcome
from governance_core.rules.parameters import ParameterValues
from governance_core.rules.scoring._grade_policy import (
    Band,
    GradePolicy,
    Override,
    OverrideKind,
    Quota,
    QuotaBase,
    Rounding,
    Ties,
    Veto,
    VetoedSlot,
    VetoKind,
    parameter_value,
)
from governance_core.rules.scoring._sheet import ScoreSheet
from governance_core.rules.scoring._vote import VoteResult

__all__ = ["Candidate", "Graded", "grade_group"]


@final
@attrs.frozen(slots=True)
class Candidate:
    """A person to grade: group attributes, the score (None when it cannot be computed,
    e.g. an invalid vote), the sheet and vote behind it, and list outcomes for vetoes and
    overrides (by list id)."""

    person_id: str
    name: str
    groups: Mapping[str, str]
    score: Fraction | None
    reason: str = ""
    sheet: ScoreSheet | None = None
    vote: VoteResult | None = None
    lists: Mapping[str, Outcome] = attrs.field(factory=dict)


@final
@attrs.frozen(slots=True)
class Graded:
    """A person's grade and the rule that gave it. ``grade`` is None when it cannot be
    decided; ``conclusive`` is False when a condition could not be known (a list outcome
    unknown, a parameter unpublished): the ``notes`` say which.

    ``rule`` explains in words; ``decided_by`` names the policy's element that placed the
    person (``"quota 优秀"``, ``"band 好"``, ``"override direct_unfit"``, ``"the rest"``; None
    without a score), and ``vetoed_by`` the vetoes that held for them."""

    person_id: str
    name: str
    group: tuple[str, ...]
    score: Fraction | None
    place: int | None
    grade: str | None
    rule: str
    conclusive: bool = True
    notes: tuple[str, ...] = ()
    decided_by: str | None = None
    vetoed_by: tuple[str, ...] = ()


def _veto_holds(veto: Veto, c: Candidate) -> bool | None:
    if veto.kind is VetoKind.SECTIONS_BELOW:
        if c.sheet is None:
            return None
        subtotal = sum(c.sheet.sections.get(s, 0) for s in veto.sections or ())
        return subtotal < (veto.threshold or 0)
    if veto.kind is VetoKind.INPUT_FELL:
        if c.sheet is None:
            return None
        points = c.sheet.points_of(veto.input or "")
        return points is not None and points < 0  # grade steps down cost points
    return _list_holds(veto.list, c)


def _list_holds(list_id: str | None, c: Candidate) -> bool | None:
    outcome = c.lists.get(list_id or "")
    if outcome is None or outcome is Outcome.UNKNOWN:
        return None
    return outcome is Outcome.HIT


def _override_holds(override: Override, c: Candidate, threshold: Any) -> bool | None:
    if override.kind is OverrideKind.LIST_HIT:
        return _list_holds(override.list, c)
    if threshold is None or c.vote is None or c.vote.satisfaction is None:
        return None
    return bool(c.vote.satisfaction < threshold)


Titles = Mapping[str, Title]
"""The titles of the lists vetoes and overrides name, by list id (a grade's reason names the
list by its title, the id beside it)."""


def _list_words(list_id: str | None, c: Candidate, titles: Titles) -> str:
    title = titles.get(list_id or "")
    named = (
        list_id if title is None else _("“{title}” ({id})").format(title=_title(title), id=list_id)
    )
    outcome = c.lists.get(list_id or "")
    if outcome is None or outcome is Outcome.UNKNOWN:
        return _("list {list} cannot be known").format(list=named)
    return _("list {list} is hit").format(list=named)


def _veto_note(veto: Veto, c: Candidate, titles: Titles) -> str:
    """Why a veto holds, in words, with the values that decided it and its article."""
    if veto.kind is VetoKind.SECTIONS_BELOW:
        assert c.sheet is not None
        subtotal = sum(c.sheet.sections.get(s, 0) for s in veto.sections or ())
        what = _("scored {points} < {threshold}").format(
            points=number_words(subtotal), threshold=veto.threshold
        )
    elif veto.kind is VetoKind.INPUT_FELL:
        assert c.sheet is not None
        what = _("{input} fell ({points} points)").format(
            input=veto.input, points=number_words(c.sheet.points_of(veto.input or "") or 0)
        )
    else:
        what = _list_words(veto.list, c, titles)
    return _("{title}: {what}, so not {grade} ({article})").format(
        title=_title(veto.title), what=what, grade=veto.grade, article=veto.citation.article
    )


def _override_why(override: Override, c: Candidate, threshold: Any, titles: Titles) -> str:
    if override.kind is OverrideKind.LIST_HIT:
        return _list_words(override.list, c, titles)
    if threshold is None:
        return _("parameter {parameter} has no value").format(parameter=override.parameter)
    if c.vote is None or c.vote.satisfaction is None:
        return _("no valid vote")
    return _("satisfaction {satisfaction} < {threshold}").format(
        satisfaction=number_words(c.vote.satisfaction), threshold=number_words(threshold)
    )


def _override_rule(override: Override, c: Candidate, threshold: Any, titles: Titles) -> str:
    """An override in words: its rule, the values that decide it (or why they are not
    known) and its article."""
    return _("{title}: {why} ({article})").format(
        title=_title(override.title),
        why=_override_why(override, c, threshold, titles),
        article=override.citation.article,
    )


def _title(title: Title) -> str:
    return title.in_language(language())


def number_words(value: Any) -> str:
    """A score or share as a reader reads it: whole numbers whole, others to two places."""
    number = Fraction(value)
    if number.denominator == 1:
        return str(number.numerator)
    return f"{float(number):.2f}"


_Key = tuple[float, Fraction]


def _ranked(candidates: Sequence[Candidate]) -> tuple[list[Candidate], dict[str, _Key]]:
    """Best first, and each person's sort key: (float, exact fraction).

    Rounding to float never reverses an order (a < b gives float(a) <= float(b)), so floats
    order almost every pair fast, and the exact fraction decides only between equal floats:
    ties and order stay exact. Equal scores keep a fixed order by person id, which decides
    nothing (ties are handled by the policy) but makes the output independent of the
    roster's order.
    """
    key: dict[str, _Key] = {}
    for c in candidates:
        exact = c.score if c.score is not None else Fraction(0)
        key[c.person_id] = (float(exact), exact)
    by_id = sorted(candidates, key=lambda c: c.person_id)
    return sorted(by_id, key=lambda c: key[c.person_id], reverse=True), key


def grade_group(
    policy: GradePolicy,
    group: tuple[str, ...],
    members: Sequence[Candidate],
    parameters: Mapping[str, Any],
    list_titles: Titles | None = None,
) -> list[Graded]:
    """Grade one group's members; the result is in place order, then by person id.
    ``list_titles``: the titles of the lists its vetoes and overrides name, for their words."""
    titles = list_titles or {}
    notes: defaultdict[str, list[str]] = defaultdict(list)  # only for those with notes
    unsure: set[str] = set()
    # person → (grade, the rule that gave it, in words, and the element it names)
    decided: dict[str, tuple[str | None, str, str | None]] = {}

    # 1. overrides, worst grade first; 2. no score, no grade
    thresholds = [(o, parameter_value(o.parameter, parameters)) for o in policy.overrides]
    threshold_of = {o.id: t for o, t in thresholds}
    for c in members:
        forced: list[tuple[int, Override]] = []
        unknown_worst = -1  # the worst grade an override that cannot be known could force
        for override, threshold in thresholds:
            holds = _override_holds(override, c, threshold)
            if holds is None:
                notes[c.person_id].append(_override_rule(override, c, threshold, titles))
                unknown_worst = max(unknown_worst, policy.grades.index(override.grade))
            elif holds:
                forced.append((policy.grades.index(override.grade), override))
        if forced:
            rank, worst = max(forced, key=lambda pair: pair[0])
            if unknown_worst > rank:  # an override not known could still force a worse grade
                unsure.add(c.person_id)
            decided[c.person_id] = (
                worst.grade,
                _override_rule(worst, c, threshold_of[worst.id], titles),
                f"override {worst.id}",
            )
            continue
        if unknown_worst >= 0:
            unsure.add(c.person_id)
        if c.score is None:
            unsure.add(c.person_id)
            decided[c.person_id] = (None, _("no score: {reason}").format(reason=c.reason), None)
    ranked, key = _ranked([c for c in members if c.person_id not in decided])
    places = _places(ranked, key)

    # 3. vetoes: which grades each person may not get
    barred: dict[str, set[str]] = {c.person_id: set() for c in ranked}
    vetoed: defaultdict[str, list[str]] = defaultdict(list)
    for c in ranked:
        for veto in policy.vetoes:
            holds = _veto_holds(veto, c)
            if holds is None:
                unsure.add(c.person_id)
                notes[c.person_id].append(
                    _("{title}: cannot be known ({article})").format(
                        title=_title(veto.title), article=veto.citation.article
                    )
                )
            elif holds:
                barred[c.person_id].add(veto.grade)
                vetoed[c.person_id].append(veto.id)
                notes[c.person_id].append(_veto_note(veto, c, titles))

    # 4. quotas from the top, then from the bottom; bands; the rest
    assigned: dict[str, tuple[str | None, str, str | None]] = {}
    base = len(members) if policy.quota_base is QuotaBase.GROUP else len(ranked)
    unknown: list[str] = []
    if policy.min_group is not None and len(members) < policy.min_group:
        small = _("a group of {size} is under the minimum {minimum}: no quota applies").format(
            size=len(members), minimum=policy.min_group
        )
        for c in ranked:
            notes[c.person_id].append(small)
    else:
        unknown += _fill(policy, policy.top, ranked, key, base, barred, assigned, parameters, notes)
        bottom = list(reversed(ranked))
        unknown += _fill(
            policy, policy.bottom, bottom, key, base, barred, assigned, parameters, notes
        )
    bands = [(band, parameter_value(band.at_least, parameters)) for band in policy.bands]
    unknown += [
        _("band {grade}: {parameter} has no value").format(grade=b.grade, parameter=b.at_least)
        for b, v in bands
        if v is None
    ]
    for c in ranked:
        if unknown:
            unsure.add(c.person_id)
            notes[c.person_id] += unknown
        if c.person_id not in assigned:
            grade, why, element = _banded(c, bands, policy.rest)
            allowed = _allowed(policy, grade, barred[c.person_id])
            assigned[c.person_id] = (
                allowed,
                why
                if allowed == grade
                else _("{why}, vetoed down to {grade}").format(why=why, grade=allowed),
                element,
            )
    decided.update(assigned)
    graded = []
    for c in members:
        given, rule, by = decided[c.person_id]
        graded.append(
            Graded(
                c.person_id,
                c.name,
                group,
                c.score,
                places.get(c.person_id),
                given,
                rule,
                c.person_id not in unsure,
                tuple(notes.get(c.person_id, ())),
                by,
                tuple(vetoed.get(c.person_id, ())),
            )
        )
    return sorted(graded, key=lambda g: (g.place is None, g.place or 0, g.person_id))


def _places(ranked: Sequence[Candidate], key: Mapping[str, _Key]) -> dict[str, int]:
    """1-based places; equal scores share the place of the first of them."""
    places: dict[str, int] = {}
    position = 0
    for _score, tied in groupby(ranked, key=lambda c: key[c.person_id]):
        tied_list = list(tied)
        for c in tied_list:
            places[c.person_id] = position + 1
        position += len(tied_list)
    return places


def _allowed(policy: GradePolicy, grade: str, barred: set[str]) -> str:
    """``grade``, or the next worse one a veto does not bar."""
    for candidate in policy.grades[policy.grades.index(grade) :]:
        if candidate not in barred:
            return candidate
    return policy.grades[-1]


def _banded(c: Candidate, bands: Sequence[tuple[Band, Any]], rest: str) -> tuple[str, str, str]:
    """The best band whose threshold the score reaches, else the rest (grade, why, element).
    Thresholds not known are skipped, so a grade below one is only a lower bound (and
    provisional): it says so."""
    skipped = ""
    for band, threshold in bands:
        if threshold is None:
            skipped = _(" (at least: a better band has no threshold)")
        elif c.score is not None and c.score >= threshold:
            why = _("band {grade}: score ≥ {threshold} ({parameter}){skipped}").format(
                grade=band.grade, threshold=threshold, parameter=band.at_least, skipped=skipped
            )
            return band.grade, why, f"band {band.grade}"
    return rest, _("the rest{skipped}").format(skipped=skipped), "the rest"


def _parameter_words(name: str | None, parameters: Mapping[str, Any]) -> str | None:
    """A parameter as a basis names it: its title, in the reader's language."""
    if name is None:
        return None
    title = parameters.title(name) if isinstance(parameters, ParameterValues) else None
    return _title(title) if title is not None else name


def _quota_words(
    quota: Quota, size: int, places: int, policy: GradePolicy, parameters: Mapping[str, Any]
) -> str:
    """A quota as its basis says it: a share of the group, with the rounding that made it
    a number of people; or a number, with the parameter that gives it."""
    if quota.share is None:
        return _("quota {grade}: {places} of {size} ({source}), ties {ties}").format(
            grade=quota.grade,
            places=places,
            size=size,
            source=_parameter_words(quota.parameter, parameters) or _("a fixed number"),
            ties=_ties_words(policy.ties),
        )
    return _("quota {grade} {share} of {size} → {places} ({rounding}, ties {ties})").format(
        grade=quota.grade,
        share=quota.describe(),
        size=size,
        places=places,
        rounding=_rounding_words(policy.rounding),
        ties=_ties_words(policy.ties),
    )


def _fill(
    policy: GradePolicy,
    quotas: Sequence[Quota],
    in_order: Sequence[Candidate],
    key: Mapping[str, _Key],
    size: int,
    barred: Mapping[str, set[str]],
    assigned: dict[str, tuple[str | None, str, str | None]],
    parameters: Mapping[str, Any],
    notes: defaultdict[str, list[str]],
) -> list[str]:
    """Give each quota's grade to the next people in ``in_order`` not yet graded; notes for
    the quotas whose size is a parameter without a value (nobody gets those grades). Each
    person of a tie at a quota's edge is told who is tied and what the tie did; everyone of
    a group no bigger than a quota of a number of people, that the quota holds the group."""
    unknown = []
    for quota in quotas:
        places = quota.size(size, policy.rounding, parameters)
        if places is None:
            unknown.append(
                _("quota {grade}: {parameter} has no value").format(
                    grade=quota.grade, parameter=quota.parameter
                )
            )
            continue
        rule = _quota_words(quota, size, places, policy, parameters)
        waiting = [c for c in in_order if c.person_id not in assigned]
        asked = quota.people(parameters)
        if asked is not None and 0 < size <= asked:  # bottom 2 of a town of 2, or of 1
            whole = _(
                "the group has {size}, no more than the {places} of quota {grade}: all of it is"
                " in the quota (the source does not say what a group this small does)"
            ).format(size=size, places=asked, grade=quota.grade)
            for c in waiting:
                notes[c.person_id].append(whole)
        filled = 0
        for _score, tied in groupby(waiting, key=lambda c: key[c.person_id]):
            if filled >= places:
                break
            tie = list(tied)
            eligible = [c for c in tie if quota.grade not in barred[c.person_id]]
            # a vetoed person's place goes to the next in line (refill) or stays empty (leave)
            needs = len(eligible) if policy.vetoed_slot is VetoedSlot.REFILL else len(tie)
            if filled + needs > places and len(tie) > 1:  # the tie crosses the quota's edge
                said = _tie_words(tie, quota, places - filled, policy.ties)
                for c in tie:
                    notes[c.person_id].append(said)
            if filled + needs > places and policy.ties is Ties.WITHHOLD:
                break  # the tie cannot be held whole: none of it gets the grade
            for c in eligible:
                assigned[c.person_id] = (
                    quota.grade,
                    rule,
                    f"quota {quota.grade}",
                )
            filled += needs
    return unknown


def _tie_words(tie: Sequence[Candidate], quota: Quota, left: int, ties: Ties) -> str:
    """A tie at a quota's edge as the people in it are told: who, their score, how many
    places were left, and what the policy does with such a tie."""
    people = "、".join(c.name or c.person_id for c in tie)
    score = number_words(tie[0].score) if tie[0].score is not None else "—"
    said = (
        _("none of them is given {grade}")
        if ties is Ties.WITHHOLD
        else _("all of them are given {grade}")
    ).format(grade=quota.grade)
    return _(
        "tied at the edge of quota {grade}: {people} all scored {score}, {count} for {left}"
        " place(s) left: {said}"
    ).format(grade=quota.grade, people=people, score=score, count=len(tie), left=left, said=said)


def _rounding_words(rounding: Rounding) -> str:
    words = {Rounding.FLOOR: _("floor"), Rounding.CEIL: _("ceil"), Rounding.HALF_UP: _("half_up")}
    return words[rounding]


def _ties_words(ties: Ties) -> str:
    return {Ties.WITHHOLD: _("withhold"), Ties.EXTEND: _("extend")}[ties]
