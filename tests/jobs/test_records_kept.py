"""A cycle step over the records organisations keep: 淄川's villages and communities each hold
a meeting of party members and representatives every quarter (source 003, "供村居每季度召开党员
和村民代表会议参考使用"). The step says which have no record of it in the quarter, and decides
nothing: nothing of it is recorded."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from openpyxl import load_workbook

from governance_core import Engine, Organisation, OrganisationRecord, OrgLevel, Roster
from governance_core.jobs.cycle_run import run_period
from governance_core.jobs.district_inputs import DistrictInputs
from governance_core.messages import in_language
from governance_core.present.shapes import run_data
from governance_core.present.workbook import write_workbook
from governance_core.rules.cycles import Period
from governance_core.storage import SqlStore
from tests.support import CITATION

pytestmark = pytest.mark.districts

MEETING = "党员和村民代表会议"


def _roster() -> Roster:
    organisations = (
        Organisation("d", "淄川区", OrgLevel.DISTRICT),
        Organisation("t", "西河镇", OrgLevel.TOWN, "d"),
        Organisation("v1", "东村", OrgLevel.VILLAGE, "t"),
        Organisation("v2", "西村", OrgLevel.VILLAGE, "t"),
        Organisation("c1", "南社区", OrgLevel.COMMUNITY, "t"),
    )
    records = (
        OrganisationRecord("M1", "v1", MEETING, date(2024, 11, 20)),
        OrganisationRecord("M2", "v2", MEETING, date(2024, 9, 30)),  # the quarter before
        OrganisationRecord("M3", "c1", "阳光议事", date(2024, 10, 15)),  # another kind
        OrganisationRecord("M4", "c1", MEETING, date(2024, 10, 1)),
        OrganisationRecord("M5", "c1", MEETING, date(2024, 12, 31)),
    )
    return Roster(people=(), organisations=organisations, organisation_records=records)


def _run(tmp_path: Path, period: str, roster: Roster | None = None) -> tuple[Engine, Any]:
    engine = Engine.load(plugins=["zichuan"])
    tmp_path.mkdir(exist_ok=True)
    store = SqlStore(f"sqlite:///{tmp_path / 'store.db'}")
    inputs = DistrictInputs(roster or _roster())
    return engine, run_period(engine, Period.parse(period), inputs, store)


def test_each_village_and_community_without_a_meeting_in_the_quarter_is_said(
    tmp_path: Path,
) -> None:
    _engine, report = _run(tmp_path, "2024Q4")
    (step,) = [s for s in report.steps if s.planned.step.id == "village_meetings"]
    assert step.done
    kept = {k.organisation.id: k.count for k in step.kept}
    assert kept == {"v1": 1, "v2": 0, "c1": 2}  # the town and the district keep none
    assert step.detail == "3 organisations, 1 without a record of 党员和村民代表会议"
    (shown,) = [s for s in run_data(report, "", "")["steps"] if s["step"] == "village_meetings"]
    assert shown["without_records"] == ["v2"]


def test_nothing_of_it_is_recorded_and_a_quarter_before_reads_its_own_records(
    tmp_path: Path,
) -> None:
    _engine, report = _run(tmp_path / "kept", "2024Q3")
    (step,) = [s for s in report.steps if s.planned.step.id == "village_meetings"]
    assert {k.organisation.id: k.count for k in step.kept} == {"v1": 0, "v2": 1, "c1": 0}
    none_kept = attrs.evolve(_roster(), organisation_records=())
    _engine, without = _run(tmp_path / "none", "2024Q3", none_kept)
    assert report.records_written == without.records_written


def test_the_workbook_has_a_sheet_of_the_organisations_and_what_is_missing(
    tmp_path: Path,
) -> None:
    engine, report = _run(tmp_path, "2024Q4")
    path = tmp_path / "run.xlsx"
    with in_language("zh"):
        write_workbook(report, engine, path)
    book = load_workbook(path)
    (sheet,) = [s for s in book.worksheets if "党员和村民代表会议" in s.title]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1:] == [["v1", "东村", 1, None], ["v2", "西村", 0, "是"], ["c1", "南社区", 2, None]]


def test_a_number_parameter_sets_how_many_records_each_needs(tmp_path: Path) -> None:
    # 市中区 (source 000): "党(工)委书记每季度与村党组织书记开展1次谈心谈话" — the value is
    # read from shizhong_secretary_talks_per_quarter, and so is the yearly training's
    engine = Engine.load(plugins=["shizhong"])
    organisations = _roster().organisations
    talks = tuple(
        OrganisationRecord(f"T{n}", village, "谈心谈话", date(2024, 11, 1))
        for n, village in enumerate(["v1", "v1"])
    )
    roster = Roster(people=(), organisations=organisations, organisation_records=talks)
    store = SqlStore(f"sqlite:///{tmp_path / 'store.db'}")
    report = run_period(engine, Period.parse("2024Q4"), DistrictInputs(roster), store)
    (step,) = [s for s in report.steps if s.planned.step.id == "secretary_talks"]
    assert [(k.organisation.id, k.count, k.needed, k.missing) for k in step.kept] == [
        ("v1", 2, 1, False),
        ("v2", 0, 1, True),
    ]
    (training,) = [s for s in report.steps if s.planned.step.id == "rotation_training"]
    assert [(k.organisation.id, k.missing) for k in training.kept] == [("t", True)]


def test_a_count_not_published_skips_the_step_and_says_why(tmp_path: Path, write: Any) -> None:
    cycle = f"""\
parameters:
  - id: meetings_needed
    title: {{zh: 会议次数, en: Meetings}}
    kind: number
    citation: {CITATION}
    values: []
cycles:
  - id: test.cycle
    title: {{zh: 测试周期, en: Test cycle}}
    citation: {CITATION}
    steps:
      - id: meetings
        title: {{zh: 会议, en: Meetings}}
        citation: {CITATION}
        cadence: quarterly
        applies: {{records: {MEETING}, levels: [village], at_least: meetings_needed}}
        inputs: [roster]
"""
    engine = Engine.load(policies=[write(cycle)])
    store = SqlStore(f"sqlite:///{tmp_path / 'store.db'}")
    report = run_period(engine, Period.parse("2024Q4"), DistrictInputs(_roster()), store)
    (step,) = report.steps
    assert not step.done and not step.kept
    assert "meetings_needed" in step.detail and "not published" in step.detail


def test_a_practice_of_one_town_counts_that_town_s_own(tmp_path: Path) -> None:
    # 市中区 (source 000), 文化路街道: "每年度每个社区确定十件惠民实事"
    engine = Engine.load(plugins=["shizhong"])
    organisations = (
        Organisation("d", "市中区", OrgLevel.DISTRICT),
        Organisation("w", "文化路街道", OrgLevel.TOWN, "d"),
        Organisation("o", "其他街道", OrgLevel.TOWN, "d"),
        Organisation("w1", "甲社区", OrgLevel.COMMUNITY, "w"),
        Organisation("w2", "乙社区", OrgLevel.COMMUNITY, "w"),
        Organisation("o1", "丙社区", OrgLevel.COMMUNITY, "o"),
    )
    matters = tuple(
        OrganisationRecord(f"H{n}", "w1", "惠民实事", date(2024, 3, 1 + n)) for n in range(10)
    )
    roster = Roster(people=(), organisations=organisations, organisation_records=matters)
    store = SqlStore(f"sqlite:///{tmp_path / 'store.db'}")
    report = run_period(engine, Period.parse("2024Q4"), DistrictInputs(roster), store)
    (step,) = [s for s in report.steps if s.planned.step.id == "wenhualu_matters"]
    assert [(k.organisation.id, k.count, k.missing) for k in step.kept] == [
        ("w1", 10, False),
        ("w2", 0, True),
    ]
    assert step.detail == "2 organisations, 1 with fewer than 10 records of 惠民实事"
    elsewhere = attrs.evolve(roster, organisations=organisations[:1] + organisations[2:3])
    report = run_period(engine, Period.parse("2024Q4"), DistrictInputs(elsewhere), store)
    (step,) = [s for s in report.steps if s.planned.step.id == "wenhualu_matters"]
    assert not step.done and "文化路街道" in step.detail


def test_the_monthly_report_the_yearly_training_and_appraisal_are_counted(tmp_path: Path) -> None:
    # 市中区 (source 000): "每月结合“28日主题党日”向党员群众汇报当月联系服务群众情况";
    # "镇街每年至少开展1次“两委”成员集中轮训"; "每年开展1次民主评议" (村(社区)党员)
    engine = Engine.load(plugins=["shizhong"])
    kept = (
        OrganisationRecord("A", "v1", "28日主题党日汇报", date(2024, 10, 28)),
        OrganisationRecord("B", "v1", "28日主题党日汇报", date(2024, 12, 28)),
        OrganisationRecord("C", "t", "“两委”成员集中轮训", date(2024, 4, 9)),
        OrganisationRecord("D", "c1", "党员民主评议", date(2024, 1, 20)),
        OrganisationRecord("E", "v2", "党员民主评议", date(2023, 12, 20)),  # the year before
    )
    roster = Roster(people=(), organisations=_roster().organisations, organisation_records=kept)
    store = SqlStore(f"sqlite:///{tmp_path / 'store.db'}")
    report = run_period(engine, Period.parse("2024Q4"), DistrictInputs(roster), store)
    missing = {
        (s.planned.step.id, s.planned.occurrence.label if s.planned.occurrence else ""): [
            k.organisation.id for k in s.kept if k.missing
        ]
        for s in report.steps
        if s.kept
    }
    assert missing[("monthly_report_to_members", "2024-10")] == ["v2"]  # villages: not c1
    assert missing[("monthly_report_to_members", "2024-11")] == ["v1", "v2"]
    assert missing[("two_committees_training", "2024")] == []
    assert missing[("member_appraisal", "2024")] == ["v1", "v2"]
