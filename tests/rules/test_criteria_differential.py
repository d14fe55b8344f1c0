"""Differential: a list's one compiled function (its items fused, a call repeated across them
made once) and the explaining interpreter give every item the same status, and the list the
same outcome, on any dossier, whichever facts are missing."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance_core import Dossier, Engine, Finding, Person, Post
from tests.support import AS_OF, CITATION

# Calls that recur across items, in places that may and may not be skipped
_ATOMS = [
    'years_in_post("党组织书记") < 1',
    'years_in_post("党组织书记") >= min_years',
    'has_finding("涉黑涉恶")',
    'has_finding("长期不履职", within=years(2))',
    'count("缺席") > 1',
    'count("缺席") + count("迟到") >= 3',
    "age() >= 60",
    '1 < age() - 50 < count("缺席") + 10',
    'person.education in ["初中", "小学"]',
    'grade(2023) == "不称职"',
]


@st.composite
def _conditions(draw: st.DrawFn, depth: int = 2) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(st.sampled_from(_ATOMS))
    shape = draw(st.sampled_from(["and", "or", "not", "if"]))
    a, b = draw(_conditions(depth - 1)), draw(_conditions(depth - 1))
    if shape == "not":
        return f"not ({a})"
    if shape == "if":
        return f"({a}) if ({b}) else ({draw(_conditions(depth - 1))})"
    return f"({a}) {shape} ({b})"


def _policy(conditions: list[str], hit_policy: str) -> str:
    items = "".join(
        f"""      - id: item{n}
        number: {n}
        title: {{zh: 条目{n}, en: Item {n}}}
        citation: {CITATION}
        expression: '{condition}'
"""
        for n, condition in enumerate(conditions, start=1)
    )
    return f"""\
parameters:
  - id: min_years
    title: {{zh: 最低年限, en: Minimum years}}
    kind: number
    citation: {CITATION}
    values:
      - {{value: 3, effective_from: 2020-01-01}}
lists:
  - id: test.fused
    title: {{zh: 融合清单, en: Fused list}}
    citation: {CITATION}
    declared_size: {len(conditions)}
    effect: disqualify
    hit_policy: {hit_policy}
    items:
{items}"""


_MAYBE_DATE = st.none() | st.dates(date(1950, 1, 1), date(2010, 1, 1))


@st.composite
def _dossiers(draw: st.DrawFn) -> Dossier:
    kinds = st.sampled_from(["涉黑涉恶", "长期不履职", "其他"])
    findings = draw(
        st.none()
        | st.lists(
            st.builds(
                lambda kind, day: Finding("F", "p1", kind, day, "镇党委"),
                kinds,
                st.dates(date(2019, 1, 1), AS_OF),
            ),
            max_size=3,
        )
    )
    posts = draw(
        st.lists(
            st.builds(
                lambda start, days: Post(
                    "p1",
                    "党组织书记",
                    "v1",
                    start,
                    start.fromordinal(start.toordinal() + days) if days else None,
                ),
                st.dates(date(2015, 1, 1), AS_OF),
                st.integers(0, 2000),
            ),
            max_size=2,
        )
    )
    counts = draw(st.dictionaries(st.sampled_from(["缺席", "迟到"]), st.integers(0, 5)))
    grades = draw(st.dictionaries(st.just(2023), st.sampled_from(["优秀", "不称职"])))
    person = Person(
        "p1",
        "张三",
        birth_date=draw(_MAYBE_DATE),
        education=draw(st.none() | st.sampled_from(["初中", "本科"])),
    )
    return Dossier(
        person=person,
        as_of=AS_OF,
        posts=tuple(posts),
        findings=None if findings is None else tuple(findings),
        counts=counts,
        grades=grades,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_conditions(), min_size=2, max_size=5),
    st.sampled_from(["any", "all"]),
    st.lists(_dossiers(), min_size=1, max_size=6),
)
def test_the_fused_function_agrees_with_the_interpreter_on_every_item(
    conditions: list[str], hit_policy: str, dossiers: list[Dossier]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "policy.yaml"
        path.write_text(_policy(conditions, hit_policy), encoding="utf-8")
        engine = Engine.from_files([path])
    fast = engine.evaluate("test.fused", dossiers, AS_OF, explain=False)
    slow = engine.evaluate("test.fused", dossiers, AS_OF)
    assert [(v.outcome, v.conclusive, [i.status for i in v.items]) for v in fast] == [
        (v.outcome, v.conclusive, [i.status for i in v.items]) for v in slow
    ]
