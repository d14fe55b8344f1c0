"""The layout of docs/architecture.md: one concept per folder, private modules kept private,
small modules, and every kind of rule registered from its own package."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from governance_core.loading.kinds import registered
from tests.support import ROOT

SRC = ROOT / "src" / "governance_core"


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
            found += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return found


def test_no_package_imports_another_s_private_modules() -> None:
    wrong = []
    for path in SRC.rglob("*.py"):
        here = _module(path)
        package = here if path.name == "__init__.py" else here.rpartition(".")[0]
        for name in _imports(path):
            parts = name.split(".")
            private = [i for i, p in enumerate(parts) if p.startswith("_") and p != "_" and i > 0]
            if not name.startswith("governance_core.") or not private:
                continue
            owner = ".".join(parts[: private[0]])
            if not (package == owner or package.startswith(owner + ".")):
                wrong.append(f"{here} imports {name}")
    assert wrong == []


def test_every_kind_is_registered_from_its_own_package() -> None:
    packages = sorted(p.name for p in (SRC / "rules").iterdir() if (p / "kind.py").exists())
    kinds = sorted(type(kind).__module__.split(".")[2] for kind in registered())
    assert (
        kinds
        == packages
        == [
            "calendar",
            "criteria",
            "cycles",
            "effects",
            "gaps",
            "points",
            "procedures",
            "reminders",
            "scoring",
        ]
    )
    for kind in registered():
        module = type(kind).__module__
        assert module == f"governance_core.rules.{kind.name}.kind" or module.endswith(".kind")


def test_the_library_loads_without_the_sql_store() -> None:
    # the runtime's default store is in memory: SQLAlchemy and alembic load with SqlStore only
    code = (
        "import sys, governance_core; print(sorted({'sqlalchemy', 'alembic'} & set(sys.modules)))"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "[]"
