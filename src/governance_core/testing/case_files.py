"""YAML case files: the records they hold, and reading them with every problem located.

A case file has an optional ``roster`` (the roster file format, inline) or ``roster_file``
(a path relative to the case file), and a list of ``cases``. Each case is of one kind, by the key it names:

- ``list``: a criteria list for ``person`` of the roster on ``as_of``; expect ``outcome``,
  ``conclusive``, ``items`` (item id → met / not_met / unknown / not_in_effect); an outcome
  may also be not_applicable (the person holds none of the posts the list addresses);
- ``rubric``: a score sheet for ``inputs``; expect ``total``, ``sections`` and ``lines``
  (rule id → points, exact as text: "-2", "5/2");
- ``grade_policy``: an assessment of ``entries`` (the assessment file format) on ``as_of``,
  or of an ``assessment_file``'s; expect ``grades``, ``places`` and ``scores`` by person;
- ``process``: a procedure about ``subject`` started at ``start``, then ``fires`` (step,
  role, at, evidence; ``refused``: a text the refusal must contain, or true; ``sweep``: let
  the sweeper act at ``at``); expect ``state``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, final

import attrs

from governance_core.errors import Problem, ProblemsError
from governance_core.files import load_yaml, structure_located
from governance_core.files.yaml_tree import Located
from governance_core.messages import _
from governance_core.model import Roster, converter, load_roster
from governance_core.rules.scoring import Entry, read_assessment

__all__ = [
    "Case",
    "CaseError",
    "CaseFile",
    "EntryDefaults",
    "Expect",
    "Fire",
    "ReadCases",
    "is_case_file",
    "read_cases",
]

KINDS = ("list", "rubric", "grade_policy", "process")


class CaseError(ProblemsError):
    """A case file could not be read: each problem names the file, line and column."""

    what = "case file"


@final
@attrs.frozen(slots=True, kw_only=True)
class Fire:
    """One move of a process case."""

    step: str | None = None
    role: tuple[str, ...] = ()
    at: datetime
    evidence: Mapping[str, str] = attrs.field(factory=dict)
    refused: bool | str = False
    sweep: bool = False


@final
@attrs.frozen(slots=True, kw_only=True)
class Expect:
    """What a case must give; only the keys written are compared."""

    outcome: str | None = None
    conclusive: bool | None = None
    items: Mapping[str, str] = attrs.field(factory=dict)
    total: str | None = None
    sections: Mapping[str, str] = attrs.field(factory=dict)
    lines: Mapping[str, str] = attrs.field(factory=dict)
    grades: Mapping[str, str | None] = attrs.field(factory=dict)
    places: Mapping[str, int | None] = attrs.field(factory=dict)
    scores: Mapping[str, str | None] = attrs.field(factory=dict)
    not_grades: Mapping[str, str] = attrs.field(factory=dict)  # a grade that must not be given
    conclusive_grades: Mapping[str, bool] = attrs.field(factory=dict)
    decided_by: Mapping[str, str | None] = attrs.field(factory=dict)  # "quota 优秀", "the rest"
    vetoed_by: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    reasons: Mapping[str, str] = attrs.field(factory=dict)  # text the rule or notes contain
    votes_valid: Mapping[str, bool] = attrs.field(factory=dict)
    vote_reasons: Mapping[str, str] = attrs.field(factory=dict)  # text the reason contains
    state: str | None = None
    events: tuple[str, ...] = ()  # every step taken, "start" first
    states: tuple[str, ...] = ()  # the state after each of them
    deadlines: Mapping[str, date | None] = attrs.field(factory=dict)  # open ones, by step
    consequences: tuple[str, ...] = ()  # of the steps taken, in order (their Chinese titles)
    audit: bool | None = None  # true: the history, in a SQL store, verifies


@final
@attrs.frozen(slots=True, kw_only=True)
class EntryDefaults:
    """What every entry of a grade-policy case has unless it says otherwise: 35 rubric inputs
    written once, not once per person."""

    groups: Mapping[str, str] = attrs.field(factory=dict)
    inputs: Mapping[str, Any] = attrs.field(factory=dict)

    def applied(self, entry: Entry) -> Entry:
        return attrs.evolve(
            entry, groups={**self.groups, **entry.groups}, inputs={**self.inputs, **entry.inputs}
        )


@final
@attrs.frozen(slots=True, kw_only=True)
class Case:
    """One case; its kind is the one of ``list``, ``rubric``, ``grade_policy``, ``process``
    it names."""

    name: str
    expect: Expect
    as_of: date | None = None
    list: str | None = None
    person: str | None = None
    rubric: str | None = None
    inputs: Mapping[str, Any] = attrs.field(factory=dict)
    grade_policy: str | None = None
    entries: tuple[Entry, ...] = ()
    process: str | None = None
    subject: str | None = None
    start: datetime | None = None
    fires: tuple[Fire, ...] = ()
    assessment_file: str | None = None  # entries (and policy, date) from an assessment file
    defaults: EntryDefaults | None = None  # groups and inputs every entry shares

    @property
    def kind(self) -> str:
        return next(k for k in KINDS if getattr(self, k) is not None)


@final
@attrs.frozen(slots=True)
class CaseFile:
    cases: tuple[Case, ...]
    kind: str = "cases"  # a folder's other YAML files (inputs, overlays) say what they are
    roster: Roster | None = None
    roster_file: str | None = None  # a roster file, relative to the case file
    # overlays the cases run under, relative to the case file (an example completion of
    # unpublished conditions, say): named here, not only in a comment or on the command line
    overlays: tuple[str, ...] = ()


@final
@attrs.frozen(slots=True)
class ReadCases:
    """A case file as read, with where each case starts (for reports)."""

    path: Path
    file: CaseFile
    lines: tuple[int, ...]


# what each kind of case needs besides its name and expectations
_NEEDS = {
    "list": ("person", "as_of"),
    "rubric": (),
    "grade_policy": ("entries", "as_of"),
    "process": ("subject", "start"),
}


def _shape_problems(located: Located, read: CaseFile) -> list[Problem]:
    problems: list[Problem] = []
    if read.kind != "cases":
        problems.append(
            located.problem(
                ("kind",),
                _("this file is a {kind}, not cases").format(kind=read.kind),
                hint=_("name a case file, or its folder"),
            )
        )
    for i, case in enumerate(read.cases):
        named = [k for k in KINDS if getattr(case, k) is not None]
        if len(named) != 1:
            problems.append(
                located.problem(
                    ("cases", i),
                    _("case {name!r} names {value}").format(
                        name=case.name, value=", ".join(named) or _("no kind")
                    ),
                    rule_id=case.name,
                    hint=_("name exactly one of {value}").format(value=", ".join(KINDS)),
                )
            )
            continue
        for field in _NEEDS[named[0]]:
            if not getattr(case, field):
                problems.append(
                    located.problem(
                        ("cases", i),
                        _("a {kind} case needs {field}").format(kind=named[0], field=field),
                        rule_id=case.name,
                    )
                )
        if case.person is not None and read.roster is None:
            problems.append(
                located.problem(
                    ("cases", i, "person"),
                    _("no roster to read the person from"),
                    rule_id=case.name,
                    hint=_("add a roster: section to the file"),
                )
            )
        elif (
            case.person is not None
            and read.roster is not None
            and case.person not in {p.id for p in read.roster.people}
        ):
            problems.append(
                located.problem(
                    ("cases", i, "person"),
                    _("no person {person!r} in the roster").format(person=case.person),
                    rule_id=case.name,
                )
            )
    if read.roster is not None:
        for issue in read.roster.issues():
            problems.append(
                located.problem(("roster", issue.section, issue.index, issue.field), issue.message)
            )
    return problems


def _resolved(folder: Path, read: CaseFile) -> CaseFile:
    """``read`` with its roster file and assessment files read (their own errors name
    their own files)."""
    roster = read.roster
    if read.roster_file is not None:
        if roster is not None:
            raise CaseError([Problem(_("give roster or roster_file, not both"), file=str(folder))])
        roster = load_roster(folder / read.roster_file)
    overlays = tuple(str(folder / overlay) for overlay in read.overlays)
    missing = [o for o in overlays if not Path(o).is_file()]
    if missing:
        raise CaseError(
            [Problem(_("no overlay file {o}").format(o=o), file=str(folder)) for o in missing]
        )
    cases = []
    for case in read.cases:
        if case.assessment_file is not None:
            assessment = read_assessment(folder / case.assessment_file)
            case = attrs.evolve(
                case,
                grade_policy=case.grade_policy or assessment.policy,
                as_of=case.as_of or assessment.as_of,
                entries=case.entries or assessment.entries,
            )
        if case.defaults is not None:
            case = attrs.evolve(case, entries=tuple(map(case.defaults.applied, case.entries)))
        cases.append(case)
    return attrs.evolve(read, cases=tuple(cases), roster=roster, overlays=overlays)


def read_cases(path: str | Path) -> ReadCases:
    """Read a case file; CaseError lists every problem, located."""
    located = load_yaml(path, CaseError)

    def rule(data_path: tuple[str | int, ...]) -> str | None:
        if len(data_path) >= 2 and data_path[0] == "cases":
            try:
                return str(located.data["cases"][data_path[1]]["name"])
            except (KeyError, IndexError, TypeError):
                return None
        return None

    read = _resolved(
        Path(path).parent, structure_located(converter, located, CaseFile, CaseError, rule)
    )
    problems = _shape_problems(located, read)
    if problems:
        raise CaseError(problems)
    lines = tuple(located.problem(("cases", i), "").line or 0 for i in range(len(read.cases)))
    return ReadCases(Path(path), read, lines)


def is_case_file(path: Path) -> bool:
    """Whether a YAML file found in a folder of cases holds cases: it says ``kind: cases``, or
    says no kind and has ``cases:``. An overlay, a roster or an assessment file beside the cases
    is left alone (its own ``kind:`` or keys say what it is)."""
    data = load_yaml(path, CaseError).data
    if not isinstance(data, dict):
        return True  # not a mapping: reading it as cases says what is wrong
    kind = data.get("kind")
    return kind == "cases" if kind is not None else "cases" in data
