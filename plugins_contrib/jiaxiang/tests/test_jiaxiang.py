"""The 嘉祥 plugin: the 文明银行 scheme of source 001 — five categories, the three-step review,
a veto effect the source does not publish — with the example town items and ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from governance_core import Engine
from governance_core.errors import LedgerError
from governance_core.rules.points import Claim, Household, Redemption, Review
from governance_core.rules.points.kind import POINTS

DOCS = Path(__file__).parent.parent / "docs"
SCHEME = "jiaxiang.civility_bank"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(plugins=["jiaxiang"], policies=[DOCS / "example-town-items.yaml"])


def test_the_scheme_of_source_001(engine: Engine) -> None:
    scheme = engine.policies.of(POINTS).catalogue(SCHEME).scheme
    assert [c.title.zh for c in scheme.categories] == [
        "人居环境美",
        "家庭和睦美",
        "乡村发展美",
        "公益奉献美",
        "自治守法美",
    ]
    assert [s.zh for s in scheme.steps] == ["村民申报", "联户党员审核", "村文明银行评价委员会评审"]
    assert scheme.citation.source == "001_37a9402a9ed30279.txt"
    assert engine.policies.parameters["jiaxiang_veto_effect"].values == ()  # not published


def test_the_plugin_alone_has_no_items(engine: Engine) -> None:
    # the source publishes no item or value: every item is a town's
    alone = Engine.load(plugins=["jiaxiang"])
    assert alone.policies.of(POINTS).catalogue(SCHEME).items == {}
    assert all(
        item.citation.source == "example"
        for item in engine.policies.of(POINTS).catalogue(SCHEME).items.values()
    )


def test_the_example_ledger(engine: Engine) -> None:
    ledger = engine.read_ledger(DOCS / "example-ledger.yaml")
    h001 = ledger.statement("h001", date(2025, 12, 31))
    assert [p.points for p in h001.postings] == [5, 4, -6]  # 纸坊镇's own 4 for volunteering
    assert h001.balance == 3 and [c.id for c in h001.pending] == ["c005"]
    h002 = ledger.statement("h002", date(2025, 12, 31))
    assert h002.balance == 2 and [c.id for c in h002.rejected] == ["c004"]


def test_a_veto_leaves_the_balance_provisional_until_its_effect_is_published(
    engine: Engine,
) -> None:
    ledger = engine.read_ledger(DOCS / "example-ledger.yaml")
    day = date(2024, 5, 1)
    ledger.declare(Claim("c9", "h001", "illegal_construction", day, day))
    ledger.review_by_member("c9", Review("李建军", day, True))
    ledger.review_by_committee("c9", Review("王庄村文明银行评价委员会", day, True))
    statement = ledger.statement("h001", day)
    assert statement.provisional and statement.balance == 3
    with pytest.raises(LedgerError, match="jiaxiang_veto_effect"):
        ledger.redeem(Redemption("r9", "h001", day, Decimal(1), "毛巾"))
    ledger.register(Household("h003", "刘家", "纸坊镇"))
    assert ledger.statement("h003", day).balance == 0
