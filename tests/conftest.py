"""Shared fixtures: a policy file writer, the example roster, a small dossier factory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from governance_core import Dossier, Engine, Finding, Person, Post, Roster, load_roster

AS_OF = date(2024, 6, 30)

CITATION = "{document: 测试文件, article: 第一条, source: test.txt}"


def policy_yaml(
    expression: str = 'has_finding("涉黑涉恶")', *, declared: int = 1, extra: str = ""
) -> str:
    """A small valid policy file with one list of one item."""
    return f"""\
parameters:
  - id: min_years
    title: {{zh: 最低年限, en: Minimum years}}
    kind: number
    citation: {CITATION}
    values:
      - {{value: 3, effective_from: 2020-01-01}}
lists:
  - id: test.list
    title: {{zh: 测试清单, en: Test list}}
    citation: {CITATION}
    declared_size: {declared}
    effect: disqualify
    hit_policy: any
    items:
      - id: item1
        number: 1
        title: {{zh: 条目一, en: Item one}}
        citation: {CITATION}
        expression: {expression}
{extra}"""


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    def _write(text: str, name: str = "policy.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture(scope="session")
def example_roster() -> Roster:
    return load_roster(Engine.example_roster())


@pytest.fixture(scope="session")
def examples() -> Engine:
    """The 市中区 plugin (plugins_contrib/shizhong, installed by ./scripts/test): real lists
    for the engine's tests; the plugin's own tests cover its content."""
    return Engine.load(plugins=["shizhong"])


def dossier(**overrides: Any) -> Dossier:
    """A dossier of a secretary since 2020 with one finding; override any field."""
    fields: dict[str, Any] = {
        "person": Person("p1", "张三", birth_date=date(1970, 5, 1), education="本科"),
        "as_of": AS_OF,
        "posts": (Post("p1", "党组织书记", "v1", date(2020, 7, 1)),),
        "findings": (Finding("F1", "p1", "涉黑涉恶", date(2023, 1, 1), "镇党委"),),
        "counts": {"缺席": 2},
        "grades": {2023: "优秀"},
    }
    fields.update(overrides)
    return Dossier(**fields)
