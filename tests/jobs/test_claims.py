"""The points claim procedure posts to the ledger (jobs/claims.py): the linked member's and
the committee's steps on an instance about a claim are that claim's reviews, and the
committee's approval posts its points when the ledger is replayed — from a period's run too;
a claim reviewed both in its file and by a procedure is a located problem."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from governance_core import Engine
from governance_core.errors import LedgerError
from governance_core.jobs.claims import claim_reviews
from governance_core.jobs.cycle_run import run_period
from governance_core.rules.cycles import Period
from governance_core.runtime import Actor
from governance_core.storage import SqlStore
from tests.support import ROOT

pytestmark = pytest.mark.districts  # 嘉祥's scheme and procedure

ITEMS = ROOT / "plugins_contrib" / "jiaxiang" / "docs" / "example-town-items.yaml"
LEDGER = """\
scheme: jiaxiang.civility_bank
households:
  - {id: h001, name: 张秀英户, town: 纸坊镇, village: 王庄村, linked_member: 李建军}
claims:
  - {id: c9, household: h001, item: tidy_courtyard, occurred_on: 2024-03-02, declared_on: 2024-03-03}
"""
# the district publishes how often statements are drawn (嘉祥 does not): quarterly, for the test
CADENCE = """\
overlay: {id: test.cadence, title: {zh: 测试, en: Test}, version: "1"}
parameters:
  - parameter: jiaxiang_statement_cadence
    citation: {document: 测试, article: 一, source: test}
    values:
      - {value: quarterly}
"""
MEMBER = Actor("李建军", frozenset({"linked_member"}))
COMMITTEE = Actor("王庄村文明银行评价委员会", frozenset({"evaluation_committee"}))


def _setting(tmp_path: Path, *, committee: bool = True) -> tuple[Engine, SqlStore, Path]:
    (cadence := tmp_path / "cadence.yaml").write_text(CADENCE, encoding="utf-8")
    engine = Engine.load(plugins=["jiaxiang"], policies=[ITEMS], overlays=[cadence])
    store = SqlStore(f"sqlite:///{tmp_path / 'governance.db'}")
    runtime = engine.runtime(store)
    claim = runtime.start("jiaxiang.points_claim", "c9", MEMBER, datetime(2024, 3, 3, 9))
    claim = runtime.fire(claim, "member_approves", MEMBER, datetime(2024, 3, 4, 9)).instance
    if committee:
        runtime.fire(claim, "committee_approves", COMMITTEE, datetime(2024, 3, 10, 9))
    (ledger := tmp_path / "ledger.yaml").write_text(LEDGER, encoding="utf-8")
    return engine, store, ledger


def test_the_committee_s_step_posts_the_points(tmp_path: Path) -> None:
    engine, store, path = _setting(tmp_path)
    reviews = claim_reviews(store, "jiaxiang.points_claim")
    assert reviews["c9"].member is not None and reviews["c9"].committee is not None
    assert reviews["c9"].committee.by == COMMITTEE.id
    without = engine.read_ledger(path).statement("h001", date(2024, 3, 31))
    posted = engine.read_ledger(path, reviews=reviews).statement("h001", date(2024, 3, 31))
    assert without.balance == 0 and posted.balance > 0
    (posting,) = posted.postings
    assert posting.on == date(2024, 3, 10) and posting.claim is not None


def test_a_claim_waiting_for_the_committee_posts_nothing(tmp_path: Path) -> None:
    engine, store, path = _setting(tmp_path, committee=False)
    reviews = claim_reviews(store, "jiaxiang.points_claim")
    statement = engine.read_ledger(path, reviews=reviews).statement("h001", date(2024, 3, 31))
    assert statement.balance == 0 and len(statement.pending) == 1


def test_a_claim_reviewed_twice_is_a_located_problem(tmp_path: Path) -> None:
    engine, store, path = _setting(tmp_path)
    path.write_text(
        LEDGER.replace(
            "declared_on: 2024-03-03}",
            "declared_on: 2024-03-03, member_review: {by: 李建军, reviewed_on: 2024-03-04, approved: true}}",
        ),
        encoding="utf-8",
    )
    with pytest.raises(LedgerError) as caught:
        engine.read_ledger(path, reviews=claim_reviews(store, "jiaxiang.points_claim"))
    (problem,) = caught.value.problems
    assert "reviewed twice" in problem.message and problem.line == 5


class _Ledgers:
    """A district's inputs holding only its ledger file (the cycle's points step)."""

    example = False
    roster = None
    problems = ()

    def __init__(self, path: Path) -> None:
        self.path = path

    def unused(self) -> list[tuple[str, str]]:
        return []

    def entries(self, *_args: object) -> str:
        return "no scores"

    def ledger(self, engine: Engine, scheme: str, planned: object, reviews: object) -> object:
        return engine.read_ledger(self.path, reviews=reviews)  # type: ignore[arg-type]


def test_a_period_s_run_posts_what_the_procedure_approved(tmp_path: Path) -> None:
    engine, store, path = _setting(tmp_path)
    report = run_period(engine, Period.parse("2024Q1"), _Ledgers(path), store)  # type: ignore[arg-type]
    statements = [s for step in report.steps for s in step.statements]
    (statement,) = [s for s in statements if s.household.id == "h001"]
    assert statement.balance > 0 and len(statement.postings) == 1


def test_two_instances_reviewing_one_claim_are_a_problem(tmp_path: Path) -> None:
    engine, store, _path = _setting(tmp_path, committee=False)
    runtime = engine.runtime(store)
    again = runtime.start("jiaxiang.points_claim", "c9", MEMBER, datetime(2024, 3, 5, 9))
    runtime.fire(again, "member_approves", MEMBER, datetime(2024, 3, 6, 9))
    with pytest.raises(LedgerError, match="reviewed by two procedure instances"):
        claim_reviews(store, "jiaxiang.points_claim")
