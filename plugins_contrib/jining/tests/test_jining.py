"""The 济宁 plugin: source 001's city measures, recorded as not encoded with their reasons, and
the duties 邹城's villages keep on a cadence, checked against their records."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from governance_core import Engine, Organisation, OrganisationRecord, OrgLevel, Roster
from governance_core.jobs.cycle_run import run_period
from governance_core.jobs.district_inputs import DistrictInputs
from governance_core.rules.cycles import Period
from governance_core.rules.gaps import GAPS
from governance_core.storage import SqlStore


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


def test_the_villages_duties_are_checked_against_the_records_each_keeps(tmp_path: Path) -> None:
    # source 001: "各村居每月15日定期开展议事协商活动"; "每月梳理村居财务,每季度梳理村务"
    engine = Engine.load(plugins=["jining"])
    roster = Roster(
        people=(),
        organisations=(
            Organisation("d", "邹城市", OrgLevel.DISTRICT),
            Organisation("t", "千泉街道", OrgLevel.TOWN, "d"),
            Organisation("v1", "东村", OrgLevel.VILLAGE, "t"),
            Organisation("c1", "南社区", OrgLevel.COMMUNITY, "t"),
        ),
        organisation_records=(
            OrganisationRecord("R1", "v1", "阳光议事", date(2024, 10, 15)),
            OrganisationRecord("R2", "v1", "阳光议事", date(2024, 11, 15)),
            OrganisationRecord("R3", "c1", "阳光议事", date(2024, 12, 15)),
            OrganisationRecord("R4", "c1", "梳理村务", date(2024, 12, 20)),
        ),
    )
    store = SqlStore(f"sqlite:///{tmp_path / 'store.db'}")
    report = run_period(engine, Period.parse("2024Q4"), DistrictInputs(roster), store)
    missing = {
        (s.planned.step.id, s.planned.occurrence.label if s.planned.occurrence else ""): [
            k.organisation.id for k in s.kept if not k.count
        ]
        for s in report.steps
    }
    assert missing[("sunlight_deliberation", "2024-10")] == ["c1"]
    assert missing[("sunlight_deliberation", "2024-12")] == ["v1"]
    assert missing[("finances_reviewed", "2024-11")] == ["v1", "c1"]
    assert missing[("affairs_reviewed", "2024Q4")] == ["v1"]
