"""An assessment's inputs read from a workbook or CSV files: each person's rubric inputs (or
given score) and their satisfaction ballots, checked against the grade policy's rubric and
vote rule, every problem at its sheet, row and column.

| sheet | headers |
| --- | --- |
| 评分 entries | 人员 person, 姓名 name, 得分 score (a given score), ``分组:ATTRIBUTE`` (a ranking-group attribute), and one column per rubric input, headed by the input's name: 是/否 for true or false, "一类、三类" for classes, "C→B" for a grade step |
| 投票 ballots | 人员 person, 应参评人数 eligible, and one column per answer of the vote (很满意, 满意, …) with the ballots cast |
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from governance_core.errors import Problem, ProblemKind, ScoringError
from governance_core.files import Located, TableSpec, did_you_mean, read_tables, structure_located
from governance_core.messages import _
from governance_core.model import converter
from governance_core.rules.scoring._assessment import AssessmentFile
from governance_core.rules.scoring._grade_policy import GradePolicy
from governance_core.rules.scoring._rubric import Rubric, RuleKind, ScoringRule
from governance_core.rules.scoring._sheet import score
from governance_core.rules.scoring._vote import VoteRule

__all__ = ["ASSESSMENT_TABLES", "assessment_of", "read_assessment_tables"]

ASSESSMENT_TABLES = {
    "entries": TableSpec(
        ("entries", "评分"),
        {
            "人员": "person",
            "person": "person",
            "姓名": "name",
            "name": "name",
            "得分": "score",
            "score": "score",
        },
        prefixes={"分组:": "groups", "group:": "groups"},
        extra="inputs",
    ),
    "ballots": TableSpec(
        ("ballots", "投票"),
        {"人员": "person", "person": "person", "应参评人数": "eligible", "eligible": "eligible"},
        extra="cast",
    ),
}


_YES, _NO = (
    {"是", "有", "yes", "true", "TRUE", "True"},
    {"否", "无", "no", "false", "FALSE", "False"},
)
_SEPARATORS = re.compile(r"[、,，;；\s]+")
_STEP = re.compile(r"^\s*(\S+?)\s*(?:→|->|—>|至)\s*(\S+)\s*$")


def _from_cell(rule: ScoringRule | None, value: Any) -> Any:
    """A cell as its rule reads it: 是/否 for true/false, "一类、三类" for classes, "C→B"
    for a grade step; anything else as it is (the rule checks it)."""
    if rule is None or not isinstance(value, str):
        return value
    if rule.kind in (RuleKind.DEDUCT_UNLESS, RuleKind.BONUS_IF):
        return True if value in _YES else False if value in _NO else value
    if rule.kind is RuleKind.BONUS_BY_CLASS:
        return [part for part in _SEPARATORS.split(value) if part]
    if rule.kind is RuleKind.GRADE_STEPS:
        found = _STEP.match(value)
        return {"from": found[1], "to": found[2]} if found else value
    return value


def _entries(located: Located, rubric: Rubric | None) -> list[dict[str, Any]]:
    """The entries with each one's ballots joined in, as an assessment file holds them."""
    reads = {} if rubric is None else {rule.input: rule for _, _, rule in rubric.rules()}
    ballots = {str(b.get("person")): b for b in located.data.get("ballots", [])}
    entries = []
    for row in located.data.get("entries", []):
        entry = dict(row)
        entry["person"] = str(entry.get("person", ""))
        if "inputs" in entry:
            entry["inputs"] = {k: _from_cell(reads.get(k), v) for k, v in entry["inputs"].items()}
        found = ballots.get(entry["person"])
        if found is not None:
            entry["ballots"] = {"eligible": found.get("eligible"), "cast": found.get("cast", {})}
        entries.append(entry)
    return entries


def _input_problems(
    located: Located, rubric: Rubric, entries: list[dict[str, Any]]
) -> Iterator[Problem]:
    """Columns the rubric does not read, and each entry's inputs that do not fit its rules,
    each at its cell."""
    reads = {rule.input: rule for _, _, rule in rubric.rules()}
    first: dict[str, Any] = next(iter(located.data.get("entries", [])), {})
    for name in sorted(first.get("inputs", {})):
        if name not in reads:
            yield located.problem(
                ("entries", 0, "inputs", name),
                _("column {name!r} is read by no rule of {rubric}").format(
                    name=name, rubric=rubric.id
                ),
                hint=did_you_mean(name, reads) or _("check it against the rubric's inputs"),
                kind=ProblemKind.LAYOUT,
            )
    for index, entry in enumerate(entries):
        if entry.get("score") is not None and not entry.get("inputs"):
            continue  # a given score
        try:
            score(rubric, entry["person"], entry.get("inputs", {}))
        except ScoringError as error:
            for p in error.problems:
                if p.rule_id == rubric.id:
                    continue  # an input no rule reads: reported once, at its column
                rule = next((r for r in reads.values() if p.rule_id == f"{rubric.id}.{r.id}"), None)
                at = ("entries", index, "inputs", rule.input) if rule else ("entries", index)
                yield located.problem(at, p.message, rule_id=p.rule_id, hint=p.hint)


def _unread_columns(located: Located, policy: GradePolicy) -> Iterator[Problem]:
    """Columns a grade policy without a rubric cannot read (it reads the score given in 得分):
    a score under another header would otherwise leave every grade open, silently."""
    first: dict[str, Any] = next(iter(located.data.get("entries", [])), {})
    for name in sorted(first.get("inputs", {})):
        yield located.problem(
            ("entries", 0, "inputs", name),
            _("column {name!r} is read by nothing: {policy} has no rubric and reads 得分").format(
                name=name, policy=policy.id
            ),
            hint=did_you_mean(name, ("得分", "score")) or _("put the score in the 得分 column"),
            kind=ProblemKind.LAYOUT,
        )


def _ballot_problems(located: Located, vote: VoteRule) -> Iterator[Problem]:
    for index, row in enumerate(located.data.get("ballots", [])):
        for answer in row.get("cast", {}):
            if answer not in vote.answers:
                yield located.problem(
                    ("ballots", index, "cast", answer),
                    _("{answer!r} is not an answer of {vote}").format(answer=answer, vote=vote.id),
                    hint=_("its answers: {answers}").format(answers=", ".join(vote.answers)),
                )


def read_assessment_tables(
    path: str | Path,
    policy: GradePolicy,
    *,
    as_of: date,
    rubric: Rubric | None = None,
    vote: VoteRule | None = None,
    skip: Collection[str] = (),
) -> AssessmentFile:
    """The assessment of ``path`` under ``policy`` on ``as_of`` (see :func:`assessment_of`).
    Sheets named in ``skip`` (another reader's) are left alone."""
    located = read_tables(path, ASSESSMENT_TABLES, ScoringError, skip=skip)
    return assessment_of(located, policy, as_of=as_of, rubric=rubric, vote=vote)


def assessment_of(
    located: Located,
    policy: GradePolicy,
    *,
    as_of: date,
    rubric: Rubric | None = None,
    vote: VoteRule | None = None,
) -> AssessmentFile:
    """The assessment the tables ``entries`` and ``ballots`` of ``located`` hold. Raises
    ScoringError listing every problem at its sheet, row and column: inputs the rubric does
    not read or that do not fit their rule, answers the vote does not have, ballots of people
    not assessed, a person twice, a cell of the wrong type. Nothing is returned unless all
    is valid."""
    entries = _entries(located, rubric)
    if rubric is not None:
        problems = list(_input_problems(located, rubric, entries))
    else:
        problems = list(_unread_columns(located, policy))
    if vote is not None:
        problems += _ballot_problems(located, vote)
    assessed = {e["person"] for e in entries}
    for index, row in enumerate(located.data.get("ballots", [])):
        if str(row.get("person")) not in assessed:
            problems.append(
                located.problem(
                    ("ballots", index, "person"),
                    _("ballots of {person!r}, who is not assessed").format(
                        person=row.get("person")
                    ),
                    hint=_("add them to the 评分 sheet"),
                )
            )
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if entry["person"] in seen:
            problems.append(
                located.problem(
                    ("entries", index, "person"),
                    _("person {person!r} is listed twice").format(person=entry["person"]),
                )
            )
        seen.add(entry["person"])
    data = {"policy": policy.id, "as_of": as_of, "entries": entries}
    try:
        read = structure_located(
            converter,
            Located(data, located.file, located.values, {}, cells=located.cells),
            AssessmentFile,
            ScoringError,
        )
    except ScoringError as error:  # said with the others: every problem in one pass
        problems += error.problems
    if problems:
        raise ScoringError(problems)
    return read
