"""An overlay changes a grade policy's ambiguous settings (rounding, ties, vetoed_slot) with a
reason, without copying the policy; the change is recorded, and a bad entry is located."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from governance_core import Engine, PolicyError
from governance_core.loading.overlays import ChangeKind
from governance_core.rules.scoring.kind import SCORING
from tests.support import ROOT

pytestmark = pytest.mark.districts  # every test here reads a contrib plugin

POLICY = "jiaozhou.first_secretary_grades"
HEAD = "overlay: {id: district-settings, title: {zh: 区定等设置, en: District settings}, version: '1'}\n"


def _overlay(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "settings.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def test_a_setting_changes_and_the_change_is_recorded(tmp_path: Path) -> None:
    overlay = _overlay(
        tmp_path,
        (
            "grade_policies:\n"
            f"  - {{grade_policy: {POLICY}, vetoed_slot: leave, reason: 区委决定被否决者的名额不再递补}}\n"
        ),
    )
    base = Engine.load(plugins=["jiaozhou"])
    changed = Engine.load(plugins=["jiaozhou"], overlays=[overlay])
    before = base.policies.of(SCORING).grade_policy(POLICY)
    after = changed.policies.of(SCORING).grade_policy(POLICY)
    assert before.vetoed_slot.value == "refill" and after.vetoed_slot.value == "leave"
    assert (after.rounding, after.ties) == (before.rounding, before.ties)  # the rest stays
    (change,) = [c for c in changed.policies.changes if c.rule_id.startswith(POLICY)]
    assert change.kind is ChangeKind.REPLACED and change.reason == "区委决定被否决者的名额不再递补"
    assert change.rule_id == f"{POLICY} (vetoed_slot: leave)"
    assert change.supplier.name.startswith("district-settings")


@pytest.mark.parametrize(
    ("entry", "line", "message"),
    [
        (
            "  - {grade_policy: jiaozhou.first_secretary_grade, ties: extend, reason: x}\n",
            3,
            "no grade policy 'jiaozhou.first_secretary_grade' to change",
        ),
        (f"  - {{grade_policy: {POLICY}, reason: x}}\n", 3, "the entry changes nothing"),
        (f"  - {{grade_policy: {POLICY}, rounding: nearest, reason: x}}\n", 3, "nearest"),
        (f"  - {{grade_policy: {POLICY}, ties: extend}}\n", 3, "reason"),
        (f"  - {{grade_policy: {POLICY}, min_group: 0, reason: x}}\n", 3, "at least 1"),
        (f"  - {{grade_policy: {POLICY}, min_group: many, reason: x}}\n", 3, "whole number"),
    ],
)
def test_a_bad_entry_is_located(tmp_path: Path, entry: str, line: int, message: str) -> None:
    overlay = _overlay(tmp_path, "grade_policies:\n" + entry)
    with pytest.raises(PolicyError) as caught:
        Engine.load(plugins=["jiaozhou"], overlays=[overlay])
    (problem,) = caught.value.problems
    assert problem.line == line and message in problem.message + (problem.hint or "")


def test_a_small_group_and_the_quota_base_are_settings(tmp_path: Path) -> None:
    # 市中区's bottom 2 in a town of 2 bars both; a district may say a quota needs a group of 3
    from datetime import date
    from decimal import Decimal

    from governance_core.rules.scoring import Entry

    overlay = _overlay(
        tmp_path,
        (
            "grade_policies:\n"
            "  - {grade_policy: shizhong.quarterly_awards_bar, min_group: 3, reason: 不足3个村的镇街不适用后2位}\n"
        ),
    )
    engine = Engine.load(plugins=["shizhong"], overlays=[overlay])
    entries = [Entry(p, p, {"town": "小镇"}, score=Decimal(s)) for p, s in (("a", 90), ("b", 80))]
    policy = "shizhong.quarterly_awards_bar"
    before = Engine.load(plugins=["shizhong"]).assess(policy, entries, date(2024, 12, 31))
    after = engine.assess(policy, entries, date(2024, 12, 31))
    assert {g.grade for g in before.graded} == {"不得评先树优"}
    assert {g.grade for g in after.graded} == {"未受限制"}
    assert all("no quota applies" in g.notes[0] for g in after.graded)


def test_the_quota_base_counts_the_group_or_the_ranked(tmp_path: Path) -> None:
    # 淄川's 4:5:1: 4/10 of a town of 10 is 4, of the 7 with a score 2 (rounded down)
    from datetime import date
    from decimal import Decimal

    from governance_core.rules.scoring import Entry

    policy = "zichuan.xihe_quarterly_tiers"
    entries = [
        Entry(f"p{n}", f"p{n}", {"town": "西河镇"}, score=None if n > 7 else Decimal(100 - n))
        for n in range(1, 11)
    ]
    overlay = _overlay(
        tmp_path,
        (
            f"grade_policies:\n  - {{grade_policy: {policy}, quota_base: ranked, reason: 只计有得分者}}\n"
        ),
    )
    group = Engine.load(plugins=["zichuan"]).assess(policy, entries, date(2024, 12, 31))
    ranked = Engine.load(plugins=["zichuan"], overlays=[overlay]).assess(
        policy, entries, date(2024, 12, 31)
    )
    assert sum(g.grade == "优秀" for g in group.graded) == 4
    assert sum(g.grade == "优秀" for g in ranked.graded) == 2


def test_a_rubric_s_unit_rounding_is_a_setting(tmp_path: Path) -> None:
    # 胶州: +5 per 10,000 yuan invested; 19,000 yuan is 1 whole unit, or 1.9 exact ones
    from governance_core.rules.scoring import score

    rubric = "jiaozhou.first_secretary_goals"
    overlay = _overlay(
        tmp_path,
        (
            f"rubrics:\n  - {{rubric: {rubric}, rule: venue_investment, rounding: exact, "
            "reason: 按实际投入折算}\n"
        ),
    )
    base = Engine.load(plugins=["jiaozhou"]).policies.of(SCORING).rubric(rubric)
    exact = (
        Engine.load(plugins=["jiaozhou"], overlays=[overlay]).policies.of(SCORING).rubric(rubric)
    )
    cases = ROOT / "plugins_contrib" / "jiaozhou" / "cases"
    met = yaml.safe_load((cases / "assessment.yaml").read_text(encoding="utf-8"))["cases"][1]
    inputs = {**met["inputs"], "venue_investment_yuan": 19000}
    totals = [score(r, "p", inputs).total for r in (base, exact)]
    assert [str(t) for t in totals] == ["105", "219/2"]  # 100 + 5, or 100 + 9.5


def test_a_rubric_setting_names_a_rule_that_reads_an_amount(tmp_path: Path) -> None:
    overlay = _overlay(
        tmp_path,
        (
            "rubrics:\n  - {rubric: jiaozhou.first_secretary_goals, rule: service_point, "
            "rounding: exact, reason: x}\n"
        ),
    )
    with pytest.raises(PolicyError) as caught:
        Engine.load(plugins=["jiaozhou"], overlays=[overlay])
    (problem,) = caught.value.problems
    assert "no rule 'service_point' that reads an amount" in problem.message and problem.line == 3
