"""Plugins: loading by name, failing closed, conflicts, observers, order independence."""

from __future__ import annotations

import itertools
from collections.abc import Generator
from importlib.metadata import EntryPoint
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from governance_core import Engine, EvaluationError, PluginError, PolicyError, Roster
from governance_core.cli import app
from governance_core.expressions import ExprFunction, ExprType
from governance_core.plugins import Operation, Plugins, hookimpl
from governance_core.rules.common import Citation, Supplier, SupplierKind, Title
from governance_core.rules.criteria.definition import CriteriaList, Criterion, Effect, HitPolicy
from governance_core.rules.criteria.kind import CRITERIA
from tests.plugins import every_hook
from tests.support import AS_OF, ROOT, dossier, policy_yaml

SOURCE = Citation("测试文件", "第三条", "tests/loading/test_plugins.py")


def supplier(name: str, version: str = "1.0") -> Supplier:
    return Supplier(SupplierKind.PLUGIN, name, version)


def lists_plugin(*list_ids: str, expression: str = 'has_finding("涉黑涉恶")') -> Any:
    """A plugin supplying one-item lists with these ids."""

    @hookimpl
    def governance_criteria_lists() -> list[CriteriaList]:
        item = Criterion("gangs", Title("涉黑涉恶", "Organised crime"), SOURCE, expression)
        return [
            CriteriaList(i, Title(i, i), SOURCE, 1, Effect.DISQUALIFY, HitPolicy.ANY, (item,))
            for i in list_ids
        ]

    return SimpleNamespace(governance_criteria_lists=governance_criteria_lists)


def load_problems(**kwargs: Any) -> list[str]:
    with pytest.raises(PluginError) as caught:
        Engine.load(**kwargs)
    return [str(p) for p in caught.value.problems]


# --- loading by name ---------------------------------------------------------------------


@pytest.mark.districts
def test_installed_plugins_load_only_when_named() -> None:
    assert not any(i.startswith("shizhong.") for i in Engine.load().policies.of(CRITERIA))
    assert "shizhong.exit_conditions" in Engine.load(plugins=["shizhong"]).policies.of(CRITERIA)


@pytest.mark.districts
def test_a_missing_plugin_fails_closed_with_what_is_installed() -> None:
    found = load_problems(plugins=["huaiyin"])
    assert len(found) == 1
    assert "plugin 'huaiyin' is not installed" in found[0] and "shizhong" in found[0]
    assert "did you mean 'shizhong'?" in load_problems(plugins=["shizong"])[0]


@pytest.mark.districts
def test_a_version_specifier_not_met_names_plugin_and_version() -> None:
    (problem,) = load_problems(plugins=["shizhong>=0.2"])
    assert problem.startswith("plugin shizhong 0.1.0:")
    assert "version 0.1.0 does not satisfy >=0.2" in problem
    assert Engine.load(plugins=["shizhong>=0.1,<0.2"]).policies.of(CRITERIA)


def test_a_malformed_plugin_name_is_explained() -> None:
    (problem,) = load_problems(plugins=["shizhong >>= 1"])
    assert "is not a plugin name with an optional version" in problem


def test_a_plugin_that_fails_to_import() -> None:
    broken = EntryPoint("broken", "tests.plugins.no_such_module", "governance_core")
    (problem,) = load_problems(plugins=["broken"], available=[broken])
    assert "plugin broken unknown" in problem
    assert "failed to import tests.plugins.no_such_module: ModuleNotFoundError" in problem


def test_a_data_only_plugin_is_its_folder_of_policy_files() -> None:
    folder = EntryPoint("district", "tests.plugins.data_only", "governance_core")
    engine = Engine.load(plugins=["district"], available=[folder])
    bars = engine.policies.of(CRITERIA).find("data_only.bars")
    assert bars.supplied_by.name == "district"
    (info,) = (p for p in engine.plugins.plugins() if p.supplier.name == "district")
    assert info.hooks == ("governance_policy_files",)


def test_a_data_only_plugin_without_policy_files_fails_closed() -> None:
    empty = EntryPoint("empty", "tests.plugins.no_policy_files", "governance_core")
    (problem,) = load_problems(plugins=["empty"], available=[empty])
    assert "tests.plugins.no_policy_files holds no policy files (*.yaml)" in problem


def test_a_data_only_plugin_s_malformed_file_is_located_and_blamed() -> None:
    broken = EntryPoint("broken_district", "tests.plugins.data_only_broken", "governance_core")
    with pytest.raises(PluginError) as caught:
        Engine.load(plugins=["broken_district"], available=[broken])
    (problem,) = caught.value.problems
    assert problem.file is not None and problem.file.endswith("data_only_broken/lists.yaml")
    assert (problem.line, problem.rule_id) == (3, "broken.bars")
    assert "missing required field 'citation'" in problem.message
    assert problem.hint is not None and "plugin broken_district" in problem.hint


def test_contrib_plugins_are_data_only() -> None:
    # a district plugin is a pyproject.toml and YAML files; its only Python is its tests
    contrib = ROOT / "plugins_contrib"
    plugins = sorted(p for p in contrib.iterdir() if (p / "pyproject.toml").exists())
    assert len(plugins) == 8
    for plugin in plugins:
        code = [p for p in plugin.rglob("*.py") if "tests" not in p.relative_to(plugin).parts]
        assert code == [], plugin.name


@pytest.mark.districts
def test_every_problem_of_every_named_plugin_in_one_error() -> None:
    found = load_problems(plugins=["huaiyin", "shizhong>=9"])
    assert len(found) == 2


# --- what plugins return -----------------------------------------------------------------


def test_a_plugin_raising_inside_a_hook() -> None:
    @hookimpl
    def governance_criteria_lists() -> list[CriteriaList]:
        raise RuntimeError("database is down")

    plugin = SimpleNamespace(governance_criteria_lists=governance_criteria_lists)
    (problem,) = load_problems(register=[(plugin, supplier("flaky", "2.1"))])
    assert problem == (
        "plugin flaky 2.1: [governance_criteria_lists] raised RuntimeError: database is down"
    )


def test_a_plugin_returning_something_else_than_records() -> None:
    @hookimpl
    def governance_criteria_lists() -> list[object]:
        return [{"id": "x"}]

    plugin = SimpleNamespace(governance_criteria_lists=governance_criteria_lists)
    (problem,) = load_problems(register=[(plugin, supplier("sloppy"))])
    assert "returned dict" in problem and "where a CriteriaList is expected" in problem


def test_a_plugin_returning_a_malformed_record() -> None:
    @hookimpl
    def governance_criteria_lists() -> list[CriteriaList]:
        item = Criterion("x", Title("x", "x"), SOURCE, 'has_finding("x")', number=4)
        bad = CriteriaList(
            "bad.list",
            Title("坏", "Bad"),
            SOURCE,
            "nine",  # type: ignore[arg-type]  # what a sloppy plugin does
            Effect.VETO,
            HitPolicy.ANY,
            (item,),
        )
        return [bad]

    plugin = SimpleNamespace(governance_criteria_lists=governance_criteria_lists)
    found = load_problems(register=[(plugin, supplier("sloppy", "0.3"))])
    assert found and all(p.startswith("plugin sloppy 0.3:") for p in found)
    assert any("[bad.list]" in p and "declared_size" in p for p in found), found


def test_a_plugin_expression_error_names_rule_and_plugin() -> None:
    plugin = lists_plugin("typo.list", expression='has_findin("x")')
    (problem,) = load_problems(register=[(plugin, supplier("typo", "1.2"))])
    assert "[typo.list.gangs] unknown function 'has_findin'" in problem
    assert problem.startswith("plugin typo 1.2:") and "did you mean 'has_finding'?" in problem


def test_two_plugins_supplying_one_id_are_both_named() -> None:
    found = load_problems(
        register=[
            (lists_plugin("shared.list"), supplier("east")),
            (lists_plugin("shared.list"), supplier("west")),
        ]
    )
    assert any(
        "duplicate id 'shared.list'" in p and "plugin east" in p and "plugin west" in p
        for p in found
    ), found


@pytest.mark.districts
def test_a_plugin_clashing_with_a_shizhong_list_is_named() -> None:
    found = load_problems(
        plugins=["shizhong"], register=[(lists_plugin("shizhong.exit_conditions"), supplier("x"))]
    )
    assert any("plugin shizhong 0.1.0" in p and "plugin x 1.0" in p for p in found), found


def test_two_plugins_supplying_one_function_are_both_named() -> None:
    def function() -> ExprFunction:
        return ExprFunction("age", "年纪", (), ExprType.NUMBER, lambda d: 1, "shadowing age")

    @hookimpl
    def governance_expression_functions() -> list[ExprFunction]:
        return [function()]

    plugin = SimpleNamespace(governance_expression_functions=governance_expression_functions)
    (problem,) = load_problems(register=[(plugin, supplier("shadow"))])
    assert "function age (年纪) is supplied twice" in problem
    assert "also supplied by built-in governance_core" in problem


def test_a_misspelt_hook_is_not_silently_ignored() -> None:
    @hookimpl
    def governance_policy_file() -> list[str]:
        return []

    plugin = SimpleNamespace(governance_policy_file=governance_policy_file)
    (problem,) = load_problems(register=[(plugin, supplier("typo"))])
    assert "no hook is called 'governance_policy_file'" in problem
    assert "did you mean 'governance_policy_files'?" in problem


def test_a_wrong_hook_signature_is_refused() -> None:
    @hookimpl
    def governance_observe(operation: Operation, extra: int) -> object:
        return None

    plugin = SimpleNamespace(governance_observe=governance_observe)
    (problem,) = load_problems(register=[(plugin, supplier("odd"))])
    assert "plugin odd 1.0: [register] invalid plugin" in problem


def test_a_process_hook_returning_something_else_is_refused_not_ignored() -> None:
    @hookimpl
    def governance_process_definitions() -> list[object]:
        return [object()]

    plugin = SimpleNamespace(governance_process_definitions=governance_process_definitions)
    (problem,) = load_problems(register=[(plugin, supplier("early"))])
    assert "plugin early 1.0: [governance_process_definitions] returned object" in problem
    assert "where a ProcessDefinition is expected" in problem


def test_a_rubric_hook_returning_something_else() -> None:
    @hookimpl
    def governance_rubrics() -> list[object]:
        return ["a rubric"]

    plugin = SimpleNamespace(governance_rubrics=governance_rubrics)
    (problem,) = load_problems(register=[(plugin, supplier("early"))])
    assert "where a Rubric | VoteRule is expected" in problem


def test_the_same_name_registered_twice() -> None:
    plugins = Plugins()
    plugins.register(SimpleNamespace(), supplier("twin"))
    with pytest.raises(PluginError, match="registered already"):
        plugins.register(SimpleNamespace(), supplier("twin"))


# --- the plugin implementing every hook --------------------------------------------------


def test_every_hook_supplies_what_it_returns() -> None:
    engine = Engine.load(register=[(every_hook, supplier("every_hook"))])
    assert {"every_hook.files", "every_hook.records"} <= set(engine.policies.of(CRITERIA))
    verdict = engine.evaluate(
        "every_hook.records", [dossier(counts={"联系户数": 12})], AS_OF, explain=True
    )[0]
    assert verdict.items[0].status.value == "met"
    assert "联系户数" in engine.policies.schema.functions
    assert ("evaluate", "every_hook.records", 1) in every_hook.OBSERVED
    report = {r.supplier.name: r for r in engine.plugin_report()}
    mine = report["every_hook"]
    assert mine.status == "loaded" and len(mine.hooks) == 10
    assert {f.list_id for f in mine.lists} == {"every_hook.files", "every_hook.records"}
    assert mine.parameters == ("every_hook_min_households",)
    assert mine.functions == ("households",)
    assert "has_finding" in report["governance_core"].functions


# --- observers ---------------------------------------------------------------------------


def observer(body: Any) -> Any:
    @hookimpl(wrapper=True)
    def governance_observe(operation: Operation) -> Generator[None, object, object]:
        result = yield
        return body(result)

    return SimpleNamespace(governance_observe=governance_observe)


@pytest.mark.districts
def test_an_observer_that_changes_the_result_is_refused(example_roster: Roster) -> None:
    engine = Engine.load(plugins=["shizhong"], register=[(observer(lambda r: []), supplier("o"))])
    with pytest.raises(PluginError, match="changed or dropped the result"):
        engine.evaluate("shizhong.exit_conditions", example_roster, AS_OF)


@pytest.mark.districts
def test_an_observer_that_fails_is_a_plugin_error(example_roster: Roster) -> None:
    def fail(result: object) -> object:
        raise ValueError("log full")

    engine = Engine.load(plugins=["shizhong"], register=[(observer(fail), supplier("o"))])
    with pytest.raises(PluginError, match="an observer raised ValueError: log full"):
        engine.evaluate("shizhong.exit_conditions", example_roster, AS_OF)


@pytest.mark.districts
def test_an_observer_must_be_a_wrapper(example_roster: Roster) -> None:
    @hookimpl
    def governance_observe(operation: Operation) -> object:
        return "hijacked"

    plugin = SimpleNamespace(governance_observe=governance_observe)
    engine = Engine.load(plugins=["shizhong"], register=[(plugin, supplier("thief"))])
    with pytest.raises(PluginError, match="must be a wrapper"):
        engine.evaluate("shizhong.exit_conditions", example_roster, AS_OF)


def test_the_operations_own_error_passes_through_observers(write: Any) -> None:
    path = write(policy_yaml('count("缺席") / (count("缺席") - 2) > 1'))
    engine = Engine.load(policies=[path], register=[(observer(lambda r: r), supplier("watcher"))])
    with pytest.raises(EvaluationError, match="division by zero"):
        engine.evaluate("test.list", [dossier()], AS_OF)


# --- order independence ------------------------------------------------------------------

_PLUGINS = [
    ("east", lists_plugin("east.list")),
    ("west", lists_plugin("west.list", expression='count("缺席") > 1')),
    ("every_hook", every_hook),
]


def _decisions(order: tuple[int, ...], roster: Roster) -> Any:
    engine = Engine.load(
        plugins=["shizhong"], register=[(_PLUGINS[i][1], supplier(_PLUGINS[i][0])) for i in order]
    )
    verdicts = engine.evaluate_all(roster, AS_OF)
    return (
        list(engine.policies.of(CRITERIA)),
        [f.name for f in engine.policies.schema.functions.functions()],
        [(v.list_id, v.person_id, v.outcome, [i.id for i in v.items]) for v in verdicts],
    )


@pytest.mark.districts
def test_registration_order_never_changes_a_decision(example_roster: Roster) -> None:
    orders = list(itertools.permutations(range(len(_PLUGINS))))
    first = _decisions(orders[0], example_roster)
    for order in orders[1:]:
        assert _decisions(order, example_roster) == first, order


@pytest.mark.districts
@settings(max_examples=10, deadline=None)
@given(st.permutations(range(len(_PLUGINS))))
def test_registration_order_property(order: list[int]) -> None:
    from governance_core import load_roster

    roster = load_roster(Engine.example_roster())
    assert _decisions(tuple(order), roster) == _decisions((0, 1, 2), roster)


# --- settings and the command line -------------------------------------------------------

runner = CliRunner()


@pytest.mark.districts
def test_plugins_are_named_in_governance_toml(tmp_path: Path) -> None:
    (tmp_path / "governance.toml").write_text('plugins = ["shizhong"]\n', encoding="utf-8")
    result = runner.invoke(app, ["check", "--config", str(tmp_path / "governance.toml")])
    assert result.exit_code == 0, result.output
    assert "退出情形" in result.output


@pytest.mark.districts
def test_plugins_are_named_in_pyproject(tmp_path: Path) -> None:
    from governance_core.plugins import find_settings

    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.governance]\nplugins = ["shizhong>=0.1"]\n',
        encoding="utf-8",
    )
    settings = find_settings(tmp_path)
    assert settings.plugins == ("shizhong>=0.1",)
    assert "shizhong.exit_conditions" in Engine.load(settings).policies.of(CRITERIA)


def test_bad_settings_are_located(tmp_path: Path) -> None:
    path = tmp_path / "governance.toml"
    path.write_text('plugins = ["shizhong"\noverlays = 3\n', encoding="utf-8")
    result = runner.invoke(app, ["check", "--config", str(path)])
    assert result.exit_code == 1 and "governance.toml:2:" in result.output
    path.write_text('plugin = ["shizhong"]\n', encoding="utf-8")
    result = runner.invoke(app, ["check", "--config", str(path)])
    assert result.exit_code == 1 and "plugin" in result.output and "plugins" in result.output


@pytest.mark.districts
def test_plugins_command_lists_status_hooks_and_completeness() -> None:
    result = runner.invoke(app, ["plugins", "--plugin", "shizhong", "-f", "json", "-l", "en"])
    assert result.exit_code == 0, result.output
    rows = {r["supplier"]["name"]: r for r in orjson.loads(result.stdout)}
    shizhong = rows["shizhong"]
    assert shizhong["status"] == "loaded" and shizhong["supplier"]["version"] == "0.1.0"
    assert shizhong["hooks"] == ["governance_policy_files"]
    exit_list = next(li for li in shizhong["lists"] if li["list_id"] == "shizhong.exit_conditions")
    assert exit_list["completeness"]["declared"] == 9
    assert "3 of 9" in exit_list["completeness_text"]
    table = runner.invoke(app, ["plugins"])
    assert table.exit_code == 0 and "已安装，未指定" in table.output  # shizhong, not named


@pytest.mark.districts
def test_the_report_names_what_each_plugin_supplied_of_every_kind() -> None:
    reports = {r.supplier.name: r for r in Engine.load(plugins=["jiaozhou"]).plugin_report()}
    jiaozhou = reports["jiaozhou"].records
    assert jiaozhou["rubrics"] == ("jiaozhou.first_secretary_goals",)
    assert jiaozhou["grade_policies"] == ("jiaozhou.first_secretary_grades",)
    assert "lists" not in jiaozhou and "parameters" not in jiaozhou  # shown on their own
    assert reports["governance_core"].records["processes"] == (
        "core.four_deliberations_two_disclosures",
    )
    shown = runner.invoke(app, ["plugins", "--plugin", "jiaozhou", "--format", "json"])
    (row,) = [r for r in orjson.loads(shown.stdout) if r["supplier"]["name"] == "jiaozhou"]
    assert row["records"]["votes"] == ["jiaozhou.satisfaction"]


def test_a_missing_plugin_on_the_command_line_exits_1() -> None:
    result = runner.invoke(app, ["check", "--plugin", "huaiyin"])
    assert result.exit_code == 1 and "插件 'huaiyin' 未安装" in result.output


@pytest.mark.districts
def test_nothing_is_evaluated_with_a_failing_plugin() -> None:
    plugin = lists_plugin("ok.list", expression="nonsense")
    with pytest.raises(PluginError):
        Engine.load(plugins=["shizhong"], register=[(plugin, supplier("bad"))])


def test_a_parameter_named_like_a_plugin_function(tmp_path: Path) -> None:
    @hookimpl
    def governance_expression_functions() -> list[ExprFunction]:
        return [ExprFunction("min_years", "最低", (), ExprType.NUMBER, lambda d: 1, "clash")]

    plugin = SimpleNamespace(governance_expression_functions=governance_expression_functions)
    path = tmp_path / "p.yaml"
    path.write_text(policy_yaml(), encoding="utf-8")
    with pytest.raises(PolicyError, match="also the name of an expression function"):
        Engine.load(policies=[path], register=[(plugin, supplier("clash"))])
