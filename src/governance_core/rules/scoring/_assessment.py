"""An assessment: score everyone a grade policy covers, count their votes, combine, grade per
group. Inputs come from an assessment file (YAML or JSON; docs/scoring.md):

.. code-block:: yaml

    policy: jiaozhou.first_secretary_grades     # the grade policy
    as_of: 2024-12-31
    entries:
      - person: p001
        name: 张三
        groups: {unit: 镇街, attendance: 脱产, rank_class: 正股级}
        inputs: {team_study: true, meetings_missed: 1, …}    # one per rubric rule
        ballots: {eligible: 60, cast: {很满意: 30, 满意: 15, 基本满意: 5, 不满意: 2}}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, final

import attrs

from governance_core.errors import Problem, ScoringError
from governance_core.files import Located, load_yaml, structure_located
from governance_core.messages import _
from governance_core.model import converter
from governance_core.rules.common import Title
from governance_core.rules.criteria.verdicts import Outcome
from governance_core.rules.scoring._grade_policy import Composite, GradePolicy
from governance_core.rules.scoring._grading import Candidate, Graded, grade_group
from governance_core.rules.scoring._rubric import Rubric
from governance_core.rules.scoring._sheet import ScoreSheet, score
from governance_core.rules.scoring._vote import Ballots, VoteResult, VoteRule, tally

__all__ = ["Assessment", "AssessmentFile", "Entry", "assess", "assessment_file", "read_assessment"]


@final
@attrs.frozen(slots=True)
class Entry:
    """One person's inputs: group attributes, rubric inputs, ballots, or a given score."""

    person: str
    name: str
    groups: Mapping[str, str] = attrs.field(factory=dict)
    inputs: Mapping[str, Any] = attrs.field(factory=dict)
    ballots: Ballots | None = None
    score: Decimal | None = None


@final
@attrs.frozen(slots=True)
class AssessmentFile:
    """The top level of an assessment file. ``period`` and ``step`` say which occurrence of
    a cycle's step the inputs are for (``governance run --inputs``): ``2024-10`` of
    ``monthly_ranking``; without them, the step applying ``policy`` whose occurrence holds
    ``as_of``."""

    policy: str
    as_of: date
    entries: tuple[Entry, ...]
    period: str | None = None
    step: str | None = None


def read_assessment(path: str | Path) -> AssessmentFile:
    """Read an assessment file; ScoringError lists every problem with its location."""
    return assessment_file(load_yaml(path, ScoringError))


def assessment_file(located: Located) -> AssessmentFile:
    """An assessment file already read (with its positions); ScoringError as for
    :func:`read_assessment`."""

    def rule(data_path: tuple[str | int, ...]) -> str | None:
        if len(data_path) >= 2 and data_path[0] == "entries":
            try:
                return str(located.data["entries"][data_path[1]]["person"])
            except (KeyError, IndexError, TypeError):
                return None
        return None

    read = structure_located(converter, located, AssessmentFile, ScoringError, rule)
    seen: dict[str, int] = {}
    problems = []
    for i, entry in enumerate(read.entries):
        if entry.person in seen:
            problems.append(
                located.problem(
                    ("entries", i, "person"),
                    _("person {person!r} is listed twice").format(person=entry.person),
                    rule_id=entry.person,
                    hint=_("entry {number} has them").format(number=seen[entry.person] + 1),
                )
            )
        seen.setdefault(entry.person, i)
    if problems:
        raise ScoringError(problems)
    return read


@final
@attrs.frozen(slots=True)
class Assessment:
    """Everyone's score sheet, vote and grade under one grade policy as of a date."""

    policy: GradePolicy
    as_of: date
    sheets: Mapping[str, ScoreSheet]
    votes: Mapping[str, VoteResult]
    graded: tuple[Graded, ...]

    def groups(self) -> list[tuple[str, ...]]:
        """The groups, in sorted order."""
        return sorted({g.group for g in self.graded})


def _composite(
    policy: GradePolicy, entry: Entry, sheet: ScoreSheet | None, vote: VoteResult | None
) -> tuple[Fraction | None, str]:
    if policy.composite is Composite.GIVEN:
        if entry.score is None:
            return None, _("no score given")
        return Fraction(entry.score), _("given")
    assert sheet is not None
    if policy.composite is Composite.RUBRIC:
        return Fraction(sheet.total), _("rubric total")
    assert vote is not None
    if vote.satisfaction is None:
        return None, vote.reason
    return sheet.total * vote.satisfaction, _("rubric total × satisfaction")


def assess(
    policy: GradePolicy,
    entries: Sequence[Entry],
    *,
    rubric: Rubric | None,
    vote_rule: VoteRule | None,
    parameters: Mapping[str, Any],
    list_outcomes: Mapping[str, Mapping[str, Outcome]],
    as_of: date,
    list_titles: Mapping[str, Title] | None = None,
) -> Assessment:
    """Score, tally and grade ``entries`` under ``policy``. ``list_outcomes`` gives, per
    person, the outcome of each criteria list vetoes and overrides name (missing: unknown).
    ScoringError lists every problem of every entry; a policy or rubric not in effect on
    ``as_of`` is one."""
    problems = [
        Problem(
            _("{kind} {id!r} is not in effect on {as_of}").format(
                kind=kind, id=record.id, as_of=as_of
            ),
            rule_id=record.id,
            hint=_(
                "it is in effect from {start} to {end}: assess as of a date in that range"
            ).format(start=record.effective_from or "—", end=record.effective_to or "—"),
        )
        for kind, record in ((_("grade policy"), policy), (_("rubric"), rubric))
        if record is not None and not record.in_effect(as_of)
    ]
    if problems:
        raise ScoringError(problems)
    sheets: dict[str, ScoreSheet] = {}
    votes: dict[str, VoteResult] = {}
    groups: dict[tuple[str, ...], list[Candidate]] = {}
    for entry in entries:
        try:
            key = tuple([entry.groups[k] for k in policy.group_by])
        except KeyError:
            missing = [k for k in policy.group_by if k not in entry.groups]
            problems.append(
                Problem(
                    _("no group attribute {names}").format(names=", ".join(map(repr, missing))),
                    file=entry.person,
                    rule_id=policy.id,
                    hint=_("{policy} groups by {attributes}").format(
                        policy=policy.id, attributes=", ".join(policy.group_by)
                    ),
                )
            )
            continue
        try:
            sheet = score(rubric, entry.person, entry.inputs) if rubric is not None else None
            vote = None
            if vote_rule is not None:
                if entry.ballots is None:
                    raise ScoringError(
                        [Problem(_("no ballots given"), file=entry.person, rule_id=vote_rule.id)]
                    )
                vote = tally(vote_rule, entry.person, entry.ballots)
        except ScoringError as exc:
            problems += exc.problems
            continue
        if sheet is not None:
            sheets[entry.person] = sheet
        if vote is not None:
            votes[entry.person] = vote
        total, reason = _composite(policy, entry, sheet, vote)
        groups.setdefault(key, []).append(
            Candidate(
                entry.person,
                entry.name,
                entry.groups,
                total,
                reason,
                sheet,
                vote,
                list_outcomes.get(entry.person, {}),
            )
        )
    if problems:
        raise ScoringError(problems)
    graded = [
        g
        for key in sorted(groups)
        for g in grade_group(policy, key, groups[key], parameters, list_titles)
    ]
    return Assessment(policy, as_of, sheets, votes, tuple(graded))
