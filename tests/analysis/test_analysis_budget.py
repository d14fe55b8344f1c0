"""The analysis keeps its budget and its size (docs/analysis.md): past the budget no question
is built or asked, whatever the size of the policy, and findings past the cap are counted in
one finding; nothing is claimed about what was not asked."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from governance_core import Engine
from governance_core.analysis import _solver, analyse
from tests.support import CITATION

AS_OF = date(2024, 6, 30)


def _list(items: int) -> str:
    lines = "\n".join(
        f"      - {{id: i{n}, number: {n + 1}, title: {{zh: 条目{n}, en: Item {n}}}, "
        f"citation: {CITATION}, expression: 'has_finding(\"事{n % 3}\")'}}"
        for n in range(items)
    )
    return f"""\
lists:
  - id: t.many
    title: {{zh: 清单, en: List}}
    citation: {CITATION}
    declared_size: {items}
    effect: disqualify
    hit_policy: any
    items:
{lines}
"""


def test_past_the_budget_no_question_is_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = tmp_path / "many.yaml"
    policy.write_text(_list(400), encoding="utf-8")
    engine = Engine.from_files([policy])
    asked: list[Any] = []
    original = _solver.Solver._check

    def counted(self: _solver.Solver, terms: Any) -> Any:
        asked.append(terms)
        return original(self, terms)

    monkeypatch.setattr(_solver.Solver, "_check", counted)
    found = analyse(engine, AS_OF, seconds=0)
    assert [d.kind for d in found] == ["analysis_incomplete"]
    assert asked == []  # 400 items are 79,800 pairs: none was built, none asked


def test_findings_past_the_cap_are_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import governance_core.analysis as analysis

    policy = tmp_path / "many.yaml"
    policy.write_text(_list(9), encoding="utf-8")  # three of each item: many redundancies
    monkeypatch.setattr(analysis, "MAX_FINDINGS", 4)
    found = analyse(Engine.from_files([policy]), AS_OF)
    assert len(found) == 5 and found[-1].kind == "findings_capped"
    assert found[-1].witness["not_listed"] > 0
    assert all(d.kind == "redundant" for d in found[:4])
