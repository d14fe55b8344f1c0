"""What a YAML case can say: a grade that must not be given, whether a grade is settled, the
rule that decided it, the vetoes, reason texts, a vote's validity; a procedure's every event
and state, its open deadlines, its consequences and whether its history verifies; entry
defaults and YAML merge keys; a folder's other YAML left alone; JUnit XML and JSON reports."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import orjson
import pytest
from typer.testing import CliRunner

from governance_core import Engine
from governance_core.cli import app
from governance_core.rules.procedures.kind import PROCEDURES
from governance_core.testing.cases import run_case_files
from tests.support import ROOT

CONTRIB = ROOT / "plugins_contrib"
JIAOZHOU = CONTRIB / "jiaozhou"
INPUTS = (JIAOZHOU / "cases" / "assessment.yaml").read_text(encoding="utf-8")
# the rubric inputs of a secretary who meets every requirement, from the contrib case
BASE = INPUTS.split("    inputs:\n", 1)[1].split("    expect:", 1)[0]

GRADES = f"""\
roster_file: {JIAOZHOU / "docs" / "example-roster.yaml"}
cases:
  - name: a group of four, one vote below its quorum
    grade_policy: jiaozhou.first_secretary_grades
    as_of: 2024-12-31
    defaults:
      groups: &group {{unit: 镇街, attendance: 脱产, rank_class: 正股级}}
      inputs: &met
{BASE.replace("      ", "        ")}
    entries:
      - {{person: j001, name: 甲, ballots: {{eligible: 40, cast: {{很满意: 30, 满意: 5}}}}}}
      - person: j002
        name: 乙
        inputs: {{<<: *met, discipline_breaches: 1}}
        ballots: {{eligible: 40, cast: {{很满意: 20, 满意: 10}}}}
      - {{person: j003, name: 丙, ballots: {{eligible: 40, cast: {{很满意: 10, 满意: 20, 不满意: 5}}}}}}
      - {{person: j004, name: 丁, ballots: {{eligible: 40, cast: {{很满意: 10, 满意: 10}}}}}}
    expect:
      grades: {{j001: 优秀, j004: null}}
      not_grades: {{j002: 优秀}}
      conclusive_grades: {{j001: false}}
      decided_by: {{j001: quota 优秀, j004: null}}
      vetoed_by: {{j002: []}}
      reasons: {{j004: "below the quorum 2/3", j001: "jiaozhou_satisfaction_unfit_below has no value"}}
      votes_valid: {{j001: true, j004: false}}
      vote_reasons: {{j001: "35 ÷ 35"}}
"""

PROCESS = """\
kind: cases
cases:
  - name: a dismissal's every event, state and consequence
    process: core.four_deliberations_two_disclosures
    subject: 修村道
    start: 2024-03-01T09:00
    fires:
      - {step: propose, role: [branch_committee], at: 2024-03-01T10:00, evidence: {proposal: P}}
    expect:
      events: [start, propose]
      states: [proposed, proposed]
      audit: true
"""


def _cases(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.districts
def test_a_grade_case_says_everything(tmp_path: Path) -> None:
    path = _cases(tmp_path, "grades.yaml", GRADES)
    report = run_case_files(Engine.load(plugins=["jiaozhou"]), [path])
    (result,) = report.results
    assert result.passed, result.differences


@pytest.mark.districts
def test_a_wrong_expectation_says_how_it_differs(tmp_path: Path) -> None:
    wrong = GRADES.replace("not_grades: {j002: 优秀}", "not_grades: {j001: 优秀}").replace(
        '"35 ÷ 35"', '"36 ÷ 35"'
    )
    report = run_case_files(Engine.load(plugins=["jiaozhou"]), [_cases(tmp_path, "w.yaml", wrong)])
    (result,) = report.results
    assert "not_grades.j001: must not be '优秀', and is" in result.differences
    assert any(
        d.startswith("vote_reasons.j001: should contain '36 ÷ 35'") for d in result.differences
    )


def test_a_process_case_says_every_event_and_that_the_audit_verifies(tmp_path: Path) -> None:
    engine = Engine.load()
    process = engine.policies.of(PROCEDURES).find("core.four_deliberations_two_disclosures")
    first = process.steps[0]
    text = PROCESS.replace("propose", first.id).replace("branch_committee", first.roles[0])
    text = text.replace(
        "states: [proposed, proposed]", f"states: [{process.initial}, {first.dest}]"
    )
    evidence = ", ".join(f"{e.id}: D" for e in first.evidence) or ""
    text = text.replace("evidence: {proposal: P}", f"evidence: {{{evidence}}}")
    report = run_case_files(engine, [_cases(tmp_path, "p.yaml", text)])
    (result,) = report.results
    assert result.passed, result.differences


@pytest.mark.districts
def test_a_folder_s_other_yaml_is_left_alone(tmp_path: Path) -> None:
    _cases(tmp_path, "cases.yaml", GRADES)
    _cases(tmp_path, "overlay.yaml", "overlay: {id: x, title: {zh: 甲, en: a}, version: '1'}\n")
    _cases(tmp_path, "inputs.yaml", "kind: assessment\npolicy: x\n")
    report = run_case_files(Engine.load(plugins=["jiaozhou"]), [tmp_path])
    assert [r.name for r in report.results] == ["a group of four, one vote below its quorum"]


@pytest.mark.districts
def test_the_reports_for_ci(tmp_path: Path) -> None:
    path = _cases(tmp_path, "grades.yaml", GRADES.replace("j001: 优秀, j004", "j001: 良好, j004"))
    junit = tmp_path / "junit.xml"
    result = CliRunner().invoke(
        app, ["test", str(path), "--plugin", "jiaozhou", "-f", "json", "--junit-xml", str(junit)]
    )
    assert result.exit_code == 1
    data = orjson.loads(result.stdout)
    assert data["version"] == 1 and (data["passed"], data["failed"]) == (0, 1)
    # the command's words are Chinese, the JSON's keys and ids are not
    assert data["results"][0]["differences"][0] == "grades.j001：应为 '良好'，实为 '优秀'"
    assert "grade rules" in data["coverage"]["kinds"]
    root = ElementTree.parse(junit).getroot()
    assert (root.get("tests"), root.get("failures")) == ("1", "1")
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and "良好" in (failure.get("message") or "")
