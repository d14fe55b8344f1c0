"""The sample district workbook shipped for `governance import` imports as the example roster
(invented people, marked 示例), and its 说明 sheet of notes is read past."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from governance_core import Engine, load_roster
from governance_core.cli import app
from governance_core.model.roster_tables import read_roster_tables

SAMPLE = Engine.example_roster().with_name("sample-district.xlsx")


def test_the_sample_workbook_is_the_example_roster() -> None:
    roster = read_roster_tables(SAMPLE, skip=("评分",))  # the scores are the run's
    assert roster == load_roster(Engine.example_roster())
    book = load_workbook(SAMPLE)
    assert book.sheetnames[0] == "说明" and "示例" in str(book["说明"]["A1"].value)


def test_governance_import_of_the_sample_runs_as_documented(tmp_path: Path) -> None:
    out = tmp_path / "roster.yaml"
    result = CliRunner().invoke(app, ["import", str(SAMPLE), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert load_roster(out) == load_roster(Engine.example_roster())


def test_every_reader_of_tables_reads_past_a_sheet_of_notes(tmp_path: Path) -> None:
    from governance_core.errors import ScoringError
    from governance_core.files import TableSpec, read_tables

    (tmp_path / "说明.csv").write_text("请按表头填写\n", encoding="utf-8")
    (tmp_path / "评分.csv").write_text("人员,得分\np1,90\n", encoding="utf-8")
    spec = {"entries": TableSpec(("评分",), {"人员": "person", "得分": "score"})}
    read = read_tables(tmp_path, spec, ScoringError)
    assert read.data == {"entries": [{"person": "p1", "score": "90"}]}
