"""The main job: `governance run` over the example district, recorded in the store (SQLite
and PostgreSQL), written to a workbook that holds every town, and repeatable."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import governance_core
from governance_core import ConfigError, Engine
from governance_core.cli import app
from governance_core.cli._run_app import finding_kinds
from governance_core.jobs.example_district import example_district
from governance_core.jobs.period_run import Quarter, run_quarter
from governance_core.plugins import RunPlan, example_settings_file, read_settings
from governance_core.runtime.storage import SqlStore
from governance_core.runtime.storage.audit import verify

from .test_store import database

__all__ = ["database"]

runner = CliRunner()
PLAN = read_settings(example_settings_file()).run


def test_the_main_job_with_no_arguments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 0, result.output
    assert "171 first secretaries graded" in result.output
    book = load_workbook(tmp_path / "governance-2024Q4.xlsx")
    towns = [f"示例{n:02d}镇" for n in range(1, 14)]
    assert book.sheetnames == ["汇总", *towns, "第一书记"]
    secretaries = sum(book[t].max_row - 1 for t in towns)
    assert secretaries == 447 and book["第一书记"].max_row - 1 == 171
    assert book["示例01镇"]["A1"].value == "村(社区)"
    for name in [*towns, "第一书记"]:  # tables a clerk can read: frozen header, filters, mark
        sheet = book[name]
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
        assert any(str(c.value).startswith("示例：") for c in sheet[1])
    secretaries_sheet = book["第一书记"]
    header = [c.value for c in secretaries_sheet[1]]
    conclusive = [
        r[header.index("是否确定")] for r in secretaries_sheet.iter_rows(2, values_only=True)
    ]
    # 胶州's satisfaction thresholds are unpublished: its grades are provisional, and say so
    assert set(conclusive) <= {"是", "否（待定）"} and "否（待定）" in conclusive
    counted = next(
        r for r in book["汇总"].iter_rows(values_only=True) if r[0] == "第一书记年度考核"
    )
    labels = [str(c).split(" ")[0].removesuffix("（待定）") for c in counted[1:] if c]
    order = ["优秀", "良好", "称职", "基本称职", "不称职", "未定"]
    assert labels == sorted(labels, key=order.index)
    store = SqlStore(f"sqlite:///{tmp_path / 'governance.db'}")
    assert verify(store).ok
    recorded = len(store.decisions.recorded_score_sheets())
    again = runner.invoke(app, ["run"])
    assert again.exit_code == 0 and "records written: 0" in again.output
    assert len(store.decisions.recorded_score_sheets()) == recorded  # nothing twice


def test_a_quarter_other_than_the_fourth_has_no_annual_assessment(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["run", "--period", "2024Q2", "--database", f"sqlite:///{tmp_path / 'g.db'}",
         "--output", str(tmp_path / "q2.xlsx")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "assessed in the fourth" in result.output
    assert "第一书记" not in load_workbook(tmp_path / "q2.xlsx").sheetnames


def test_a_step_whose_policy_is_not_loaded_is_skipped_and_said(tmp_path: Path) -> None:
    engine = Engine.load(plugins=["shizhong"])
    store = SqlStore(f"sqlite:///{tmp_path / 'g.db'}")
    report = run_quarter(engine, example_district(), Quarter(2024, 4), store, plan=PLAN)
    (annual,) = [s for s in report.steps if s.name == "annual"]
    assert not annual.done and annual.detail == (
        "grade policy jiaozhou.first_secretary_grades is not loaded"
    )
    assert report.annual is None and report.monthly


def test_a_step_with_no_policy_named_is_skipped_and_said(tmp_path: Path) -> None:
    engine = Engine.load(plugins=["shizhong"])
    store = SqlStore(f"sqlite:///{tmp_path / 'g.db'}")
    report = run_quarter(engine, example_district(), Quarter(2024, 4), store, plan=RunPlan())
    assert [s.name for s in report.steps if s.done] == ["procedures"]
    (monthly,) = [s for s in report.steps if s.name == "monthly"]
    assert monthly.detail == (
        "no grade policy is named: set monthly in the [run] table of governance.toml"
    )
    assert (
        not report.monthly
        and not report.quarterly
        and report.records_written == len(report.verdicts)
    )


def test_a_misspelt_run_key_is_located(tmp_path: Path) -> None:
    settings = tmp_path / "governance.toml"
    settings.write_text('[run]\nmonthy = "x.monthly"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_settings(settings)
    (problem,) = caught.value.problems
    assert problem.message == "unknown field 'monthy'"
    assert problem.hint == "did you mean 'monthly'?"


def test_the_core_names_no_district() -> None:
    # what the main job applies comes from the settings, never from the library's code;
    # docstrings may show a district in an example
    districts = ("shizhong", "jiaozhou", "zichuan", "wenshang", "jiaxiang")
    core = Path(governance_core.__file__).parent
    for path in core.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and id(node) not in docstrings:
                text = str(node.value)
                assert not text.startswith(districts), f"{path.relative_to(core)}: {text!r}"


def test_a_bad_period_is_refused() -> None:
    result = runner.invoke(app, ["run", "--period", "2024-13"])
    assert result.exit_code == 2 and "2024Q4" in result.output


def test_the_run_on_each_store(database: str) -> None:
    engine = Engine.load(plugins=["shizhong", "jiaozhou"])
    quarter = Quarter(2024, 4)
    district = example_district(
        as_of=quarter.last_day, finding_kinds=finding_kinds(engine, quarter)
    )
    store = SqlStore(database)
    report = run_quarter(engine, district, quarter, store, plan=PLAN)
    assert [m.announce_by for m in report.monthly] == [
        date(2024, 11, 10), date(2024, 12, 10), date(2025, 1, 10)
    ]  # fmt: skip
    assert report.opened and all(i.process == "shizhong.exit_dismissal" for i in report.opened)
    assert report.records_written == 3 * 447 + 2 * 447 + len(report.verdicts) + 171
    assert verify(store).ok
    again = run_quarter(engine, district, quarter, store, plan=PLAN)
    assert again.records_written == 0 and len(again.opened) == len(report.opened)
