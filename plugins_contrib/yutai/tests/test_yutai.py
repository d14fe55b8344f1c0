"""The 鱼台 plugin: the 20-item negative list of source 002, declared with none of its items
(the article names none), so every verdict says it cannot be decided."""

from __future__ import annotations

from datetime import date

from governance_core import Engine, Outcome, load_roster
from governance_core.rules.criteria.kind import CRITERIA


def test_the_list_declares_twenty_items_and_encodes_none() -> None:
    engine = Engine.load(plugins=["yutai"])
    compiled = engine.policies.of(CRITERIA).find("yutai.two_committees_negative_list")
    done = compiled.completeness()
    assert (done.encoded, done.declared) == (0, 20)
    assert compiled.criteria.citation.source == "002_6c0774b5a3b2e520.txt"
    assert compiled.criteria.effect.value == "advisory"  # the weakest: nothing is barred by it


def test_a_verdict_never_clears_anyone() -> None:
    engine = Engine.load(plugins=["yutai"])
    roster = load_roster(Engine.example_roster())
    for v in engine.evaluate("yutai.two_committees_negative_list", roster, date(2024, 6, 30)):
        assert v.outcome is Outcome.UNKNOWN and not v.conclusive
