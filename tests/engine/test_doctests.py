"""Every example in a docstring runs: the modules whose docstrings hold ``>>>`` lines, found
from the source so that a new one cannot be forgotten."""

from __future__ import annotations

import doctest
import importlib
import re
from typing import Any

import pytest

from tests.conftest import DISTRICTS
from tests.support import ROOT

SRC = ROOT / "src"
NAMES_A_DISTRICT = re.compile(rf"\b({'|'.join(sorted(DISTRICTS))})\b")


def _modules() -> list[Any]:
    found = []
    for path in sorted((SRC / "governance_core").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if ">>> " not in text:
            continue
        module = ".".join(path.relative_to(SRC).with_suffix("").parts)
        examples = "\n".join(line for line in text.splitlines() if ">>> " in line)
        district = NAMES_A_DISTRICT.search(examples) is not None
        found.append(pytest.param(module, id=module, marks=[pytest.mark.districts] * district))
    return found


@pytest.mark.parametrize("module", _modules())
def test_the_examples_in_the_docstrings_run(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
