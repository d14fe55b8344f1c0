"""The 济宁 plugin: source 001's city measures, recorded as not encoded with their reasons."""

from __future__ import annotations

from governance_core import Engine
from governance_core.rules.gaps import GAPS


def test_every_gap_quotes_its_source_and_says_why() -> None:
    gaps = Engine.load(plugins=["jining"]).policies.of(GAPS)
    # the four measures; the page's figures and descriptions; the villages' duties, the
    # district's inspections, civil servants' goals, and the counties with no plugin
    assert len(gaps) == 10
    for gap in gaps.values():
        # the city's page, or source 002 for its counties that have no plugin
        assert gap.citation.source in {"001_37a9402a9ed30279.txt", "002_6c0774b5a3b2e520.txt"}
        assert gap.citation.note and gap.citation.note.startswith('"')
        assert gap.reason
