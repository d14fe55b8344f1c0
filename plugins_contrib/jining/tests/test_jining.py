"""The 济宁 plugin: source 001's city measures, recorded as not encoded with their reasons."""

from __future__ import annotations

from governance_core import Engine
from governance_core.rules.gaps import GAPS


def test_every_gap_quotes_its_source_and_says_why() -> None:
    gaps = Engine.load(plugins=["jining"]).policies.of(GAPS)
    # the four measures, and the page's figures and descriptions (not rules)
    assert len(gaps) == 6
    for gap in gaps.values():
        assert gap.citation.source == "001_37a9402a9ed30279.txt"
        assert gap.citation.note and gap.citation.note.startswith('"')
        assert gap.reason
