"""A district's own data for the main job: its roster and the inputs of its cycles' steps, read
from its Excel book (or CSV files) and from assessment and ledger files (docs/main-job.md).

In a book, the sheets 评分 and 投票 hold every step's inputs in one table, one row per person
and occurrence: the columns of ``governance import`` (人员, 姓名, 得分, ``分组:town``, rubric
inputs; 应参评人数 and one column per answer) and two more, 期间 (``2024-10``, ``2024Q4``,
``2024``: the occurrence) and 步骤 (the step's id). A blank 步骤 gives the row to every step
of that occurrence that reads scores; a blank 期间 to the one occurrence a step has in the run.
Rows of occurrences the run does not hold are left for another run. Ranking-group attributes
the rows leave out are read from the roster where it can say them: ``town`` (the town of the
person's post) and ``organisation``.

Everything is read and checked before the run records anything: one bad cell stops the run
with every problem located, and nothing is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, final

import attrs

from governance_core.engine import Engine
from governance_core.errors import Problem, ProblemKind, ProblemsError, ScoringError
from governance_core.files import Located, did_you_mean, load_yaml, read_tables
from governance_core.files.tables import read_tables_checked, rows_of, sheet_names, table_names
from governance_core.messages import _
from governance_core.model import OrganisationTree, OrgLevel, Roster, load_roster
from governance_core.model.roster_tables import ROSTER_TABLES, read_roster_tables
from governance_core.rules.cycles import Period, Planned
from governance_core.rules.points import ClaimReviews, Ledger
from governance_core.rules.scoring import (
    AssessmentFile,
    Entry,
    GradePolicy,
    Rubric,
    VoteRule,
    assessment_file,
)
from governance_core.rules.scoring.assessment_tables import ASSESSMENT_TABLES, assessment_of

__all__ = [
    "BOOKS",
    "FROM_ROSTER",
    "RUN_TABLES",
    "DistrictInputs",
    "book_assessment",
    "read_district",
    "read_roster",
    "with_roster_groups",
]

_WHEN = {"期间": "period", "period": "period", "步骤": "step", "step": "step"}
RUN_TABLES = {
    table: attrs.evolve(spec, headers={**spec.headers, **_WHEN})
    for table, spec in ASSESSMENT_TABLES.items()
}
"""The sheets 评分 and 投票 of a district's book: ``governance import``'s, with 期间 and 步骤."""

BOOKS = (".xlsx", ".xlsm", ".csv")
"""What a book's file name ends with (a folder of CSV files is a book too)."""


def _is_book(path: Path) -> bool:
    return path.is_dir() or path.suffix.lower() in BOOKS


def _period_label(value: Any) -> str | None:
    """A 期间 cell as a period's label; None when it is not one. Excel turns ``2024-10``
    typed into a cell into a date, and ``2024`` into a number: both are read back."""
    if isinstance(value, datetime | date):
        return f"{value.year}-{value.month:02d}"
    text = str(int(value)) if isinstance(value, int | float) and value == int(value) else str(value)
    try:
        return Period.parse(text).label
    except ValueError:
        return None


@final
@attrs.frozen(slots=True)
class _Row:
    table: str
    index: int
    period: str | None
    step: str | None


@final
class DistrictInputs:
    """A district's roster and its steps' inputs, found by occurrence and step."""

    example = False

    def __init__(
        self,
        roster: Roster | None,
        tables: Sequence[tuple[Located, list[_Row]]] = (),
        files: Sequence[tuple[str, AssessmentFile]] = (),
        ledgers: Sequence[Path] = (),
        problems: Sequence[Problem] = (),
    ) -> None:
        self.roster = roster
        self.problems = tuple(problems)
        self._tables = tables
        self._files = files
        self._ledgers = ledgers
        self._replayed: dict[Path, Ledger] = {}
        self._used: set[tuple[int, str, int]] = set()

    def ledger(
        self,
        engine: Engine,
        scheme: str,
        planned: Planned,
        reviews: Mapping[str, ClaimReviews],
    ) -> Ledger | str:
        """The ledger of ``scheme`` among the ledger files given, replayed with the reviews
        its claim procedure took; or why there is none. Raises LedgerError with every problem
        of a file, located."""
        for path in self._ledgers:
            if path not in self._replayed:  # each file replayed once, whatever the occurrences
                self._replayed[path] = engine.read_ledger(path, reviews=reviews)
            ledger = self._replayed[path]
            if ledger.catalogue.scheme.id == scheme:
                return ledger
        return _("no ledger of {scheme}: give its ledger file with --inputs").format(scheme=scheme)

    def entries(
        self,
        planned: Planned,
        policy: GradePolicy,
        rubric: Rubric | None,
        vote: VoteRule | None,
        occurrences: int,
    ) -> tuple[list[Entry], str, date | None] | str:
        """The inputs of one occurrence of a grade-policy step, whom they are from (a file,
        with its sheet) and the date the file gives them as of; or why there are none, in
        words. ``occurrences``: how many the step has in the run (a blank 期间 serves one).
        Raises ScoringError with every problem of the rows found."""
        assert planned.occurrence is not None
        label, step = planned.occurrence.label, planned.step.id
        for name, read in self._files:
            if read.policy != policy.id or read.step not in (None, step):
                continue
            held = planned.occurrence.start <= read.as_of <= planned.occurrence.end
            if read.period == label or (read.period is None and held):
                whom = Path(name).name
                return self._grouped(list(read.entries), policy, read.as_of), whom, read.as_of
        for number, (located, rows) in enumerate(self._tables):
            found = self._rows(rows, label, step, occurrences)
            if not found.get("entries"):
                continue
            chosen = {table: [r.index for r in picked] for table, picked in found.items()}
            for table, picked in found.items():
                self._used |= {(number, table, r.index) for r in picked}
            part = rows_of(located, chosen, drop=("period", "step"))
            strays = self._not_in_roster(part, policy)
            try:
                read = assessment_of(
                    part, policy, as_of=planned.occurrence.end, rubric=rubric, vote=vote
                )
            except ScoringError as error:
                raise ScoringError([*error.problems, *strays]) from None
            if strays:
                raise ScoringError(strays)
            grouped = self._grouped(list(read.entries), policy, planned.occurrence.end)
            return grouped, Path(located.file).name, None
        return _(
            "no inputs for {period}: give them in the 评分 sheet (期间 {period}, 步骤 {step})"
            " or in an assessment file"
        ).format(period=label, step=step)

    @staticmethod
    def _rows(
        rows: Sequence[_Row], label: str, step: str, occurrences: int
    ) -> dict[str, list[_Row]]:
        """The rows of one occurrence of ``step``: those naming the step if any do, else
        those naming no step; a blank 期间 only when the step runs once."""
        of_period = [
            r for r in rows if r.period == label or (r.period is None and occurrences == 1)
        ]
        named = [r for r in of_period if r.step == step]
        picked = named or [r for r in of_period if r.step is None]
        found: dict[str, list[_Row]] = defaultdict(list)
        for r in picked:
            found[r.table].append(r)
        return found

    def _not_in_roster(self, part: Located, policy: GradePolicy) -> list[Problem]:
        """A problem at each row whose person the roster does not hold when the grade policy
        groups by what only the roster says (their town): no rule could place them. Those a
        row groups itself (分组 columns: 汶上's units) need no roster."""
        wanted = [k for k in policy.group_by if k in FROM_ROSTER]
        if self.roster is None or not wanted:
            return []
        known = {person.id for person in self.roster.people}
        problems = []
        for index, row in enumerate(part.data.get("entries", [])):
            person, groups = str(row.get("person", "")), row.get("groups", {})
            missing = [k for k in wanted if k not in groups]
            if person and person not in known and missing:
                problems.append(
                    part.problem(
                        ("entries", index, "person"),
                        _("{person!r} is not in the roster, which gives their {what}").format(
                            person=person, what="、".join(_roster_word(k) for k in missing)
                        ),
                        hint=did_you_mean(person, known) or _("add them to the 人员 sheet"),
                        kind=ProblemKind.REFERENCE,
                    )
                )
        return problems

    def _grouped(self, entries: list[Entry], policy: GradePolicy, as_of: date) -> list[Entry]:
        if self.roster is None:
            return entries
        return with_roster_groups(entries, policy, self.roster, as_of)

    def unused(self) -> list[tuple[str, str]]:
        """The rows no step of the run read: where (``book.xlsx[评分]``) and their periods
        (``2024-07, 2024-08``)."""
        left: dict[str, set[str]] = defaultdict(set)
        for number, (located, rows) in enumerate(self._tables):
            for r in rows:
                if (number, r.table, r.index) not in self._used and r.table == "entries":
                    where = located.position(("entries", r.index))
                    left[where.file if where and where.file else located.file].add(r.period or "—")
        return [(where, ", ".join(sorted(periods))) for where, periods in left.items()]


FROM_ROSTER = ("town", "organisation")
"""Ranking-group attributes a row may leave out: the roster says them (the town of the
person's post, its organisation)."""


def _roster_word(attribute: str) -> str:
    """What a ranking-group attribute the roster gives is called, in the reader's words."""
    return _("town") if attribute == "town" else _("organisation")


def with_roster_groups(
    entries: Sequence[Entry], policy: GradePolicy, roster: Roster, as_of: date
) -> list[Entry]:
    """``entries`` with the ranking-group attributes they leave out (:data:`FROM_ROSTER`)
    read from ``roster`` as of ``as_of``: what every reader of a district's inputs does, so
    that a book and an assessment file of the same rows are graded alike."""
    wanted = [k for k in policy.group_by if k in FROM_ROSTER]
    if not any(k not in e.groups for e in entries for k in wanted):
        return list(entries)
    places = _places(roster, as_of)
    return [
        attrs.evolve(
            e,
            groups={
                **{k: places[e.person][k] for k in wanted if k in places.get(e.person, {})},
                **e.groups,
            },
        )
        for e in entries
    ]


def _places(roster: Roster, as_of: date) -> dict[str, dict[str, str]]:
    """Each person's ``town`` and ``organisation`` (names), from their first post held on
    ``as_of``."""
    tree = OrganisationTree(roster.organisations)
    found: dict[str, dict[str, str]] = {}
    for post in roster.posts:
        if post.person in found or not post.held_on(as_of):
            continue
        place = tree.get(post.organisation)
        if place is None:
            continue
        found[post.person] = {"organisation": place.name}
        town = next((o for o in tree.ancestors(place.id) if o.level is OrgLevel.TOWN), None)
        if town is not None:
            found[post.person]["town"] = town.name
    return found


def _table_rows(located: Located, steps: Collection[str]) -> tuple[list[_Row], list[Problem]]:
    rows: list[_Row] = []
    problems: list[Problem] = []
    for table in ("entries", "ballots"):
        for index, row in enumerate(located.data.get(table, [])):
            raw = row.get("period")
            label = None if raw is None else _period_label(raw)
            if raw is not None and label is None:
                problems.append(
                    located.problem(
                        (table, index, "period"),
                        _("{value!r} is not a period").format(value=raw),
                        hint=_("write 2024-10, 2024Q4, 2024H2 or 2024"),
                    )
                )
            step = row.get("step")
            if step is not None and str(step) not in steps:
                problems.append(
                    located.problem(
                        (table, index, "step"),
                        _("no loaded cycle has a step {step!r}").format(step=step),
                        hint=did_you_mean(str(step), steps) or _("see governance cycle show"),
                    )
                )
            rows.append(_Row(table, index, label, None if step is None else str(step)))
    return rows, problems


def _read_book(
    path: Path, steps: Collection[str]
) -> tuple[Located | None, list[_Row], list[Problem]]:
    if not sheet_names(RUN_TABLES) & set(table_names(path, ScoringError)):
        return None, [], []
    located, problems = read_tables_checked(
        path, RUN_TABLES, ScoringError, skip=sheet_names(ROSTER_TABLES)
    )
    rows, found = _table_rows(located, steps)
    return located, rows, problems + found


def book_assessment(
    path: Path,
    policy: GradePolicy,
    *,
    as_of: date,
    period: str | None,
    rubric: Rubric | None = None,
    vote: VoteRule | None = None,
) -> AssessmentFile:
    """The assessment a book's 评分/投票 sheets give ``policy``, read as ``governance run``
    reads them: the rows of ``period`` (期间; a blank 期间 serves any), or, without one, of the
    book's only period. ScoringError with every problem located, or saying which periods
    the book holds when it holds several and none was chosen."""
    if not sheet_names(RUN_TABLES) & set(table_names(path, ScoringError)):
        raise ScoringError([Problem(_("the book has no 评分 or 投票 sheet"), str(path))])
    located = read_tables(path, RUN_TABLES, ScoringError, skip=sheet_names(ROSTER_TABLES))
    named = sorted(
        {
            str(row["step"])
            for table in ("entries", "ballots")
            for row in located.data.get(table, [])
            if row.get("step") is not None
        }
    )
    rows, problems = _table_rows(located, named)
    if named:  # 步骤 names a cycle's step: only a run knows which rows a step reads
        message = _("the 评分 sheet names steps ({steps}): read it with governance run")
        problems.append(Problem(message.format(steps=", ".join(named)), f"{path}[评分]"))
    if problems:
        raise ScoringError(problems)
    periods = sorted({r.period for r in rows if r.period is not None})
    label = period or (periods[0] if len(periods) == 1 else None)
    if label is None and periods:
        message = _("the 评分 sheet holds the periods {periods}: choose one with --period")
        raise ScoringError([Problem(message.format(periods=", ".join(periods)), f"{path}[评分]")])
    chosen: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        if r.period in (label, None):
            chosen[r.table].append(r.index)
    if not chosen.get("entries"):  # never an assessment of nobody because of a 期间
        message = _("the 评分 sheet has no rows for {period}; it holds {periods}")
        raise ScoringError(
            [
                Problem(
                    message.format(period=label, periods=", ".join(periods) or "—"), f"{path}[评分]"
                )
            ]
        )
    part = rows_of(located, chosen, drop=("period", "step"))
    return assessment_of(part, policy, as_of=as_of, rubric=rubric, vote=vote)


def read_roster(path: Path) -> Roster:
    """A district's roster: a roster file, or a book (.xlsx, CSV) whose 评分/投票 sheets,
    inputs of the steps, are left for :func:`read_district`."""
    if _is_book(path):
        return read_roster_tables(path, skip=sheet_names(RUN_TABLES))
    return load_roster(path)


def read_district(
    roster: Path | None, inputs: Sequence[Path], steps: Collection[str]
) -> DistrictInputs:
    """Read a district's roster (a roster file, or the roster sheets of a book) and its
    inputs (books with 评分/投票 sheets, assessment files, ledger files). The roster's book is
    read for inputs too. ``steps``: the loaded cycles' step ids, which 步骤 may name.

    Every file is read whatever the others hold: the problems of all of them (the roster's,
    each book's 期间 and 步骤, each assessment file's) are kept in
    :attr:`DistrictInputs.problems`, each located, for the run to report with the problems
    its steps find in the rows, in one pass. A roster with problems is not used."""
    problems: list[Problem] = []
    people = None
    if roster is not None:
        try:
            people = read_roster(roster)
        except ProblemsError as error:
            problems += error.problems
    books = [
        p
        for p in ([roster] if roster is not None and _is_book(roster) else []) + list(inputs)
        if _is_book(p)
    ]
    tables: list[tuple[Located, list[_Row]]] = []
    for book in dict.fromkeys(books):
        try:
            located, rows, found = _read_book(book, steps)
        except ProblemsError as error:
            problems += error.problems
            continue
        problems += found
        if located is not None:
            tables.append((located, rows))
    files: list[tuple[str, AssessmentFile]] = []
    ledgers: list[Path] = []
    for path in inputs:
        if _is_book(path):
            continue
        try:
            # a ledger names its ``scheme``, an assessment file its ``policy``: read once, routed
            located = load_yaml(path, ScoringError)
            if isinstance(located.data, dict) and "scheme" in located.data:
                ledgers.append(path)  # replayed by the engine when a step asks for its scheme
            else:
                files.append((str(path), assessment_file(located)))
        except ProblemsError as error:
            problems += error.problems
    return DistrictInputs(people, tables, files, ledgers, problems)


def book_entries(
    engine: Engine, period: Period, roster: Path, books: Sequence[Path]
) -> list[tuple[str, list[Entry]]]:
    """The inputs the grade-policy steps of ``period`` read from a district's books, read as
    ``governance run`` reads them (the same reader, the same rows for the same step and
    occurrence): (grade policy, entries) per occurrence that has rows. Raises ProblemsError
    with every problem of every file and row."""
    from governance_core.rules.calendar import CALENDAR
    from governance_core.rules.cycles import CYCLES
    from governance_core.rules.scoring.kind import SCORING

    cycles = engine.policies.of(CYCLES)
    steps = {s.id for c in cycles.cycles.values() for s in c.steps}
    district = read_district(roster, books, steps)
    plan = cycles.plan(period, engine.policies.of(CALENDAR).add_working_days)
    count: dict[str, int] = defaultdict(int)
    for p in plan:
        count[p.step.id] += 1
    scoring = engine.policies.of(SCORING)
    found: list[tuple[str, list[Entry]]] = []
    problems = list(district.problems)
    for planned in plan:
        policy_id = planned.step.applies.grade_policy
        if policy_id is None or planned.occurrence is None:
            continue
        policy = scoring.grade_policy(policy_id)
        rubric = scoring.rubrics.get(policy.rubric or "")
        vote = scoring.votes.get(policy.vote or "")
        try:
            read = district.entries(planned, policy, rubric, vote, count[planned.step.id])
        except ProblemsError as error:
            problems += error.problems
            continue
        if not isinstance(read, str):
            found.append((policy_id, read[0]))
    if problems:
        raise ProblemsError(problems)
    return found
