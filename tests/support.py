"""What the tests share besides fixtures: the repository's folders, a date, a citation, a small
policy file and a dossier factory."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from governance_core import Dossier, Finding, Person, Post

TESTS = Path(__file__).parent
ROOT = TESTS.parent

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


def installed(*plugins: str) -> list[str]:
    """Those of ``plugins`` this environment offers: none of the contrib districts in the unit
    lane (``--without-districts``), so a module that loads them can still be collected there."""
    from governance_core.plugins import installed_plugins

    offered = {entry.name for entry in installed_plugins()}
    return [name for name in plugins if name in offered]


def by_supplier(ids: Iterable[str]) -> list[Any]:
    """``ids`` as pytest parameters, those a district supplies (not ``core.``) marked
    ``districts``: they run in the districts lane, the built-in ones in the unit lane."""
    import pytest

    return [
        pytest.param(i, id=i, marks=() if i.startswith("core.") else pytest.mark.districts)
        for i in sorted(ids)
    ]
