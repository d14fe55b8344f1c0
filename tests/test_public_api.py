"""The public API is listed once, in governance_core.__all__; pin it (after httpx)."""

from __future__ import annotations

import governance_core
from governance_core import errors

PINNED = [
    "Actor",
    "Amount",
    "Area",
    "CalendarError",
    "CheckReport",
    "Citation",
    "ConfigError",
    "Count",
    "CriteriaList",
    "Criterion",
    "Document",
    "Dossier",
    "Effect",
    "Engine",
    "EvaluationError",
    "Event",
    "Expression",
    "ExpressionError",
    "Finding",
    "FireResult",
    "GovernanceError",
    "Grade",
    "HitPolicy",
    "ItemStatus",
    "ItemVerdict",
    "ListFacts",
    "ListVerdict",
    "MemoryStore",
    "OrgLevel",
    "Organisation",
    "Outcome",
    "Parameter",
    "ParameterError",
    "Permission",
    "Person",
    "PluginError",
    "PluginReport",
    "PolicyError",
    "PolicySet",
    "Post",
    "Problem",
    "ProblemsError",
    "ProcessDefinition",
    "ProcessInstance",
    "ProcessStore",
    "Rank",
    "Refusal",
    "RefusalKind",
    "RequestReusedError",
    "Roster",
    "RosterError",
    "Runtime",
    "ScoringError",
    "Settings",
    "StepRefusedError",
    "Supplier",
    "SupplierKind",
    "Title",
    "UNKNOWN",
    "UnknownInstanceError",
    "UnknownPolicyError",
    "VersionConflictError",
    "WorkflowError",
    "__version__",
    "compile_expression",
    "find_settings",
    "from_json",
    "hookimpl",
    "load_policies",
    "load_roster",
    "read_settings",
    "to_json",
]


def test_the_public_api_is_pinned() -> None:
    # a name added or removed here is a change of the public API: say so in the CHANGELOG
    assert sorted(governance_core.__all__) == sorted(PINNED)


def test_all_exports_exist_and_are_documented() -> None:
    for name in governance_core.__all__:
        member = getattr(governance_core, name)
        if name not in ("UNKNOWN", "__version__") and callable(member):
            assert member.__doc__, f"{name} has no docstring"


def test_public_names_do_not_leak() -> None:
    # "@py_builtins" and "@pytest_ar": pytest rewrites the asserts of a distribution that
    # registers a pytest plugin (governance_core.testing.pytest_plugin), this one included
    public = {n for n in dir(governance_core) if not n.startswith(("_", "@"))}
    modules = {
        "analysis",
        "cli",
        "engine",
        "errors",
        "expressions",
        "files",
        "jobs",
        "loading",
        "messages",
        "model",
        "plugins",
        "present",
        "rules",
        "runtime",
        "service",
        "storage",
        "testing",
    }
    assert public - modules == set(governance_core.__all__) - {"__version__"}


def test_every_error_is_a_governance_error() -> None:
    for name in errors.__all__:
        member = getattr(errors, name)
        if isinstance(member, type) and issubclass(member, BaseException):
            assert issubclass(member, governance_core.GovernanceError), name
            assert name in (errors.__doc__ or ""), f"{name} is not drawn in the errors docstring"


def test_the_names_for_type_checkers_are_the_public_ones() -> None:
    # the public API loads on first use (PEP 562): the typing block must name the same things
    import ast
    from pathlib import Path

    source = Path(governance_core.__file__).read_text(encoding="utf-8")
    typed = {
        alias.asname: node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.asname is not None and alias.asname == alias.name
    }
    assert typed == governance_core._PUBLIC


def test_importing_the_package_loads_none_of_it() -> None:
    import subprocess
    import sys

    code = "import sys, governance_core; print('governance_core.engine' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"
