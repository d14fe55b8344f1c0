"""The main job: one quarter of a district, run under the loaded policies and recorded.

For a quarter it runs, each step only when the policies it needs are loaded (otherwise it is
reported as skipped, with the reason):

1. the monthly evaluation of every village secretary, ranked per town, for each month, to be
   announced before the day the deadline parameter gives (市中区: before the 10th);
2. the quarterly rules per town (市中区: the bottom 2 barred from awards, the last a lagging
   village);
3. the lists that open a procedure (市中区's 有错无为 conditions), for everyone as of the
   quarter's end; each conclusive hit opens its procedure in the store;
4. in the fourth quarter, the first secretaries' annual assessment (胶州's rubric × the
   satisfaction vote, its grades and their consequences).

Every verdict and score sheet is recorded in the store, under the run's name, so running the
same quarter again writes nothing twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime, time, timedelta
from typing import final

import attrs

from governance_core.engine import Engine
from governance_core.errors import GovernanceError, UnknownPolicyError
from governance_core.jobs.example_district import ExampleDistrict
from governance_core.messages import _
from governance_core.plugins import RunPlan
from governance_core.rules.criteria.definition import Effect
from governance_core.rules.criteria.verdicts import ListVerdict, Outcome
from governance_core.rules.scoring import Assessment
from governance_core.runtime import Actor, ProcessInstance
from governance_core.runtime.storage import SqlStore

__all__ = ["Quarter", "RunReport", "Step", "run_quarter"]

ORGANISATION_DEPARTMENT = Actor("区委组织部", frozenset({"district"}))


@final
@attrs.frozen(slots=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """``2024Q4`` or ``2024-Q4``."""
        found = re.fullmatch(r"(\d{4})-?[Qq]([1-4])", text.strip())
        if found is None or not 1949 <= int(found[1]) <= 2100:  # the People's Republic's years
            raise ValueError(_("{text!r} is not a quarter: write it as 2024Q4").format(text=text))
        return cls(int(found[1]), int(found[2]))

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def months(self) -> tuple[date, date, date]:
        first = 3 * self.number - 2
        return (
            date(self.year, first, 1),
            date(self.year, first + 1, 1),
            date(self.year, first + 2, 1),
        )

    @property
    def last_day(self) -> date:
        return _month_end(self.months[-1])


def _month_end(month: date) -> date:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - timedelta(days=1)


@final
@attrs.frozen(slots=True)
class Step:
    """What a step did, or why it was skipped; ``title`` is its Chinese name, for the
    workbook and the summary (a quarterly rule's is its grade policy's title)."""

    name: str
    done: bool
    detail: str
    title: str


_TITLES = {
    "monthly": "月评估排名",
    "procedures": "启动程序的清单",
    "annual": "第一书记年度考核",
}


def _step(name: str, done: bool, detail: str, title: str | None = None) -> Step:
    return Step(name, done, detail, title or _TITLES.get(name, name))


@final
@attrs.frozen(slots=True)
class Monthly:
    month: date
    announce_by: date | None
    assessment: Assessment


@final
@attrs.frozen(slots=True)
class RunReport:
    """Everything a quarter's run decided, and what it wrote."""

    quarter: Quarter
    steps: tuple[Step, ...]
    monthly: tuple[Monthly, ...]
    quarterly: tuple[Assessment, ...]
    verdicts: tuple[ListVerdict, ...]
    opened: tuple[ProcessInstance, ...]
    annual: Assessment | None
    records_written: int


Progress = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]
"""``progress(description, total)`` gives a context whose value advances by a count."""


def _silent(_: str, __: int) -> AbstractContextManager[Callable[[int], None]]:
    return nullcontext(lambda _n: None)


def _loaded(engine: Engine, policy_id: str | None) -> bool:
    if policy_id is None:
        return False
    try:
        engine.policies.scoring.grade_policy(policy_id)
    except UnknownPolicyError:
        return False
    return True


def _announce_by(engine: Engine, plan: RunPlan, month: date) -> date | None:
    """The day before which the month's ranking is announced: the deadline parameter's day
    of the following month (None when no parameter is named, loaded or valued)."""
    following = _month_end(month) + timedelta(days=1)
    if plan.deadline_day is None:
        return None
    try:
        day = engine.policies.values_on(following, strict=True)[plan.deadline_day]
    except (KeyError, GovernanceError):
        return None
    return following.replace(day=int(day))


def run_quarter(
    engine: Engine,
    district: ExampleDistrict,
    quarter: Quarter,
    store: SqlStore,
    *,
    plan: RunPlan,
    progress: Progress = _silent,
) -> RunReport:
    """Run ``quarter`` over ``district`` with the policies ``plan`` names (the settings'
    ``[run]`` table) and record it in ``store`` (see the module)."""
    run = f"run/{quarter}"
    steps: list[Step] = []
    written = 0

    monthly: list[Monthly] = []
    if plan.monthly is not None and _loaded(engine, plan.monthly):
        with progress("月评估排名 monthly ranking", 3) as advance:
            for month in quarter.months:
                announce_by = _announce_by(engine, plan, month)
                as_of = announce_by - timedelta(days=1) if announce_by else _month_end(month)
                result = engine.assess(plan.monthly, district.monthly_scores(month), as_of)
                written += store.decisions.record_assessment(result, run=f"{run}/{month:%Y-%m}")
                monthly.append(Monthly(month, announce_by, result))
                advance(1)
        steps.append(_step("monthly", True, f"{len(monthly)} months ranked per town"))
    else:
        steps.append(_step("monthly", False, _not_run(plan.monthly, "monthly")))

    quarterly: list[Assessment] = []
    entries = district.quarterly_scores(quarter.year, quarter.number)
    for policy_id in plan.quarterly:
        if not _loaded(engine, policy_id):
            steps.append(_step(policy_id, False, _not_run(policy_id, "quarterly")))
            continue
        title = engine.policies.scoring.grade_policy(policy_id).title.zh
        result = engine.assess(policy_id, entries, quarter.last_day)
        written += store.decisions.record_assessment(result, run=run)
        quarterly.append(result)
        detail = f"{len(result.graded)} graded in {len(result.groups())} towns"
        steps.append(_step(policy_id, True, detail, title))

    verdicts, opened = _open_procedures(engine, district, quarter, store, progress)
    written += store.decisions.record_verdicts(verdicts, run=run)
    steps.append(
        _step("procedures", True, f"{len(verdicts)} verdicts, {len(opened)} procedures opened")
    )

    annual = None
    if quarter.number != 4:
        steps.append(
            _step("annual", False, "the first secretaries are assessed in the fourth quarter")
        )
    elif plan.annual is None or not _loaded(engine, plan.annual):
        steps.append(_step("annual", False, _not_run(plan.annual, "annual")))
    else:
        scoring = engine.policies.scoring
        policy = scoring.grade_policy(plan.annual)
        rubric = scoring.rubric(policy.rubric) if policy.rubric else None
        vote = scoring.votes.get(policy.vote or "")
        if rubric is None:
            steps.append(_step("annual", False, f"{plan.annual} has no rubric to score"))
        else:
            entries = district.first_secretary_entries(rubric, vote, quarter.year)
            with progress("第一书记年度考核 annual assessment", 1) as advance:
                annual = engine.assess(
                    plan.annual, entries, quarter.last_day, roster=district.roster
                )
                advance(1)
            written += store.decisions.record_assessment(annual, run=run)
            steps.append(_step("annual", True, f"{len(annual.graded)} first secretaries graded"))
    return RunReport(
        quarter, tuple(steps), tuple(monthly), tuple(quarterly), tuple(verdicts),
        tuple(opened), annual, written,
    )  # fmt: skip


def _not_run(policy_id: str | None, key: str) -> str:
    if policy_id is None:
        return f"no grade policy is named: set {key} in the [run] table of governance.toml"
    return f"grade policy {policy_id} is not loaded"


def _procedure_lists(engine: Engine) -> Iterator[str]:
    for list_id, compiled in engine.policies.lists.items():
        if compiled.criteria.effect is Effect.OPENS_PROCEDURE:
            yield list_id


def _open_procedures(
    engine: Engine,
    district: ExampleDistrict,
    quarter: Quarter,
    store: SqlStore,
    progress: Progress,
) -> tuple[list[ListVerdict], list[ProcessInstance]]:
    """Every list that opens a procedure, for everyone as of the quarter's end; each
    conclusive hit opens its procedure (idempotently: its request id names the finding)."""
    as_of = quarter.last_day
    runtime = engine.runtime(store, roster=district.roster)
    dossiers = district.roster.dossiers(as_of)
    verdicts: list[ListVerdict] = []
    lists: Sequence[str] = list(_procedure_lists(engine))
    with progress("负面清单 lists that open procedures", len(lists)) as advance:
        for list_id in lists:
            verdicts += engine.evaluate(list_id, dossiers, as_of)
            advance(1)
    hits = [v for v in verdicts if v.outcome is Outcome.HIT and v.conclusive]
    at = datetime.combine(as_of, time(9))
    opened = runtime.open_procedures(hits, ORGANISATION_DEPARTMENT, at)
    return verdicts, list(opened)
