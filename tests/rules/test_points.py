"""Points schemes and ledgers: the three review steps, per-town items and values by year,
redemptions, one-vote vetoes, located errors, and nothing recorded by a refused operation.
The scheme and items here are invented test data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from governance_core import Engine
from governance_core.cli import app
from governance_core.errors import LedgerError, PolicyError
from governance_core.rules.points import (
    Claim,
    ClaimStatus,
    Household,
    Ledger,
    Redemption,
    Review,
)
from tests.support import CITATION

Write = Callable[..., Path]


def scheme_yaml(veto_effect: str = "", extra: str = "") -> str:
    value = f"[{{value: {veto_effect}}}]" if veto_effect else "[]"
    return f"""\
parameters:
  - id: veto_effect
    title: {{zh: 一票否决的后果, en: Veto effect}}
    kind: text
    citation: {CITATION}
    values: {value}
points_schemes:
  - id: test.bank
    title: {{zh: 测试积分, en: Test points}}
    citation: {CITATION}
    categories:
      - {{id: environment, title: {{zh: 人居环境美, en: Environment}}}}
      - {{id: service, title: {{zh: 公益奉献美, en: Service}}}}
    veto_effect: veto_effect
    steps:
      - {{zh: 村民申报, en: declared}}
      - {{zh: 联户党员审核, en: member review}}
      - {{zh: 评价委员会评审, en: committee}}
point_items:
  - scheme: test.bank
    id: tidy
    title: {{zh: 庭院整洁, en: Tidy courtyard}}
    citation: {CITATION}
    category: environment
    kind: bonus
    values:
      - {{value: 5, effective_to: 2024-12-31}}
      - {{value: 3, effective_from: 2025-01-01}}
  - scheme: test.bank
    id: tidy
    town: 甲镇
    title: {{zh: 庭院整洁（甲镇）, en: Tidy courtyard (甲镇)}}
    citation: {CITATION}
    category: environment
    kind: bonus
    values: [{{value: 8}}]
  - scheme: test.bank
    id: littering
    title: {{zh: 乱倒垃圾, en: Littering}}
    citation: {CITATION}
    category: environment
    kind: deduction
    values: [{{value: 2}}]
  - scheme: test.bank
    id: illegal_building
    title: {{zh: 违法建设, en: Illegal building}}
    citation: {CITATION}
    category: service
    kind: veto
{extra}"""


def open_ledger(write: Write, veto_effect: str = "") -> Ledger:
    engine = Engine.load(policies=[write(scheme_yaml(veto_effect))])
    ledger = engine.open_ledger("test.bank")
    ledger.register(Household("h1", "张家", "乙镇", linked_member="李四"))
    ledger.register(Household("h2", "王家", "甲镇"))
    return ledger


def approve(ledger: Ledger, claim_id: str, item: str, day: date, household: str = "h1") -> None:
    ledger.declare(Claim(claim_id, household, item, day, day))
    member = "李四" if household == "h1" else "赵六"
    ledger.review_by_member(claim_id, Review(member, day, True))
    ledger.review_by_committee(claim_id, Review("评价委员会", day, True))


def redeem(ledger: Ledger, rid: str, points: int, day: date) -> None:
    ledger.redeem(Redemption(rid, "h1", day, Decimal(points), "洗衣粉"))


def test_points_count_only_once_the_committee_approves(write: Write) -> None:
    ledger = open_ledger(write)
    day = date(2024, 3, 1)
    ledger.declare(Claim("c1", "h1", "tidy", day, day))
    assert ledger.statement("h1", day).balance == 0
    claim = ledger.review_by_member("c1", Review("李四", date(2024, 3, 2), True))
    assert claim.status is ClaimStatus.MEMBER_APPROVED
    assert ledger.statement("h1", date(2024, 3, 2)).pending == (claim,)
    ledger.review_by_committee("c1", Review("评价委员会", date(2024, 3, 9), True))
    statement = ledger.statement("h1", date(2024, 3, 9))
    assert statement.balance == 5 and not statement.pending
    why = statement.postings[0].explain(ledger.catalogue)
    assert why.startswith("人居环境美 · 庭院整洁 (全县): 村民申报 2024-03-01 → 联户党员审核 李四")
    assert "《测试文件》第一条" in why
    assert ledger.statement("h1", date(2024, 3, 8)).balance == 0  # as of before the decision
    assert ledger.statement("h1", date(2024, 2, 29)).pending == ()  # not yet declared


def test_a_refusal_at_either_step_earns_nothing(write: Write) -> None:
    ledger = open_ledger(write)
    day = date(2024, 3, 1)
    ledger.declare(Claim("c1", "h1", "tidy", day, day))
    ledger.review_by_member("c1", Review("李四", day, False, "院内堆放杂物"))
    with pytest.raises(LedgerError, match="this one is rejected"):
        ledger.review_by_committee("c1", Review("评价委员会", day, True))
    statement = ledger.statement("h1", day)
    assert statement.balance == 0 and [c.id for c in statement.rejected] == ["c1"]


def test_steps_in_order_by_the_linked_member_or_refused_and_nothing_changes(
    write: Write,
) -> None:
    ledger = open_ledger(write)
    day = date(2024, 3, 1)
    ledger.declare(Claim("c1", "h1", "tidy", day, day))
    with pytest.raises(LedgerError, match="needs a claim that is member_approved"):
        ledger.review_by_committee("c1", Review("评价委员会", day, True))
    with pytest.raises(LedgerError, match="王五 is not the party member linked") as refused:
        ledger.review_by_member("c1", Review("王五", day, True))
    assert refused.value.problems[0].hint == "its linked member is 李四"
    with pytest.raises(LedgerError, match="before it was declared"):
        ledger.review_by_member("c1", Review("李四", date(2024, 2, 1), True))
    assert ledger.claims()[0].status is ClaimStatus.DECLARED
    with pytest.raises(LedgerError, match="recorded already"):
        ledger.declare(Claim("c1", "h1", "tidy", day, day))
    with pytest.raises(LedgerError, match="did you mean 'tidy'"):
        ledger.declare(Claim("c2", "h1", "tidyy", day, day))


def test_a_towns_own_item_and_values_by_year(write: Write) -> None:
    ledger = open_ledger(write)
    approve(ledger, "c1", "tidy", date(2024, 6, 1))  # 乙镇: the county's item, 2024 value
    approve(ledger, "c2", "tidy", date(2025, 6, 1))  # 2025 value
    approve(ledger, "c3", "tidy", date(2024, 6, 1), household="h2")  # 甲镇's own item
    assert [p.points for p in ledger.statement("h1", date(2025, 12, 31)).postings] == [5, 3]
    h2 = ledger.statement("h2", date(2025, 12, 31)).postings
    assert h2[0].points == 8 and "(甲镇)" in h2[0].explain(ledger.catalogue)


def test_a_deduction_may_go_below_zero_but_a_redemption_may_not(write: Write) -> None:
    ledger = open_ledger(write)
    approve(ledger, "c1", "littering", date(2024, 3, 1))
    assert ledger.statement("h1", date(2024, 3, 1)).balance == -2
    approve(ledger, "c2", "tidy", date(2024, 3, 2))
    with pytest.raises(LedgerError, match="4 points asked, the balance is 3"):
        redeem(ledger, "r1", 4, date(2024, 3, 3))
    redeem(ledger, "r1", 3, date(2024, 3, 3))
    assert ledger.statement("h1", date(2024, 3, 3)).balance == 0
    with pytest.raises(LedgerError, match="points must be above 0"):
        redeem(ledger, "r2", 0, date(2024, 3, 3))


def test_the_book_is_kept_in_date_order(write: Write) -> None:
    ledger = open_ledger(write)
    approve(ledger, "c1", "tidy", date(2024, 3, 10))
    with pytest.raises(LedgerError, match="before the household's last posting"):
        redeem(ledger, "r1", 1, date(2024, 3, 9))
    with pytest.raises(LedgerError, match="before the household's last posting"):
        approve(ledger, "c2", "tidy", date(2024, 3, 1))
    assert ledger.statement("h1", date(2024, 12, 31)).balance == 5


def test_an_unpublished_veto_effect_keeps_the_balance_provisional(write: Write) -> None:
    ledger = open_ledger(write)
    approve(ledger, "c1", "tidy", date(2024, 3, 1))
    approve(ledger, "c2", "illegal_building", date(2024, 4, 1))
    statement = ledger.statement("h1", date(2024, 4, 1))
    assert statement.balance == 5 and statement.provisional
    assert "its effect is not published (veto_effect)" in statement.notes[0]
    with pytest.raises(LedgerError, match="what it does is not published"):
        redeem(ledger, "r1", 1, date(2024, 4, 2))
    assert not ledger.statement("h1", date(2024, 3, 31)).provisional  # before the veto


def test_published_veto_effects(write: Write) -> None:
    forfeit = open_ledger(write, "forfeit_balance")
    approve(forfeit, "c1", "tidy", date(2024, 3, 1))
    approve(forfeit, "c2", "illegal_building", date(2024, 4, 1))
    postings = forfeit.statement("h1", date(2024, 4, 1)).postings
    assert [(p.points, p.balance) for p in postings] == [(5, 5), (-5, 0)]

    bar = open_ledger(write, "bar_redemption")
    approve(bar, "c1", "tidy", date(2024, 3, 1))
    approve(bar, "c2", "illegal_building", date(2024, 4, 1))
    with pytest.raises(LedgerError, match="bars redemption until the year's end"):
        redeem(bar, "r1", 1, date(2024, 12, 31))
    redeem(bar, "r1", 1, date(2025, 1, 1))
    assert bar.statement("h1", date(2025, 1, 1)).balance == 4


def test_an_unknown_veto_effect_is_an_error(write: Write) -> None:
    ledger = open_ledger(write, "clear_all")
    with pytest.raises(LedgerError, match="'clear_all' on 2024-04-01, not a veto effect"):
        approve(ledger, "c1", "illegal_building", date(2024, 4, 1))
    assert ledger.statement("h1", date(2024, 12, 31)).postings == ()


LEDGER = """\
scheme: test.bank
households:
  - {id: h1, name: 张家, town: 乙镇, linked_member: 李四}
claims:
  - id: c1
    household: h1
    item: tidy
    occurred_on: 2024-03-01
    declared_on: 2024-03-01
    member_review: {by: 李四, reviewed_on: 2024-03-02, approved: true}
    committee_review: {by: 评价委员会, reviewed_on: 2024-03-09, approved: true}
redemptions:
  - {id: r1, household: h1, redeemed_on: 2024-03-10, points: 5, goods: 洗衣粉}
"""


def test_a_ledger_file_is_replayed_in_date_order(write: Write) -> None:
    engine = Engine.load(policies=[write(scheme_yaml())])
    # the redemption is listed after the claim but would be refused before its decision
    ledger = engine.read_ledger(write(LEDGER, "ledger.yaml"))
    assert ledger.statement("h1", date(2024, 3, 10)).balance == 0


def test_every_problem_of_a_ledger_file_is_located_and_nothing_is_returned(
    write: Write,
) -> None:
    engine = Engine.load(policies=[write(scheme_yaml())])
    bad = (
        LEDGER.replace("item: tidy", "item: tidyy")
        .replace("redeemed_on: 2024-03-10, points: 5", "redeemed_on: 2024-03-10, points: 7")
        .replace(
            "claims:",
            "claims:\n  - {id: c0, household: h9, item: tidy, "
            "occurred_on: 2024-01-01, declared_on: 2024-01-01}",
        )
    )
    with pytest.raises(LedgerError) as raised:
        engine.read_ledger(write(bad, "ledger.yaml"))
    found = [(p.line, p.column, p.rule_id, p.message, p.hint) for p in raised.value.problems]
    assert found == [
        (
            5,
            25,
            "c0",
            "no household 'h9'",
            "register it first (a ledger file lists it under households)",
        ),
        (
            8,
            11,
            "c1",
            "no item 'tidyy' of test.bank is in effect for 乙镇 on 2024-03-01",
            "did you mean 'tidy'?",
        ),
        (14, 62, "r1", "7 points asked, the balance is 0", None),
    ]


def test_a_ledger_naming_an_unknown_scheme(write: Write) -> None:
    engine = Engine.load(policies=[write(scheme_yaml())])
    with pytest.raises(LedgerError, match=r"no points scheme 'test\.bnak'") as raised:
        engine.read_ledger(write(LEDGER.replace("test.bank", "test.bnak"), "ledger.yaml"))
    assert raised.value.problems[0].line == 1


def test_scheme_and_item_problems_are_located(write: Write) -> None:
    extra = f"""\
  - scheme: test.bank
    id: wrong_category
    title: {{zh: 错, en: Wrong}}
    citation: {CITATION}
    category: enviroment
    kind: bonus
    values: [{{value: 1}}]
  - scheme: test.bank
    id: veto_with_points
    title: {{zh: 错, en: Wrong}}
    citation: {CITATION}
    category: service
    kind: veto
    values: [{{value: 1}}]
  - scheme: test.bank
    id: tidy
    title: {{zh: 重复, en: Twice}}
    citation: {CITATION}
    category: environment
    kind: bonus
    values: [{{value: -1}}]
"""
    with pytest.raises(PolicyError) as raised:
        Engine.load(policies=[write(scheme_yaml(extra=extra))])
    messages = {(p.rule_id, p.message) for p in raised.value.problems}
    assert ("veto_with_points", "a veto item has no points") in messages
    assert ("tidy", "points must be above 0, not -1") in messages
    fixed = extra.replace("-1", "1").replace("kind: veto\n    values: [{value: 1}]", "kind: veto")
    with pytest.raises(PolicyError) as raised:
        Engine.load(policies=[write(scheme_yaml(extra=fixed))])
    found = {(p.rule_id, p.message, p.hint) for p in raised.value.problems}
    assert (
        "wrong_category",
        "'enviroment' is not a category of test.bank",
        "did you mean 'environment'?",
    ) in found
    assert any(m == "duplicate id 'test.bank/*/tidy'" for _, m, _ in found)


def test_the_command_prints_statements(write: Write) -> None:
    policy = write(scheme_yaml())
    ledger = write(LEDGER, "ledger.yaml")
    args = ["points", str(ledger), "--policy", str(policy)]
    table = CliRunner().invoke(app, args)
    assert table.exit_code == 0, table.output
    assert "余额：0" in table.output and "兑换 洗衣粉" in table.output
    data = CliRunner().invoke(app, [*args, "-f", "json", "--as-of", "2024-03-09"])
    assert '"balance": "5"' in data.output and '"村民申报 2024-03-01' not in data.output
    bad = write(LEDGER.replace("points: 5", "points: 6"), "bad.yaml")
    failed = CliRunner().invoke(app, ["points", str(bad), "--policy", str(policy)])
    assert failed.exit_code == 1 and "申请 6 分，余额为 5" in failed.output


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    path = tmp_path_factory.mktemp("points") / "policy.yaml"
    path.write_text(scheme_yaml(), encoding="utf-8")
    return Engine.load(policies=[path])


@given(
    items=st.lists(st.sampled_from(["tidy", "littering"]), max_size=8),
    asks=st.lists(st.integers(1, 10), max_size=4),
)
def test_the_balance_is_what_was_earned_less_what_was_redeemed(
    bank: Engine, items: list[str], asks: list[int]
) -> None:
    ledger = bank.open_ledger("test.bank")
    ledger.register(Household("h1", "张家", "乙镇"))
    day = date(2024, 1, 1)
    expected = 0
    for n, item in enumerate(items):
        approve(ledger, f"c{n}", item, day)
        expected += 5 if item == "tidy" else -2
    for n, ask in enumerate(asks):
        try:
            redeem(ledger, f"r{n}", ask, day)
            expected -= ask
        except LedgerError:
            assert ask > expected  # refused only beyond the balance
    statement = ledger.statement("h1", day)
    assert statement.balance == expected
    assert all(p.balance >= 0 for p in statement.postings if p.redemption)
