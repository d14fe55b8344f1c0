"""Satisfaction votes: ballots by answer, a turnout quorum compared exactly, satisfaction as a
fraction. A vote below its quorum is an explicit invalid result, never a silent zero.

After 胶州 (source 004, 第十七条): "参加投票人数不少于应参加人数的2/3 … 群众满意度=(很满意票数+
满意票数)÷投票数".
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import final

import attrs

from governance_core.errors import Problem, ScoringError
from governance_core.messages import _
from governance_core.rules.common import Citation, Title

__all__ = ["Ballots", "VoteResult", "VoteRule", "tally"]


@final
@attrs.frozen(slots=True)
class VoteRule:
    """How a vote is counted: its answers (best first), which count as satisfied, and the
    turnout quorum as a fraction of those eligible (``[2, 3]`` for 2/3)."""

    id: str
    title: Title
    citation: Citation
    answers: tuple[str, ...]
    satisfied: tuple[str, ...]
    quorum: tuple[int, int]

    @property
    def quorum_fraction(self) -> Fraction:
        return Fraction(*self.quorum)


@final
@attrs.frozen(slots=True)
class Ballots:
    """A vote's figures for one person: how many may vote, and the ballots cast by answer."""

    eligible: int
    cast: Mapping[str, int]


@final
@attrs.frozen(slots=True)
class VoteResult:
    """The result: ``valid`` is False when turnout is below the quorum, and then
    ``satisfaction`` is None (the reason says why)."""

    rule_id: str
    person_id: str
    eligible: int
    cast: int
    valid: bool
    satisfaction: Fraction | None
    reason: str

    @property
    def turnout(self) -> Fraction:
        return Fraction(self.cast, self.eligible)


def _problems(rule: VoteRule, person_id: str, ballots: Ballots) -> list[Problem]:
    def problem(message: str, hint: str | None = None) -> Problem:
        return Problem(message, file=person_id, rule_id=rule.id, hint=hint)

    problems = []
    if ballots.eligible <= 0:
        problems.append(
            problem(
                _("eligible voters must be more than 0, not {eligible}").format(
                    eligible=ballots.eligible
                )
            )
        )
    for answer, count in ballots.cast.items():
        if answer not in rule.answers:
            problems.append(
                problem(
                    _("{answer!r} is not an answer of this vote").format(answer=answer),
                    _("answers: {value}").format(value=", ".join(rule.answers)),
                )
            )
        if count < 0:
            problems.append(
                problem(_("{count} ballots for {answer!r}").format(count=count, answer=answer))
            )
    cast = sum(ballots.cast.values())
    if ballots.eligible > 0 and cast > ballots.eligible:
        problems.append(
            problem(
                _("{cast} ballots cast but only {eligible} may vote").format(
                    cast=cast, eligible=ballots.eligible
                )
            )
        )
    return problems


def tally(rule: VoteRule, person_id: str, ballots: Ballots) -> VoteResult:
    """Count one person's vote; ScoringError for figures that cannot be (unknown answers,
    negative counts, more ballots than voters)."""
    counts = ballots.cast
    cast = sum(counts.values())
    eligible = ballots.eligible
    # the usual case is checked in a few comparisons; the details only when it fails
    if not (
        eligible > 0
        and cast <= eligible
        and min(counts.values(), default=0) >= 0
        and set(rule.answers).issuperset(counts)
    ):
        raise ScoringError(_problems(rule, person_id, ballots))
    numerator, denominator = rule.quorum
    if cast * denominator < numerator * eligible:  # turnout below the quorum, in integers
        reason = _(
            "turnout {cast}/{eligible} is below the quorum {numerator}/{denominator}: "
            "the vote is invalid"
        ).format(cast=cast, eligible=eligible, numerator=numerator, denominator=denominator)
        return VoteResult(rule.id, person_id, eligible, cast, False, None, reason)
    satisfied = 0
    for answer in rule.satisfied:
        satisfied += counts.get(answer, 0)
    reason = _("({answers}) {satisfied} ÷ {cast} ballots").format(
        answers=" + ".join(rule.satisfied), satisfied=satisfied, cast=cast
    )
    return VoteResult(rule.id, person_id, eligible, cast, True, Fraction(satisfied, cast), reason)
