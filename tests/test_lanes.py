"""The lanes behind the README's test command (scripts/test): the unit lane runs the core tests
with the contrib district plugins hidden (``--without-districts``), so a test that needs one
must say so (``@pytest.mark.districts``). In-process loads are caught by the hiding; this
catches what it cannot see, such as a command run in a subprocess that names a district."""

from __future__ import annotations

import ast
import re

from tests.conftest import DISTRICTS
from tests.support import TESTS

# a district asked for: `--plugin shizhong` (a command, maybe in a subprocess), plugins=[…]
NAMED = re.compile(rf"(--plugin\W+|plugins=\[[^\]]*)\b({'|'.join(sorted(DISTRICTS))})\b")


# named, but never loaded: each with the reason
NOT_LOADED = {
    "loading/test_plugins.py::test_a_malformed_plugin_name_is_explained": "refused as a name",
    "docs/test_docs_commands.py::test_the_reader_finds_the_commands": "reads commands, runs none",
}


def _marked(node: ast.AST) -> bool:
    return "districts" in ast.unparse(node)


def _unmarked_tests_naming_a_district() -> list[str]:
    found = []
    for path in sorted(TESTS.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(
            isinstance(n, ast.Assign) and "pytestmark" in ast.unparse(n) and _marked(n.value)
            for n in tree.body
        ):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test_"):
                continue
            if any(_marked(d) for d in node.decorator_list):
                continue
            body = "\n".join(ast.unparse(statement) for statement in node.body)
            if NAMED.search(body) and not _parametrized_by_supplier(node):
                found.append(f"{path.relative_to(TESTS)}::{node.name}")
    return found


def _parametrized_by_supplier(node: ast.FunctionDef) -> bool:
    # by_supplier marks each district's parameter itself
    return any("by_supplier" in ast.unparse(d) for d in node.decorator_list)


def test_a_test_that_names_a_district_is_marked() -> None:
    assert [t for t in _unmarked_tests_naming_a_district() if t not in NOT_LOADED] == []
