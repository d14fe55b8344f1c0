"""The main job: every step the loaded cycles declare for a period, run over a district's
roster and inputs and recorded in the store (docs/main-job.md).

A step runs for each of its occurrences in the period (a quarter holds three monthly ones):

- a grade policy assesses the step's inputs (scores, rubric inputs, ballots) as of the
  occurrence's end;
- a list evaluates everyone on the roster; with a procedure, each conclusive hit opens it,
  once per finding;
- a points scheme gives every household's statement from its ledger;
- a kind of records counts, for each organisation of the levels named, the records of that
  kind the roster holds dated in the occurrence (a meeting held each quarter): one without
  is said. It decides nothing about a person and imposes nothing (the sources give no
  consequence), so nothing of it is recorded in the store; the run's output and workbook
  show it.

A step is skipped, with the reason in words, when its cadence is not published, or its inputs
or roster are missing; a step whose policy is incomplete runs, and its results say they are
provisional. Every input is gathered and checked, and every step decided, before anything is
recorded: a bad cell or an entry an assessment refuses leaves the store as it was. Each record is
named by the occurrence (``shizhong.cycle/monthly_ranking/2024-10``), so running a period
again, or a quarter and then its year, writes nothing twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime, time
from time import process_time
from typing import Protocol, final

import attrs

from governance_core.engine import Engine
from governance_core.errors import Problem, ProblemKind, ProblemsError, ScoringError
from governance_core.files.limits import capped
from governance_core.jobs import effects as imposing
from governance_core.jobs.claims import claim_reviews
from governance_core.jobs.effects import NotApplied
from governance_core.jobs.incidents import of_not_applied
from governance_core.messages import _
from governance_core.model import ImposedEffect, Organisation, OrganisationTree, Roster
from governance_core.rules.calendar import CALENDAR
from governance_core.rules.criteria.verdicts import ListVerdict, Outcome
from governance_core.rules.cycles import CYCLES, Period, Planned
from governance_core.rules.points import ClaimReviews, Ledger, Statement
from governance_core.rules.points.kind import POINTS
from governance_core.rules.scoring import Assessment, Entry, GradePolicy, Rubric, VoteRule
from governance_core.rules.scoring.kind import SCORING
from governance_core.runtime import Actor, ProcessInstance
from governance_core.storage import SqlStore

__all__ = ["Progress", "RecordsKept", "RunReport", "StepInputs", "StepRun", "run_period"]

ORGANISATION_DEPARTMENT = Actor("区委组织部", frozenset({"district"}))


class StepInputs(Protocol):
    """Where a run's data come from: the example district, or a district's own files."""

    @property
    def example(self) -> bool:
        """Whether the data are invented (the workbook marks every sheet 示例)."""

    @property
    def roster(self) -> Roster | None: ...

    def entries(
        self,
        planned: Planned,
        policy: GradePolicy,
        rubric: Rubric | None,
        vote: VoteRule | None,
        occurrences: int,
    ) -> tuple[list[Entry], str, date | None] | str:
        """One occurrence's inputs, whom they are from, and the date they are as of (None:
        the occurrence's end); or why there are none, in words."""

    def ledger(
        self,
        engine: Engine,
        scheme: str,
        planned: Planned,
        reviews: Mapping[str, ClaimReviews],
    ) -> Ledger | str:
        """The points ledger of ``scheme`` for one occurrence, or why there is none;
        ``reviews`` are those the scheme's claim procedure took, by claim id."""

    def unused(self) -> list[tuple[str, str]]:
        """The rows of inputs no step read, once every step has gathered its inputs: where
        (``book.xlsx[评分]``) and their periods (``2024-07, 2024-08``)."""

    @property
    def problems(self) -> Sequence[Problem]:
        """What reading the files found wrong, each located: reported with the problems the
        steps find in the rows, so that one run says everything."""


def _name(planned: Planned) -> str:
    """A step occurrence's name in the store: cycle, step and occurrence."""
    label = planned.occurrence.label if planned.occurrence else "-"
    return f"{planned.cycle.id}/{planned.step.id}/{label}"


@final
@attrs.frozen(slots=True)
class RecordsKept:
    """How many records of a step's kind an organisation holds dated in the occurrence, and
    how many it needs (``missing``: fewer)."""

    organisation: Organisation
    count: int
    needed: int = 1

    @property
    def missing(self) -> bool:
        return self.count < self.needed


@final
@attrs.frozen(slots=True)
class StepRun:
    """One occurrence of a cycle's step: what it did, or why it was skipped (``detail``, in
    words). ``provisional`` counts the results that are not conclusive; ``effects`` are the
    effects its conclusive decisions impose, ``not_applied`` those it could not (each an
    incident once recorded)."""

    planned: Planned
    done: bool
    detail: str
    assessment: Assessment | None = None
    verdicts: tuple[ListVerdict, ...] = ()
    opened: tuple[ProcessInstance, ...] = ()
    statements: tuple[Statement, ...] = ()
    provisional: int = 0
    effects: tuple[ImposedEffect, ...] = ()
    not_applied: tuple[NotApplied, ...] = ()
    kept: tuple[RecordsKept, ...] = ()

    @property
    def name(self) -> str:
        """The record's name in the store: cycle, step and occurrence."""
        return _name(self.planned)


@final
@attrs.frozen(slots=True)
class RunReport:
    """Everything a period's run decided, and how many records it wrote; ``cpu``: the CPU
    seconds of its phases (gathering the inputs, deciding, recording), for the benchmarks
    and for an operator asking where a run's time went."""

    period: Period
    steps: tuple[StepRun, ...]
    records_written: int
    example: bool
    cpu: Mapping[str, float] = attrs.field(factory=dict, eq=False)

    def opened(self) -> tuple[ProcessInstance, ...]:
        return tuple(i for s in self.steps for i in s.opened)

    def effects(self) -> tuple[ImposedEffect, ...]:
        """Every effect the period's decisions imposed, step by step."""
        return tuple(e for s in self.steps for e in s.effects)


Progress = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]
"""``progress(description, total)`` gives a context whose value advances by a count."""


def _silent(_: str, __: int) -> AbstractContextManager[Callable[[int], None]]:
    return nullcontext(lambda _n: None)


@final
@attrs.frozen(slots=True)
class _Gathered:
    """A step's inputs, gathered before anything runs; ``skip`` says why it cannot run."""

    planned: Planned
    skip: str | None = None
    entries: tuple[Entry, ...] = ()
    whom: str = ""
    as_of: date | None = None
    ledger: Ledger | None = None
    needed: int = 1  # the records each organisation needs in the occurrence


def _gather(
    engine: Engine,
    planned: Planned,
    inputs: StepInputs,
    occurrences: int,
    store: SqlStore,
) -> _Gathered:
    applies = planned.step.applies
    if planned.occurrence is None:
        return _Gathered(planned, "; ".join(planned.missing))
    if applies.grade_policy is not None:
        scoring = engine.policies.of(SCORING)
        policy = scoring.grade_policy(applies.grade_policy)
        rubric = scoring.rubrics.get(policy.rubric or "")
        vote = scoring.votes.get(policy.vote or "")
        found = inputs.entries(planned, policy, rubric, vote, occurrences)
        if isinstance(found, str):
            return _Gathered(planned, found)
        entries, whom, as_of = found
        return _Gathered(planned, None, tuple(entries), whom, as_of)
    if applies.list is not None or applies.records is not None:
        if inputs.roster is None:
            return _Gathered(planned, _("no roster: give one with --roster"))
        return (
            _Gathered(planned) if applies.list else _records_needed(engine, planned, inputs.roster)
        )
    assert applies.points_scheme is not None  # a step applies exactly one (checked on load)
    scheme = engine.policies.of(POINTS).catalogue(applies.points_scheme).scheme
    reviews = claim_reviews(store, scheme.claim_procedure) if scheme.claim_procedure else {}
    ledger = inputs.ledger(engine, applies.points_scheme, planned, reviews)
    if isinstance(ledger, str):
        return _Gathered(planned, ledger)
    return _Gathered(planned, ledger=ledger)


def _records_needed(engine: Engine, planned: Planned, roster: Roster) -> _Gathered:
    """A records step with how many records each organisation needs (``at_least``'s value on
    the occurrence's end, else 1); skipped, saying why, when that value is not published or
    the organisation it is ``under`` is not in the roster."""
    applies = planned.step.applies
    assert planned.occurrence is not None
    if applies.under is not None and all(o.name != applies.under for o in roster.organisations):
        message = _("the roster has no organisation named {name}, whose own the step counts")
        return _Gathered(planned, message.format(name=applies.under))
    if applies.at_least is None:
        return _Gathered(planned)
    needed = engine.policies.of(CYCLES).value_on(applies.at_least, planned.occurrence.end)
    if not isinstance(needed, int) or isinstance(needed, bool):
        message = _("how many records are needed is not published (parameter {name} has no value)")
        return _Gathered(planned, message.format(name=applies.at_least))
    return _Gathered(planned, needed=needed)


def _gather_all(
    engine: Engine,
    plan: Sequence[Planned],
    inputs: StepInputs,
    store: SqlStore,
    allow_unused: bool,
) -> list[_Gathered]:
    """Every step's inputs; ScoringError with every problem of every file before any runs,
    rows no step read among them unless ``allow_unused``."""
    count: dict[str, int] = {}
    for p in plan:
        count[p.step.id] = count.get(p.step.id, 0) + 1
    gathered: list[_Gathered] = []
    problems = list(inputs.problems)
    for p in plan:
        try:
            gathered.append(_gather(engine, p, inputs, count[p.step.id], store))
        except ProblemsError as error:
            problems += error.problems
    if not allow_unused:  # a second book for a month, a row of another period: never ignored
        problems += [
            Problem(
                _("rows no step of the run reads: {periods}").format(periods=periods),
                where,
                hint=_(
                    "two books for one period, or a 期间 or 步骤 mistyped? remove or correct "
                    "the rows, or give --allow-unused"
                ),
                kind=ProblemKind.UNUSED,
            )
            for where, periods in inputs.unused()
        ]
    if problems:  # each file's are bounded; so are all of them together
        raise _error_of(capped(problems, None), inputs)
    return gathered


def _error_of(problems: list[Problem], inputs: StepInputs) -> ProblemsError:
    """The error of a run's problems: the scoring inputs' when the files themselves read
    well, else the district's inputs' (the roster's problems, the books', the rows')."""
    return ProblemsError(problems) if inputs.problems else ScoringError(problems)


def _missing(planned: Planned) -> str:
    """What is missing of a step that runs (an unpublished deadline), as a sentence's end."""
    return "" if not planned.missing else "; " + "; ".join(planned.missing)


def _assess(engine: Engine, g: _Gathered, roster: Roster | None) -> StepRun:
    assert g.planned.occurrence is not None and g.planned.step.applies.grade_policy is not None
    as_of = g.as_of or g.planned.occurrence.end
    result = engine.assess(g.planned.step.applies.grade_policy, g.entries, as_of, roster=roster)
    provisional = sum(1 for graded in result.graded if not graded.conclusive)
    detail = _("{graded} graded in {groups} groups ({whom})").format(
        graded=len(result.graded), groups=len(result.groups()), whom=g.whom
    )
    if provisional:
        detail += _("; {count} provisional").format(count=provisional)
    imposed = imposing.of_assessment(engine, result, _name(g.planned), roster)
    return StepRun(
        g.planned,
        True,
        detail + _missing(g.planned),
        assessment=result,
        provisional=provisional,
        effects=imposed.effects,
        not_applied=imposed.not_applied,
    )


def _evaluate(engine: Engine, g: _Gathered, roster: Roster) -> StepRun:
    planned = g.planned
    assert planned.occurrence is not None and planned.step.applies.list is not None
    as_of = planned.occurrence.end
    verdicts = engine.evaluate(planned.step.applies.list, roster.dossiers(as_of), as_of)
    provisional = sum(1 for v in verdicts if not v.conclusive)
    imposed = imposing.of_verdicts(engine, verdicts, _name(planned), roster)
    return StepRun(
        planned,
        True,
        "",
        verdicts=tuple(verdicts),
        provisional=provisional,
        effects=imposed.effects,
        not_applied=imposed.not_applied,
    )


def _record(
    engine: Engine, run: StepRun, roster: Roster | None, store: SqlStore
) -> tuple[StepRun, int]:
    """Write what a step decided, opening the procedures its conclusive hits call for (once
    per finding); the step as recorded, and how many records were written."""
    effects = 0
    if run.effects:  # each told through the outbox (docs/delivery.md)
        told = {e.id: imposing.message_of(engine, e) for e in run.effects}
        effects = store.effects.impose(run.effects, told)
    if run.not_applied:  # each an incident a person must look at (docs/incidents.md)
        store.incidents.open(
            of_not_applied(m, datetime.combine(m.day, time())) for m in run.not_applied
        )
    digest = engine.policies.manifest.digest
    if run.assessment is not None:
        written = store.decisions.record_assessment(run.assessment, run=run.name, policy_set=digest)
        return run, written + effects
    if not run.verdicts:
        return run, effects
    planned = run.planned
    assert planned.occurrence is not None and roster is not None
    hits = [v for v in run.verdicts if v.outcome is Outcome.HIT]
    opened: tuple[ProcessInstance, ...] = ()
    procedure = planned.step.applies.procedure
    if procedure is not None:
        wanted = [v for v in hits if v.conclusive and v.procedure == procedure]
        at = datetime.combine(planned.occurrence.end, time(9))
        opened = engine.runtime(store, roster=roster).open_procedures(
            wanted, ORGANISATION_DEPARTMENT, at
        )
    detail = _(
        "{people} people, {hits} hit, {unknown} not conclusive, {opened} procedures opened"
    ).format(people=len(run.verdicts), hits=len(hits), unknown=run.provisional, opened=len(opened))
    recorded = attrs.evolve(run, detail=detail + _missing(planned), opened=opened)
    ties = {i.subject: i.id for i in opened}  # each hit kept with the procedure it opened
    written = store.decisions.record_verdicts(
        run.verdicts, run=run.name, opened=ties, policy_set=digest
    )
    return recorded, written + effects


def _records_kept(g: _Gathered, roster: Roster) -> StepRun:
    """Each organisation of the step's levels, with the records of its kind dated in the
    occurrence."""
    planned = g.planned
    applies = planned.step.applies
    assert planned.occurrence is not None and applies.records is not None
    start, end = planned.occurrence.start, planned.occurrence.end
    tree = OrganisationTree(roster.organisations)
    counts = Counter(
        r.organisation
        for r in roster.organisation_records
        if r.kind == applies.records and start <= r.dated <= end
    )
    kept = tuple(
        RecordsKept(o, counts[o.id], g.needed)
        for o in roster.organisations
        if o.level in applies.levels
        and (applies.under is None or any(a.name == applies.under for a in tree.ancestors(o.id)))
    )
    missing = sum(1 for k in kept if k.missing)
    if g.needed == 1:
        detail = _("{organisations} organisations, {missing} without a record of {kind}")
    else:
        detail = _(
            "{organisations} organisations, {missing} with fewer than {needed} records of {kind}"
        )
    detail = detail.format(
        organisations=len(kept), missing=missing, needed=g.needed, kind=applies.records
    )
    return StepRun(planned, True, detail + _missing(planned), kept=kept)


def _statements(g: _Gathered) -> StepRun:
    assert g.planned.occurrence is not None and g.ledger is not None
    as_of = g.planned.occurrence.end
    statements = tuple(g.ledger.statement(h.id, as_of) for h in g.ledger.households())
    detail = _("{count} household statements").format(count=len(statements))
    return StepRun(g.planned, True, detail + _missing(g.planned), statements=statements)


def run_period(
    engine: Engine,
    period: Period,
    inputs: StepInputs,
    store: SqlStore,
    *,
    progress: Progress = _silent,
    allow_unused: bool = True,
) -> RunReport:
    """Run every step the loaded cycles declare for ``period`` over ``inputs`` and record it
    in ``store`` (see the module). Raises ScoringError (or the inputs' own error) listing
    every problem of the inputs, or the assessment's, before anything is recorded; with
    ``allow_unused`` false, rows of the inputs no step reads are such problems too."""
    started = process_time()
    calendar = engine.policies.of(CALENDAR)
    plan = engine.policies.of(CYCLES).plan(period, calendar.add_working_days)
    gathered = _gather_all(engine, plan, inputs, store, allow_unused)
    cpu = {"gather": process_time() - started}
    # lists and vetoes read the effects in force: those recorded, then each step's in turn
    roster = inputs.roster
    if roster is not None:
        roster = roster.with_effects([r.effect for r in store.effects.effects()])
    decided: list[StepRun] = []  # everything is decided before anything is written
    with progress(_("cycle steps"), len(gathered)) as advance:
        for g in gathered:
            applies = g.planned.step.applies
            if g.skip is not None:
                decided.append(StepRun(g.planned, False, g.skip))
            elif applies.grade_policy is not None:
                decided.append(_assess(engine, g, roster))
            elif applies.list is not None:
                assert roster is not None  # checked when gathered
                decided.append(_evaluate(engine, g, roster))
            elif applies.records is not None:
                assert roster is not None  # checked when gathered
                decided.append(_records_kept(g, roster))
            else:
                decided.append(_statements(g))
            if roster is not None and decided[-1].effects:
                roster = roster.with_effects(decided[-1].effects)
            advance(1)
    cpu["decide"] = process_time() - started - cpu["gather"]
    steps: list[StepRun] = []
    # what decided, once per policy set: each record names it (governance replay)
    written = store.decisions.record_policy_set(engine.policies.manifest)
    for run in decided:
        recorded, count = _record(engine, run, roster, store)
        steps.append(recorded)
        written += count
    cpu["record"] = process_time() - started - cpu["gather"] - cpu["decide"]
    return RunReport(period, tuple(steps), written, inputs.example, cpu)
