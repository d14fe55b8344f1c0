"""Plugins cannot fail silently: wrong return types, raises and exits of plugin code end the
command with a PluginError naming the plugin; two distributions offering one name are refused."""

from __future__ import annotations

from collections.abc import Callable, Generator
from importlib.metadata import EntryPoint
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from governance_core import Engine, PluginError
from governance_core.expressions import ExprFunction, ExprType
from governance_core.plugins import Operation, hookimpl
from governance_core.rules.common import Supplier, SupplierKind
from tests.support import AS_OF, dossier, policy_yaml

BY = Supplier(SupplierKind.PLUGIN, "district", "1.0")


def _function_plugin(impl: Callable[..., Any], returns: ExprType = ExprType.BOOL) -> Any:
    @hookimpl
    def governance_expression_functions() -> list[ExprFunction]:
        return [ExprFunction("barred", "被禁止", (), returns, impl, "a district's own test")]

    return SimpleNamespace(governance_expression_functions=governance_expression_functions)


def _evaluate(write: Any, impl: Callable[..., Any], returns: ExprType = ExprType.BOOL) -> Any:
    expression = "barred()" if returns is ExprType.BOOL else "barred() > 0"
    path = write(policy_yaml(expression))
    engine = Engine.load(policies=[path], register=[(_function_plugin(impl, returns), BY)])
    return engine.evaluate("test.list", [dossier()], AS_OF)


@pytest.mark.parametrize("value", [None, "no", "", 0, 1, [False]])
def test_a_bool_function_returning_something_else_stops_the_evaluation(
    write: Any, value: object
) -> None:
    with pytest.raises(PluginError) as caught:
        _evaluate(write, lambda d: value)
    (problem,) = caught.value.problems
    assert problem.file == "plugin district 1.0" and problem.rule_id == "barred()"
    assert repr(value)[:20] in problem.message and "bool" in problem.message


def test_a_number_function_returning_a_bool_or_text_is_refused(write: Any) -> None:
    for value in (True, "3"):
        with pytest.raises(PluginError, match="declares number"):
            _evaluate(write, lambda d, v=value: v, ExprType.NUMBER)


def test_a_well_typed_function_still_decides(write: Any) -> None:
    (verdict,) = _evaluate(write, lambda d: True)
    assert verdict.outcome.value == "hit"


@pytest.mark.parametrize("escape", [ValueError("bad"), SystemExit(0), KeyboardInterrupt()])
def test_a_function_that_raises_or_exits_is_a_plugin_error(
    write: Any, escape: BaseException
) -> None:
    def impl(d: object) -> bool:
        raise escape

    with pytest.raises(PluginError) as caught:
        _evaluate(write, impl)
    assert type(escape).__name__ in caught.value.problems[0].message
    assert caught.value.problems[0].file == "plugin district 1.0"


def test_a_hook_that_exits_is_a_plugin_error() -> None:
    @hookimpl
    def governance_policy_files() -> list[str]:
        raise SystemExit(0)

    plugin = SimpleNamespace(governance_policy_files=governance_policy_files)
    with pytest.raises(PluginError, match="raised SystemExit"):
        Engine.load(register=[(plugin, BY)])


def test_a_plugin_that_exits_while_imported_is_a_plugin_error() -> None:
    entry = EntryPoint("quitter", "tests.plugins.exits_at_import", "governance_core")
    with pytest.raises(PluginError, match=r"failed to import .*SystemExit"):
        Engine.load(plugins=["quitter"], available=[entry])


def test_an_observer_that_exits_is_a_plugin_error(write: Any) -> None:
    @hookimpl(wrapper=True)
    def governance_observe(operation: Operation) -> Generator[None, object, object]:
        yield
        raise SystemExit(0)

    path = write(policy_yaml())
    plugin = SimpleNamespace(governance_observe=governance_observe)
    engine = Engine.load(policies=[path], register=[(plugin, BY)])
    with pytest.raises(PluginError, match="an observer raised SystemExit"):
        engine.evaluate("test.list", [dossier()], AS_OF)


def test_two_distributions_offering_one_plugin_name_are_both_named() -> None:
    one = EntryPoint("shizhong", "tests.plugins.data_only", "governance_core")
    other = EntryPoint("shizhong", "governance_shizhong.policies", "governance_core")
    for name in ("shizhong", "shizhong>=0"):
        with pytest.raises(PluginError) as caught:
            Engine.load(plugins=[name], available=[one, other])
        (problem,) = caught.value.problems
        assert "more than one installed distribution" in problem.message
        assert "tests.plugins.data_only" in problem.message
        assert "governance_shizhong.policies" in problem.message


def _package(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "__init__.py").write_text("", encoding="utf-8")
    return folder


@pytest.mark.parametrize("entry", ["fifo", "link out", "device"])
def test_a_data_only_folder_holds_regular_files_inside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str
) -> None:
    import importlib
    import os

    from governance_core.plugins._folder import FolderError, data_only

    name = f"hostile_policies_{entry.replace(' ', '_')}"
    folder = _package(tmp_path, name)
    (folder / "a.yaml").write_text("lists: []\n", encoding="utf-8")
    if entry == "fifo":
        os.mkfifo(folder / "b.yaml")  # would hang every command that names the plugin
    elif entry == "link out":
        outside = tmp_path / "elsewhere.yaml"
        outside.write_text("lists: []\n", encoding="utf-8")
        (folder / "b.yaml").symlink_to(outside)
    else:
        (folder / "b.yaml").symlink_to("/dev/zero")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module(name)
    with pytest.raises(FolderError, match=r"b\.yaml"):
        data_only(module)


def test_a_fifo_given_as_a_file_is_refused_at_once(tmp_path: Path) -> None:
    import os

    from governance_core.errors import RosterError
    from governance_core.model import load_roster

    fifo = tmp_path / "roster.yaml"
    os.mkfifo(fifo)
    with pytest.raises(RosterError, match="not a regular file"):
        load_roster(fifo)
