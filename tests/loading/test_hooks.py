"""Every hook is documented, its example runs as a plugin, and a test plugin implements it
(after datasette's tests/test_docs.py and test_plugins.py): adding a hook without docs, an
example or a test fails here."""

from __future__ import annotations

import inspect
import re
import textwrap
import types

import pytest

from governance_core import Engine, Outcome, load_roster
from governance_core.plugins.hookspecs import hook_specs
from governance_core.rules.common import Supplier, SupplierKind
from governance_core.rules.scoring.kind import SCORING
from tests.plugins import every_hook
from tests.support import AS_OF, ROOT, dossier

SPECS = hook_specs()  # the general hooks and each kind's (rules/*/hookspecs.py)
HOOKS = sorted(SPECS)
DOCS = [
    (ROOT / "docs" / page).read_text(encoding="utf-8") for page in ("plugins.md", "plugins.en.md")
]


def example_of(hook: str) -> str:
    doc = inspect.getdoc(SPECS[hook]) or ""
    _, _, after = doc.partition("Example::\n")
    return textwrap.dedent(after)


def as_plugin(hook: str) -> types.ModuleType:
    module = types.ModuleType(f"example_{hook}")
    exec(compile(example_of(hook), f"<example of {hook}>", "exec"), module.__dict__)
    return module


def test_there_are_hooks_for_everything_the_issues_name() -> None:
    assert HOOKS == [
        "governance_criteria_lists",
        "governance_deliver",
        "governance_expression_functions",
        "governance_grade_policies",
        "governance_observe",
        "governance_parameters",
        "governance_policy_files",
        "governance_process_definitions",
        "governance_process_extensions",
        "governance_rubrics",
    ]


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented(hook: str) -> None:
    doc = inspect.getdoc(SPECS[hook]) or ""
    summary = doc.splitlines()[0] if doc else ""
    assert summary.endswith("."), f"{hook}: a one-line summary"
    assert ":returns:" in doc and "None" in doc, f"{hook}: what the result and None mean"
    assert example_of(hook).strip(), f"{hook}: a runnable example"
    for parameter in inspect.signature(SPECS[hook]).parameters:
        if parameter != "self":
            assert f":param {parameter}:" in doc, f"{hook}: parameter {parameter}"
    for doc in DOCS:  # the Chinese page and the English one
        assert re.search(rf"^### `{hook}`", doc, re.MULTILINE), f"{hook} is not in docs/plugins*.md"


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_implemented_by_the_test_plugin(hook: str) -> None:
    assert callable(getattr(every_hook, hook, None)), f"tests/plugins/every_hook.py lacks {hook}"


@pytest.mark.districts
@pytest.mark.parametrize("hook", HOOKS)
def test_every_example_runs_as_a_plugin(hook: str) -> None:
    plugin = as_plugin(hook)
    engine = Engine.load(register=[(plugin, Supplier(SupplierKind.PLUGIN, "example", "0"))])
    info = {r.supplier.name: r for r in engine.plugin_report()}["example"]
    assert hook in info.hooks
    if hook in ("governance_policy_files", "governance_criteria_lists"):
        (facts,) = info.lists
        verdict = engine.evaluate(facts.list_id, [dossier()], AS_OF)[0]
        assert verdict.outcome is Outcome.HIT  # the dossier has a 涉黑涉恶 finding
    if hook == "governance_parameters":
        assert engine.policies.values_on(AS_OF)["demo_ranking_day"] == 10
    if hook == "governance_expression_functions":
        assert info.functions == ("households",)
        assert "联系户数" in engine.policies.schema.functions
    if hook == "governance_rubrics":
        assert "demo.rubric" in engine.policies.of(SCORING).rubrics
        assert "demo.vote" in engine.policies.of(SCORING).votes
    if hook == "governance_grade_policies":
        assert engine.policies.of(SCORING).grade_policy("demo.tiers").rest == "一般"
    if hook == "governance_observe":
        engine.evaluate_all(load_roster(Engine.example_roster()), AS_OF)
        assert plugin.SEEN == []  # nothing loaded to evaluate, so nothing observed
        shizhong = Engine.load(
            plugins=["shizhong"],
            register=[(plugin, Supplier(SupplierKind.PLUGIN, "example", "0"))],
        )
        shizhong.evaluate("shizhong.exit_conditions", [dossier()], AS_OF)
        assert plugin.SEEN == [("evaluate", "shizhong.exit_conditions", 1)]
