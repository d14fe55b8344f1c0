"""The 淄川 plugin: 西河镇's 4:5:1 tiers and the red/yellow cards of source 003, on the example
quarter and on hand-made towns; what the source leaves unsaid stays visible as provisional."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from governance_core import Engine
from governance_core.cli import app
from governance_core.rules.scoring import Assessment, Entry, Graded, read_assessment
from governance_core.rules.scoring.kind import SCORING

DOCS = Path(__file__).parent.parent / "docs"
TIERS = "zichuan.xihe_quarterly_tiers"
CARDS = "zichuan.red_yellow_cards"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(plugins=["zichuan"])


def run(engine: Engine, policy: str) -> Assessment:
    read = read_assessment(DOCS / "example-quarter.yaml")
    return engine.assess(policy, read.entries, read.as_of)


def by_person(result: Assessment) -> dict[str, Graded]:
    return {g.person_id: g for g in result.graded}


def town(*scores: float) -> list[Entry]:
    return [
        Entry(f"v{n}", f"村{n}", {"town": "西河镇"}, score=Decimal(str(s)))
        for n, s in enumerate(scores)
    ]


def test_both_policies_are_cited_to_source_003(engine: Engine) -> None:
    for policy_id in (TIERS, CARDS):
        policy = engine.policies.of(SCORING).grade_policy(policy_id)
        assert policy.citation.source == "003_3c5e33d55d007e53.txt"
        assert policy.composite.value == "given"  # the monthly items are not published
    tiers = engine.policies.of(SCORING).grade_policy(TIERS)
    assert [(q.grade, q.share) for q in (*tiers.top, *tiers.bottom)] == [
        ("优秀", (4, 10)),
        ("较差", (1, 10)),
    ]
    assert tiers.rest == "一般"


def test_a_town_of_ten_is_four_five_one(engine: Engine) -> None:
    graded = by_person(run(engine, TIERS))
    xihe = [graded[f"xh{n:02}"].grade for n in range(1, 11)]
    assert xihe == ["优秀"] * 4 + ["一般"] * 5 + ["较差"]
    assert graded["xh10"].rule == "quota 较差 1/10 of 10 → 1 (floor, ties withhold)"
    assert all(g.conclusive for g in graded.values())


def test_a_tie_across_the_boundary_is_withheld_and_small_towns_round_down(
    engine: Engine,
) -> None:
    graded = by_person(run(engine, TIERS))
    # 岭子镇 has 7 villages: 4/10 → 2 places, but 前岭村 and 后岭村 tie for the second
    assert graded["lz01"].grade == "优秀"
    assert graded["lz02"].grade == graded["lz03"].grade == "一般"
    # 1/10 of 7 rounds down to nobody: no 较差
    assert graded["lz07"].grade == "一般"
    lone = engine.assess(TIERS, town(90), read_assessment(DOCS / "example-quarter.yaml").as_of)
    assert [g.grade for g in lone.graded] == ["一般"]


def test_cards_wait_for_their_unpublished_numbers(engine: Engine) -> None:
    result = run(engine, CARDS)
    assert {g.grade for g in result.graded} == {"不亮牌"}
    for g in result.graded:
        assert not g.conclusive
        assert "quota 红牌: zichuan_red_cards has no value" in g.notes
        assert "quota 黄牌: zichuan_yellow_cards has no value" in g.notes


def test_an_overlay_giving_the_numbers_shows_the_cards(engine: Engine) -> None:
    derived = engine.with_overlays([DOCS / "example-overlay.yaml"])
    graded = by_person(run(derived, CARDS))
    assert graded["xh10"].grade == "红牌" and graded["xh10"].conclusive
    assert [graded[p].grade for p in ("xh08", "xh09")] == ["黄牌", "黄牌"]
    assert graded["xh07"].grade == "不亮牌"
    # 岭子镇: the two tied at 75 hold the two yellow places whole
    assert [graded[p].grade for p in ("lz05", "lz06", "lz07")] == ["黄牌", "黄牌", "红牌"]
    policy = derived.policies.of(SCORING).grade_policy(CARDS)
    assert policy.consequences["红牌"] == policy.consequences["黄牌"] == "亮牌约谈"


def test_a_tie_a_card_cannot_hold_whole_does_not_get_it(engine: Engine) -> None:
    derived = engine.with_overlays([DOCS / "example-overlay.yaml"])
    as_of = read_assessment(DOCS / "example-quarter.yaml").as_of
    result = derived.assess(CARDS, town(90, 80, 70, 70, 70), as_of)
    # three tie for last: one red place cannot hold them, two yellow places cannot either
    assert [g.grade for g in result.graded] == ["不亮牌"] * 5


def test_rank_grades_the_same_file_under_another_policy() -> None:
    args = ["rank", str(DOCS / "example-quarter.yaml"), "--plugin", "zichuan", "-f", "json"]
    cards = [*args, "--grade-policy", CARDS, "--overlay", str(DOCS / "example-overlay.yaml")]
    result = CliRunner().invoke(app, cards)
    assert result.exit_code == 0, result.output
    assert '"红牌"' in result.output and CARDS in result.output
    unknown = CliRunner().invoke(app, [*args, "--grade-policy", "zichuan.nope"])
    assert unknown.exit_code == 1 and "zichuan.nope" in unknown.output
