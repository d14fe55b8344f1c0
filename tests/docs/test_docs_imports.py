"""The Python the documents show imports what exists: every ``governance_core`` import of every
```python block in README.md and docs/ is run (a module that moved leaves no stale page)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.support import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _imports(page: Path) -> list[str]:
    found = []
    for block in re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S):
        for node in ast.walk(ast.parse(block)):
            if isinstance(node, ast.Import | ast.ImportFrom):
                statement = ast.unparse(node)
                if "governance_core" in statement:
                    found.append(statement)
    return found


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_the_library_imports_a_page_shows_exist(page: Path) -> None:
    for statement in _imports(page):
        exec(statement, {})  # an import of this library: ImportError names what moved


def test_the_pages_show_imports() -> None:
    assert _imports(ROOT / "README.md")  # the reader of this test finds the blocks
