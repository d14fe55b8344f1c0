"""The public API is listed once, in governance_core.__all__; pin it (after httpx)."""

from __future__ import annotations

import governance_core
from governance_core import errors

PINNED = [
    "Actor",
    "Amount",
    "Area",
    "Assessment",
    "CalendarError",
    "Catalogue",
    "CheckReport",
    "Citation",
    "Claim",
    "ClaimStatus",
    "CompiledList",
    "CompiledProcess",
    "Completeness",
    "ConfigError",
    "Count",
    "CriteriaList",
    "Criterion",
    "Cycle",
    "Cycles",
    "Blocked",
    "Deadline",
    "Document",
    "Dossier",
    "DueStep",
    "Effect",
    "EffectKind",
    "Engine",
    "EvaluationError",
    "Event",
    "Expression",
    "ExpressionError",
    "Finding",
    "FireResult",
    "GovernanceError",
    "Grade",
    "GradePolicy",
    "HitPolicy",
    "Household",
    "ImposedEffect",
    "ItemStatus",
    "ItemVerdict",
    "Ledger",
    "Manifest",
    "ListFacts",
    "ListVerdict",
    "MemoryStore",
    "OrgLevel",
    "Organisation",
    "OrganisationRecord",
    "Outcome",
    "Parameter",
    "ParameterError",
    "ParameterValues",
    "Period",
    "Permission",
    "Person",
    "Planned",
    "PluginError",
    "PluginReport",
    "PointCategory",
    "PointItem",
    "Points",
    "PolicyError",
    "PolicySet",
    "Post",
    "Posting",
    "Problem",
    "ProblemKind",
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
    "RosterIssue",
    "Rubric",
    "RubricLine",
    "RubricSection",
    "Runtime",
    "Sweep",
    "Scoring",
    "ScoringError",
    "ScoringRule",
    "Settings",
    "State",
    "Statement",
    "Step",
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


def _governance_types(hint: object) -> set[type]:
    """The governance_core classes a return annotation names, through unions and generics."""
    import typing

    found: set[type] = set()
    origin = typing.get_origin(hint)
    for part in (*typing.get_args(hint), origin) if origin is not None else (hint,):
        if origin is not None and part is not origin:
            found |= _governance_types(part)
        elif isinstance(part, type) and part.__module__.startswith("governance_core."):
            found.add(part)
    return found


def _returned(member: object) -> set[type]:
    """The governance_core classes that ``member`` (a function, or a class's public methods and
    properties) returns."""
    import inspect
    import typing

    if inspect.isclass(member):
        functions = []
        for name in dir(member):
            if name.startswith("_"):
                continue
            static = inspect.getattr_static(member, name)
            function = static.fget if isinstance(static, property) else getattr(member, name)
            if inspect.isfunction(function) or inspect.ismethod(function):
                functions.append(function)
    else:
        functions = [member] if inspect.isfunction(member) else []
    return {
        found
        for function in functions
        for found in _governance_types(typing.get_type_hints(function).get("return"))
    }


def test_every_type_the_api_returns_is_exported() -> None:
    # what the Engine, the Runtime and the rest return, a caller can name (and annotate with):
    # followed from every public name to what its functions return, and on. The expression
    # language's own types are named by governance_core.expressions (docs/expressions.md).
    from governance_core import expressions

    reached: set[type] = set()
    unnamed: list[str] = []
    todo = [getattr(governance_core, name) for name in governance_core.__all__]
    while todo:
        for found in _returned(todo.pop()) - reached:
            reached.add(found)
            if found.__module__.startswith("governance_core.expressions"):
                if found.__name__ not in expressions.__all__:
                    unnamed.append(f"governance_core.expressions.{found.__name__}")
            elif getattr(governance_core, found.__name__, None) is not found:
                unnamed.append(f"{found.__module__}.{found.__name__}")
            else:
                todo.append(found)
    assert sorted(unnamed) == []
