"""The testing toolkit as documented: `governance_core.testing.strategies` imports first in a
fresh interpreter (hypothesis's entry point loads the library while it is being imported),
and the `@given` examples of docs/testing.md run as written, with hypothesis's default
settings and health checks, in a pytest of their own."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.support import ROOT

DOCS = ROOT / "docs" / "testing.md"


def test_the_strategies_import_first_in_a_fresh_interpreter() -> None:
    for statement in (
        "import governance_core.testing.strategies",
        "from governance_core.testing import strategies, derived, invariants",
    ):
        done = subprocess.run(
            [sys.executable, "-c", statement],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr


def test_the_documented_examples_run_as_written(tmp_path: Path) -> None:
    text = DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    (example,) = [b for b in blocks if "@given(rosters())" in b]
    (tmp_path / "test_documented.py").write_text(example, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout
