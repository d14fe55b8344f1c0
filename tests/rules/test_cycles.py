"""Cycles: a district's steps and when they run, declared by plugins from their sources;
what runs in a period, with deadlines on the official calendar and what is missing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from governance_core import Engine, PolicyError
from governance_core.cli import app
from governance_core.rules.calendar import CALENDAR
from governance_core.rules.cycles import CYCLES, Cadence, Period
from tests.support import CITATION

PLUGINS = ["shizhong", "jiaozhou", "zichuan", "wenshang", "jiaxiang"]


def _plan(engine: Engine, period: str) -> list[Any]:
    calendar = engine.policies.of(CALENDAR)
    return engine.policies.of(CYCLES).plan(Period.parse(period), calendar.add_working_days)


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2024-03", date(2024, 3, 1), date(2024, 3, 31), "2024-03"),
        ("2024Q4", date(2024, 10, 1), date(2024, 12, 31), "2024Q4"),
        ("2024-q1", date(2024, 1, 1), date(2024, 3, 31), "2024Q1"),
        ("2024H2", date(2024, 7, 1), date(2024, 12, 31), "2024H2"),
        ("2024", date(2024, 1, 1), date(2024, 12, 31), "2024"),
    ],
)
def test_periods(text: str, start: date, end: date, label: str) -> None:
    assert Period.parse(text) == Period(start, end, label)


@pytest.mark.parametrize("text", ["0000Q1", "2024Q5", "2024-13", "2024H3", "24Q1", ""])
def test_a_bad_period_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a period"):
        Period.parse(text)


def test_occurrences_are_those_ending_in_the_period() -> None:
    q4 = Period.parse("2024Q4")
    assert [o.label for o in q4.occurrences(Cadence.MONTHLY)] == ["2024-10", "2024-11", "2024-12"]
    assert [o.label for o in q4.occurrences(Cadence.QUARTERLY)] == ["2024Q4"]
    assert [o.label for o in q4.occurrences(Cadence.HALF_YEARLY)] == ["2024H2"]
    assert [o.label for o in q4.occurrences(Cadence.YEARLY)] == ["2024"]
    assert Period.parse("2024Q3").occurrences(Cadence.YEARLY) == ()
    assert [o.label for o in q4.occurrences(Cadence.ON_DATE, "11-28")] == ["2024-11-28"]


@pytest.mark.districts
def test_the_contrib_cycles_in_a_quarter() -> None:
    planned = _plan(Engine.load(plugins=PLUGINS), "2024Q4")
    by_step: dict[tuple[str, str], list[Any]] = {}
    for p in planned:
        by_step.setdefault((p.cycle.id, p.step.id), []).append(p)
    monthly = by_step[("shizhong.cycle", "monthly_ranking")]
    # each month is announced before the 10th of the next (the parameter's 10)
    assert [(p.occurrence.label, p.deadline) for p in monthly] == [
        ("2024-10", date(2024, 11, 10)),
        ("2024-11", date(2024, 12, 10)),
        ("2024-12", date(2025, 1, 10)),
    ]
    assert [p.occurrence.label for p in by_step[("jiaozhou.cycle", "annual_assessment")]] == [
        "2024"
    ]
    assert [p.occurrence.label for p in by_step[("zichuan.cycle", "xihe_quarterly_tiers")]] == [
        "2024Q4"
    ]
    assert [p.occurrence.label for p in by_step[("wenshang.cycle", "dual_report_grades")]] == [
        "2024"
    ]
    (statements,) = by_step[("jiaxiang.cycle", "points_statements")]
    assert statements.occurrence is None and "jiaxiang_statement_cadence" in statements.missing[0]
    (exit_,) = by_step[("shizhong.cycle", "exit_dismissal")]
    assert exit_.step.applies.named() == {
        "lists": "shizhong.exit_conditions",
        "processes": "shizhong.exit_dismissal",
    }


@pytest.mark.districts
def test_what_the_sources_leave_out_is_an_unvalued_parameter_check_reports() -> None:
    report = Engine.load(plugins=PLUGINS).check(date(2024, 12, 31))
    unvalued = {p.id for p in report.unvalued}
    assert {
        "shizhong_exit_review_cadence",
        "shizhong_quarterly_results_deadline_working_days",
        "jiaozhou_assessment_deadline_working_days",
        "zichuan_cards_cadence",
        "jiaxiang_statement_cadence",
    } <= unvalued


CYCLE = """\
parameters:
  - id: report_days
    title: {{zh: 报送工作日, en: Working days to report}}
    kind: number
    citation: {citation}
    values: [{{value: 5, effective_from: 2020-01-01}}]
grade_policies: []
cycles:
  - id: test.cycle
    title: {{zh: 测试周期, en: Test cycle}}
    citation: {citation}
    steps:
{steps}
"""
STEP = """\
      - id: {id}
        title: {{zh: 步骤, en: Step}}
        citation: {citation}
        cadence: quarterly
        applies: {applies}
        deadline: {{parameter: {deadline}, counts: working_days_after}}
"""


def _cycle_file(write: Any, *steps: tuple[str, str, str], extra: str = "") -> Path:
    text = CYCLE.format(
        citation=CITATION,
        steps="".join(
            STEP.format(id=i, applies=a, deadline=d, citation=CITATION) for i, a, d in steps
        ),
    )
    return Path(write(text + extra))


def test_working_days_are_counted_on_the_official_calendar(write: Any) -> None:
    path = _cycle_file(write, ("q", "{list: l}", "report_days"), extra=LIST)
    (planned,) = _plan(Engine.load(policies=[path]), "2024Q3")
    # 30 September, then the National Day holiday: the fifth working day is 12 October
    assert planned.deadline == date(2024, 10, 12)


LIST = f"""\
lists:
  - id: l
    title: {{zh: 清单, en: List}}
    citation: {CITATION}
    declared_size: 1
    effect: disqualify
    hit_policy: any
    items:
      - id: a
        number: 1
        title: {{zh: 一, en: One}}
        citation: {CITATION}
        expression: "True"
"""


def test_references_and_shapes_are_checked_and_located(write: Any) -> None:
    path = _cycle_file(
        write,
        ("a", "{grade_policy: no.such_policy}", "report_days"),
        ("b", "{list: l, points_scheme: x}", "no_such_parameter"),
        ("a", "{list: l}", "report_days"),
        extra=LIST,
    )
    with pytest.raises(PolicyError) as caught:
        Engine.load(policies=[path])
    found = {(p.line, p.message) for p in caught.value.problems}
    messages = " | ".join(m for _, m in found)
    assert "step 'a' is listed twice" in messages
    assert "a step applies one grade policy, list, points scheme or kind of records" in messages
    assert all(p.file == str(path) and p.rule_id == "test.cycle" for p in caught.value.problems)


def test_a_kind_of_records_goes_with_the_levels_that_keep_them(write: Any) -> None:
    path = _cycle_file(
        write,
        ("no_levels", "{records: 会议}", "report_days"),
        ("levels_alone", "{list: l, levels: [village]}", "report_days"),
        ("both", "{list: l, records: 会议, levels: [village]}", "report_days"),
        ("count_alone", "{list: l, at_least: report_days}", "report_days"),
        extra=LIST,
    )
    with pytest.raises(PolicyError) as caught:
        Engine.load(policies=[path])
    found = sorted((p.line or 0, p.message) for p in caught.value.problems)
    together = "records and levels go together: the kind of records, and who keeps them"
    assert [m for _, m in found].count(together) == 2
    assert any("one grade policy, list, points scheme or kind of records" in m for _, m in found)
    assert any("at_least is about records" in m for _, m in found)
    assert all(line > 0 for line, _ in found)
    unknown = _cycle_file(write, ("meetings", "{records: 会议, levels: [hamlet]}", "report_days"))
    with pytest.raises(PolicyError, match="hamlet"):
        Engine.load(policies=[unknown])
    text_count = _cycle_file(
        write, ("meetings", "{records: 会议, levels: [village], at_least: words}", "report_days")
    )
    words = Path(write(WORDS, "words.yaml"))
    with pytest.raises(PolicyError) as caught:
        Engine.load(policies=[text_count, words])
    (problem,) = caught.value.problems
    assert "words" in problem.message and problem.line is not None


WORDS = f"""\
parameters:
  - id: words
    title: {{zh: 文字, en: Words}}
    kind: text
    citation: {CITATION}
    values: [{{value: 一次, effective_from: 2020-01-01}}]
"""


def test_a_kind_of_records_is_planned_with_its_levels(write: Any) -> None:
    path = _cycle_file(
        write, ("meetings", "{records: 会议, levels: [village, community]}", "report_days")
    )
    (planned,) = _plan(Engine.load(policies=[path]), "2024Q3")
    assert planned.step.applies.records == "会议"
    assert [level.value for level in planned.step.applies.levels] == ["village", "community"]


@pytest.mark.districts
def test_cycle_show_prints_and_gives_json() -> None:
    runner = CliRunner(env={"COLUMNS": "250"})
    args = ["cycle", "show", "--period", "2024Q4", *[f"--plugin={p}" for p in PLUGINS]]
    shown = runner.invoke(app, args)
    assert shown.exit_code == 0, shown.output
    assert "月评估逐一排名通报" in shown.output and "2024-11-10（非工作日）" in shown.output
    assert "运行频次未公布" in shown.output
    data = orjson.loads(runner.invoke(app, [*args, "-f", "json"]).output)
    assert data["period"] == "2024Q4" and len(data["steps"]) == 20
    first = next(s for s in data["steps"] if s["step"] == "monthly_ranking")
    assert first["deadline"] == "2024-11-10" and first["working_day"] is False
    bad = runner.invoke(app, ["cycle", "show", "--period", "2024Q5"])
    assert bad.exit_code == 2
    empty = runner.invoke(app, ["cycle", "show"])
    assert empty.exit_code == 0 and "--plugin" in empty.output
