"""The testing toolkit: its strategies draw consistent records and what a policy asks for, its
invariants pass on the contrib policies and catch a seeded bug each, its fixtures work, and
its case files run, fail with a diff and report coverage."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from governance_core import Dossier, Engine, ItemStatus, Outcome, PolicySet
from governance_core.cli import app
from governance_core.errors import ScoringError
from governance_core.model import Roster
from governance_core.plugins import Plugins
from governance_core.rules.common import Citation, Title
from governance_core.rules.criteria.definition import CriteriaList, Criterion, Effect, HitPolicy
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.scoring import _grading as grading
from governance_core.rules.scoring import score
from governance_core.rules.scoring.kind import SCORING
from governance_core.testing import invariants
from governance_core.testing.case_files import CaseError
from governance_core.testing.cases import run_case_files
from governance_core.testing.derived import dossiers_for, rubric_inputs, verdict_of
from governance_core.testing.invariants import InvariantError
from governance_core.testing.strategies import AS_OF, rosters
from tests.support import ROOT

EXIT = "shizhong.exit_conditions"
SHIZHONG_CASES = ROOT / "plugins_contrib/shizhong/cases"
JIAOZHOU_CASES = ROOT / "plugins_contrib/jiaozhou/cases"
SHIZHONG_OVERLAY = ROOT / "plugins_contrib/shizhong/tests/data/treatment-example-overlay.yaml"
FEW = settings(max_examples=25, deadline=None)


# --- strategies ---------------------------------------------------------------------------


@FEW
@given(st.from_type(Dossier))
def test_from_type_draws_dossiers_through_the_entry_point(d: Dossier) -> None:
    assert all(p.start <= d.as_of and (p.end is None or p.end >= p.start) for p in d.posts)
    assert all(f.established_on <= d.as_of for f in d.findings or ())


@FEW
@given(rosters())
def test_a_drawn_roster_is_consistent(roster: Roster) -> None:
    assert roster.issues() == []
    assert len(roster.dossiers(AS_OF)) == len(roster.people)


@pytest.mark.districts
@pytest.mark.parametrize("item", ["organised_crime", "three_assets_disorder", "none", "several"])
def test_dossiers_hit_what_they_are_asked_to(examples: Engine, item: str) -> None:
    policies = examples.policies

    @FEW
    @given(dossiers_for(policies, EXIT, hitting=item))
    def check(d: Dossier) -> None:
        met = {i.id for i in verdict_of(policies, EXIT, d).items if i.status is ItemStatus.MET}
        if item == "none":
            assert not met
        elif item == "several":
            assert len(met) >= 2
        else:
            assert item in met

    check()


@pytest.mark.districts
def test_an_item_that_cannot_be_met_is_named(examples: Engine) -> None:
    with pytest.raises(ValueError, match="reads shizhong_min_tenure_years, which has no value"):
        dossiers_for(examples.policies, "shizhong.treatment_common_requirements", hitting="tenure")
    with pytest.raises(ValueError, match="has no item 'nope'"):
        dossiers_for(examples.policies, EXIT, hitting="nope")


@functools.cache
def jiaozhou() -> PolicySet:
    return Engine.load(plugins=["jiaozhou"]).policies


@pytest.mark.districts
@FEW
@given(st.data())
def test_rubric_inputs_are_always_valid_inputs(data: st.DataObject) -> None:
    for rubric in jiaozhou().of(SCORING).rubrics.values():
        inputs = data.draw(rubric_inputs(rubric))
        try:
            score(rubric, "p1", inputs)
        except ScoringError as error:
            pytest.fail(str(error))


# --- invariants -----------------------------------------------------------------------------


@pytest.mark.districts
@pytest.mark.parametrize(
    "plugin", ["shizhong", "jiaozhou", "zichuan", "wenshang", "jiaxiang", "yutai", "yicheng"]
)
def test_every_contrib_policy_keeps_the_invariants(plugin: str) -> None:
    policies = Engine.load(plugins=[plugin]).policies
    for list_id in policies.of(CRITERIA):
        if policies.of(CRITERIA).find(list_id).criteria.effect in invariants.BARRING:
            invariants.list_is_monotone(policies, list_id, max_examples=20)
        invariants.verdicts_independent_of_order(policies, list_id, max_examples=5)
    for policy_id in policies.of(SCORING).grade_policies:
        invariants.veto_dominates_score(policies, policy_id, max_examples=20)
        invariants.quotas_respect_shares(policies, policy_id, max_examples=20)
        invariants.grades_independent_of_order(policies, policy_id, max_examples=5)
    for rubric_id in policies.of(SCORING).rubrics:
        invariants.scores_within_bounds(policies, rubric_id, max_examples=20)


@pytest.mark.districts
def test_results_do_not_depend_on_the_plugin_order() -> None:
    invariants.results_independent_of_plugin_order(
        lambda names: Engine.load(plugins=names).policies,
        ["shizhong", "jiaozhou", "wenshang"],
        max_examples=5,
    )


def test_a_list_that_clears_on_a_finding_is_caught(
    register_plugin: Callable[..., Engine],
) -> None:
    class NonMonotone:  # a seeded bug: a finding of 整改到位 clears the disqualification
        @staticmethod
        def governance_criteria_lists() -> list[CriteriaList]:
            item = Criterion(
                "not_rectified",
                Title("未整改", "Not rectified"),
                Citation("测试", "一", "test"),
                'not has_finding("整改到位")',
            )
            return [
                CriteriaList(
                    "seeded.bars",
                    Title("测试", "Test"),
                    Citation("测试", "一", "test"),
                    1,
                    Effect.DISQUALIFY,
                    HitPolicy.ANY,
                    (item,),
                )
            ]

    from governance_core.plugins import hookimpl

    hookimpl(NonMonotone.governance_criteria_lists)
    engine = register_plugin(NonMonotone)
    with pytest.raises(InvariantError, match=r"seeded.bars is not monotone: .* further finding"):
        invariants.list_is_monotone(engine.policies, "seeded.bars", max_examples=50)


@pytest.mark.districts
def test_a_veto_that_does_not_apply_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    policies = Engine.load(plugins=["jiaozhou"]).policies
    (policy_id,) = policies.of(SCORING).grade_policies
    monkeypatch.setattr(grading, "_veto_holds", lambda veto, candidate: False)  # seeded bug
    quick = settings(
        max_examples=300, deadline=None, database=None, phases=[Phase.generate]
    )  # no shrinking: only that it is caught
    with pytest.raises(InvariantError, match="although veto"):
        invariants.veto_dominates_score(policies, policy_id, hypothesis_settings=quick)


@pytest.mark.districts
def test_a_quota_overfilled_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    policies = Engine.load(plugins=["shizhong"]).policies
    real_fill = grading._fill

    def overfill(policy: Any, quotas: Any, in_order: Any, *args: Any) -> list[str]:
        found = real_fill(policy, quotas, in_order, *args)
        assigned = args[3]
        for c in in_order:  # a seeded bug: everyone gets the quota's grade
            for quota in quotas:
                assigned[c.person_id] = (quota.grade, "seeded", f"quota {quota.grade}")
        return found

    monkeypatch.setattr(grading, "_fill", overfill)
    with pytest.raises(InvariantError, match="more than its quota"):
        invariants.quotas_respect_shares(policies, "shizhong.quarterly_lagging", max_examples=200)


# --- fixtures -------------------------------------------------------------------------------


@pytest.mark.districts
def test_the_pytest_plugin_s_fixtures(
    governance_engine: Callable[..., Engine],
    governance_plugins: Plugins,
    governance_example_roster: Roster,
) -> None:
    engine = governance_engine("shizhong")
    assert engine is governance_engine("shizhong")  # built once per session
    assert EXIT in engine.policies.of(CRITERIA)
    assert governance_plugins.policy_sources() is not None
    (hit,) = [
        v
        for v in engine.evaluate(EXIT, governance_example_roster, date(2024, 6, 30))
        if v.outcome is Outcome.HIT
    ]
    assert hit.person_id == "p002"


def test_register_plugin_loads_no_other_district(register_plugin: Callable[..., Engine]) -> None:
    engine = register_plugin(object(), name="empty")
    assert not any(list_id.startswith("shizhong.") for list_id in engine.policies.of(CRITERIA))


# --- case files -----------------------------------------------------------------------------


@pytest.mark.districts
def test_the_shizhong_cases_pass_and_report_coverage(examples: Engine) -> None:
    engine = examples.with_overlays([SHIZHONG_OVERLAY])
    report = run_case_files(engine, [SHIZHONG_CASES], cover=["shizhong."])
    assert report.failed == [] and len(report.results) >= 27
    assert report.coverage.missing("criteria") == report.coverage.missing("transitions") == []
    assert report.coverage.percent == 100


@pytest.mark.districts
def test_coverage_names_what_no_case_exercised() -> None:
    report = run_case_files(
        Engine.load(plugins=["jiaozhou"]), [JIAOZHOU_CASES], cover=["jiaozhou."]
    )
    assert report.failed == []
    assert "jiaozhou.first_secretary_grades/override direct_unfit" in report.coverage.missing(
        "grade rules"
    )
    assert 80 < report.coverage.percent < 100


BAD_CASES = """\
cases:
  - name: wrong grade
    grade_policy: shizhong.quarterly_lagging
    as_of: 2024-06-30
    entries:
      - {person: a1, name: 甲, groups: {town: 税郭镇}, score: 92}
      - {person: a2, name: 乙, groups: {town: 税郭镇}, score: 81}
    expect:
      grades: {a1: 工作后进村(社区)}
"""


@pytest.mark.districts
def test_a_failing_case_shows_each_difference_and_a_diff(tmp_path: Path, examples: Engine) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_CASES, encoding="utf-8")
    (result,) = run_case_files(examples, [path]).results
    assert (result.file, result.line, result.passed) == (path, 2, False)
    assert result.differences == ("grades.a1: expected '工作后进村(社区)', got '未列入'",)
    assert "-  a1: 工作后进村(社区)\n+  a1: 未列入" in result.diff


@pytest.mark.districts
def test_a_case_file_s_problems_are_located(tmp_path: Path, examples: Engine) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(
        "cases:\n  - name: two kinds\n    list: a\n    rubric: b\n    expect: {}\n",
        encoding="utf-8",
    )
    with pytest.raises(CaseError) as caught:
        run_case_files(examples, [path])
    (problem,) = caught.value.problems
    assert (problem.line, problem.rule_id) == (2, "two kinds")
    assert "names list, rubric" in problem.message and "exactly one" in (problem.hint or "")


@pytest.mark.districts
def test_the_test_command_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    common = ["--plugin", "shizhong", "--overlay", str(SHIZHONG_OVERLAY), "--cover", "shizhong."]
    ok = runner.invoke(app, ["test", str(SHIZHONG_CASES), *common, "--hide-missing"])
    assert ok.exit_code == 0 and "未通过 0 个" in ok.output and "合计：" in ok.output
    assert (
        runner.invoke(app, ["test", str(SHIZHONG_CASES), *common, "--fail-under", "100"]).exit_code
        == 0
    )
    under = runner.invoke(
        app, ["test", str(JIAOZHOU_CASES), "--plugin", "jiaozhou", "--fail-under", "99"]
    )
    assert under.exit_code == 2 and "低于 --fail-under 99" in under.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_CASES, encoding="utf-8")
    failed = runner.invoke(app, ["test", str(bad), "--plugin", "shizhong"])
    assert failed.exit_code == 1 and "未通过 " in failed.output


@pytest.mark.districts
def test_a_case_naming_an_unknown_rule_fails_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "unknown.yaml"
    path.write_text(
        "cases:\n  - name: typo\n    rubric: jiaozhou.first_secretary_goal\n"
        "    expect: {total: '1'}\n",
        encoding="utf-8",
    )
    (result,) = run_case_files(Engine.load(plugins=["jiaozhou"]), [path]).results
    assert result.differences == (
        "error: no rubric 'jiaozhou.first_secretary_goal' is loaded; "
        "did you mean 'jiaozhou.first_secretary_goals'?",
    )
