"""Benchmark: a 12-item criteria list over 100,000 dossiers.

Prints records per second for, all in one run on the same dossiers:
  - compiled: governance_core's fast path (verdicts without explanation),
  - explain: the explaining path (verdicts with deciding values),
  - lambdas: 12 hand-written Python lambdas per record (the baseline to stay within 2x of),
  - rule-engine: the same 12 conditions as rule_engine.Rule objects (to beat by 10x),
  - zen-engine: the same 12 conditions as one ZEN expression (GoRules), given each dossier as
    the context ZEN reads — its building counted (today's target: compiled ≥ 20x),
and the ratios the targets are checked by; then, against the floor (one fused hand-written
function with its constants hoisted), the list's one generated function alone and the
compiled path that builds a verdict per person around it, interleaved in rounds, in CPU
seconds (median and min–max of the ratio; today's target ≤ 1.3×).
Run: python benchmarks/criteria.py [--records N] [--slow-records N] [--rounds N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import rule_engine

from governance_core import Document, Dossier, Engine, Finding, Person, Post
from governance_core.rules.criteria.kind import CRITERIA

AS_OF = date(2024, 6, 30)

CONDITIONS: list[tuple[str, str]] = [
    ("organised_crime", 'has_finding("涉黑涉恶")'),
    ("three_assets", 'has_finding("“三资”管理混乱", within=years(3))'),
    ("non_performance", 'has_finding("长期不履职", within=years(2))'),
    ("missed_days", 'count("民主活动日缺席") > 3'),
    ("missed_meetings", 'count("工作例会缺席") >= 2'),
    ("low_income", 'amount("集体经济收入") < 50000'),
    ("new_in_post", 'years_in_post("党组织书记") < 1'),
    ("age", "age() >= 60"),
    ("education", 'person.education in ["初中", "小学"]'),
    ("grade", 'grade(2023) == "不称职"'),
    ("rank", 'rank("2024-Q1") > 20'),
    ("no_report", 'not has_document("调研报告")'),
]


def _years_between(start: date, end: date) -> int:
    years = end.year - start.year
    return years - 1 if (end.month, end.day) < (start.month, start.day) else years


def _since(years: int) -> date:
    return AS_OF.replace(year=AS_OF.year - years)


# What a developer would write by hand for the same 12 conditions on the same records.
LAMBDAS: list[Callable[[Dossier], bool]] = [
    lambda d: any(f.kind == "涉黑涉恶" for f in d.findings or ()),
    lambda d: any(
        f.kind == "“三资”管理混乱" and f.established_on > _since(3) for f in d.findings or ()
    ),
    lambda d: any(
        f.kind == "长期不履职" and f.established_on > _since(2) for f in d.findings or ()
    ),
    lambda d: d.counts["民主活动日缺席"] > 3,
    lambda d: d.counts["工作例会缺席"] >= 2,
    lambda d: d.amounts["集体经济收入"] < 50000,
    lambda d: (
        next(
            (
                _years_between(p.start, d.as_of)
                for p in d.posts
                if p.role == "党组织书记" and p.held_on(d.as_of)
            ),
            0,
        )
        < 1
    ),
    lambda d: _years_between(d.person.birth_date, d.as_of) >= 60,  # type: ignore[arg-type]
    lambda d: d.person.education in ("初中", "小学"),
    lambda d: d.grades[2023] == "不称职",
    lambda d: d.ranks["2024-Q1"] > 20,
    lambda d: not any(doc.kind == "调研报告" for doc in d.documents or ()),
]

_SINCE_3, _SINCE_2 = _since(3), _since(2)
_LOW_EDUCATION = frozenset(("初中", "小学"))


def fused(d: Dossier) -> tuple[bool, ...]:
    """The 12 conditions as one function, written for speed: the floor of the compiled path."""
    findings = d.findings or ()
    as_of = d.as_of
    in_post = next(
        (
            _years_between(p.start, as_of)
            for p in d.posts
            if p.role == "党组织书记" and p.held_on(as_of)
        ),
        0,
    )
    born = d.person.birth_date
    assert born is not None
    return (
        any(f.kind == "涉黑涉恶" for f in findings),
        any(f.kind == "“三资”管理混乱" and f.established_on > _SINCE_3 for f in findings),
        any(f.kind == "长期不履职" and f.established_on > _SINCE_2 for f in findings),
        d.counts["民主活动日缺席"] > 3,
        d.counts["工作例会缺席"] >= 2,
        d.amounts["集体经济收入"] < 50000,
        in_post < 1,
        _years_between(born, as_of) >= 60,
        d.person.education in _LOW_EDUCATION,
        d.grades[2023] == "不称职",
        d.ranks["2024-Q1"] > 20,
        not any(doc.kind == "调研报告" for doc in d.documents or ()),
    )


KINDS = ["涉黑涉恶", "“三资”管理混乱", "长期不履职", "其他"]


def make_dossiers(n: int, seed: int = 42) -> list[Dossier]:
    rng = random.Random(seed)
    dossiers = []
    for i in range(n):
        pid = f"p{i:06d}"
        findings = tuple(
            Finding(
                f"F{i}-{k}",
                pid,
                rng.choice(KINDS),
                AS_OF - timedelta(days=rng.randrange(1, 2000)),
                "镇党委",
            )
            for k in range(rng.choice((0, 0, 0, 1, 2)))
        )
        documents = tuple(
            Document(f"D{i}", pid, "调研报告", AS_OF - timedelta(days=30))
            for _ in range(rng.choice((0, 1)))
        )
        dossiers.append(
            Dossier(
                person=Person(
                    pid,
                    f"人员{i}",
                    birth_date=date(rng.randrange(1960, 1995), 1 + i % 12, 1 + i % 28),
                    education=rng.choice(["小学", "初中", "高中", "大专", "本科"]),
                ),
                as_of=AS_OF,
                posts=(
                    Post(
                        pid,
                        "党组织书记",
                        f"v{i % 447}",
                        AS_OF - timedelta(days=rng.randrange(30, 4000)),
                    ),
                ),
                findings=findings,
                counts={"民主活动日缺席": rng.randrange(6), "工作例会缺席": rng.randrange(4)},
                amounts={"集体经济收入": Decimal(rng.randrange(0, 200_000))},
                documents=documents,
                grades={2023: rng.choice(["优秀", "称职", "称职", "基本称职", "不称职"])},
                ranks={"2024-Q1": rng.randrange(1, 30)},
            )
        )
    return dossiers


def policy_file(folder: Path) -> Path:
    items = "\n".join(
        f"""      - id: {name}
        number: {n}
        title: {{zh: 条件{n}, en: Condition {n}}}
        citation: {{document: benchmark, article: "{n}", source: benchmarks/criteria.py}}
        expression: '{expression}'"""
        for n, (name, expression) in enumerate(CONDITIONS, start=1)
    )
    path = folder / "benchmark.yaml"
    path.write_text(
        f"""lists:
  - id: bench.twelve
    title: {{zh: 基准清单, en: Benchmark list}}
    citation: {{document: benchmark, article: all, source: benchmarks/criteria.py}}
    declared_size: 12
    effect: disqualify
    hit_policy: any
    items:
{items}
""",
        encoding="utf-8",
    )
    return path


class _Functions:
    """rule-engine resolves names on this object: the dossier's functions, bound."""

    __slots__ = ("d",)

    def __init__(self, d: Dossier) -> None:
        self.d = d


def rule_engine_rules() -> list[Any]:
    from governance_core.expressions._functions import BUILTIN_FUNCTIONS

    def resolve(thing: _Functions, name: str) -> Any:
        if name == "person":
            return {"education": thing.d.person.education}
        function = BUILTIN_FUNCTIONS[name]
        if name == "amount":  # rule-engine's numbers are Decimal, not Fraction
            return lambda key: thing.d.amounts[key]
        return lambda *args: function.impl(thing.d, *args)

    context = rule_engine.Context(resolver=resolve)
    texts = [
        'has_finding("涉黑涉恶")',
        'count_findings("“三资”管理混乱", years3) > 0',
        'count_findings("长期不履职", years2) > 0',
        'count("民主活动日缺席") > 3',
        'count("工作例会缺席") >= 2',
        'amount("集体经济收入") < 50000',
        'years_in_post("党组织书记") < 1',
        "age() >= 60",
        'person["education"] in ["初中", "小学"]',
        'grade(2023) == "不称职"',
        'rank("2024-Q1") > 20',
        'not has_document("调研报告")',
    ]
    from governance_core.expressions import Span

    def resolve_with_spans(thing: _Functions, name: str) -> Any:
        if name == "years3":
            return Span(years=3)
        if name == "years2":
            return Span(years=2)
        return resolve(thing, name)

    context = rule_engine.Context(resolver=resolve_with_spans)
    return [rule_engine.Rule(t, context=context) for t in texts]


# GoRules' ZEN expression language: the same 12 conditions as one expression returning the
# list of answers, over the dossier given as the JSON-like context ZEN reads (dates as day
# numbers: ZEN compares no strings). Building the context is part of ZEN's cost: it is how a
# dossier reaches it.
ZEN_CONDITIONS = [
    'some(findings, #.kind == "涉黑涉恶")',
    'some(findings, #.kind == "“三资”管理混乱" and #.on > since3)',
    'some(findings, #.kind == "长期不履职" and #.on > since2)',
    "missed_days > 3",
    "missed_meetings >= 2",
    "income < 50000",
    "post_years < 1",
    "age >= 60",
    'education in ["初中", "小学"]',
    'grade2023 == "不称职"',
    "rank > 20",
    'not some(documents, # == "调研报告")',
]


def zen_context(d: Dossier) -> dict[str, Any]:
    """What ZEN is given of a dossier: its facts as plain values."""
    as_of = d.as_of
    born = d.person.birth_date
    assert born is not None
    return {
        "findings": [
            {"kind": f.kind, "on": f.established_on.toordinal()} for f in d.findings or ()
        ],
        "since3": _SINCE_3.toordinal(),
        "since2": _SINCE_2.toordinal(),
        "missed_days": d.counts["民主活动日缺席"],
        "missed_meetings": d.counts["工作例会缺席"],
        "income": int(d.amounts["集体经济收入"]),
        "post_years": next(
            (
                _years_between(p.start, as_of)
                for p in d.posts
                if p.role == "党组织书记" and p.held_on(as_of)
            ),
            0,
        ),
        "age": _years_between(born, as_of),
        "education": d.person.education,
        "grade2023": d.grades[2023],
        "rank": d.ranks["2024-Q1"],
        "documents": [doc.kind for doc in d.documents or ()],
    }


def zen_expression() -> Any:
    import zen

    return zen.compile_expression("[" + ", ".join(ZEN_CONDITIONS) + "]")


def cpu(run: Callable[[], Any]) -> float:
    """CPU seconds of one call of ``run``."""
    start = time.process_time()
    run()
    return time.process_time() - start


def rate(
    run: Callable[[Sequence[Dossier]], Any], dossiers: Sequence[Dossier], repeat: int = 3
) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run(dossiers)
        best = min(best, time.perf_counter() - start)
    return len(dossiers) / best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument(
        "--slow-records", type=int, default=10_000, help="records for explain and rule-engine"
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds of compiled against fused")
    args = parser.parse_args()

    dossiers = make_dossiers(args.records)
    slow = dossiers[: args.slow_records]
    with tempfile.TemporaryDirectory() as folder:
        engine = Engine.from_files([policy_file(Path(folder))])
    compiled = engine.policies.of(CRITERIA).find("bench.twelve")
    values = engine.policies.values_on(AS_OF)
    rules = rule_engine_rules()
    zen_rules = zen_expression()

    # the same answers, or the comparison means nothing
    for d in slow[:2000]:
        fast = [
            i.status.value == "met" for i in compiled.evaluate([d], values, explain=False)[0].items
        ]
        hand = [f(d) for f in LAMBDAS]
        other = [r.matches(_Functions(d)) for r in rules]
        graph = list(zen_rules.evaluate(zen_context(d)))
        assert fast == hand == other == graph == list(fused(d)), (d.person.id, fast, graph)

    results = {
        "compiled": rate(lambda ds: compiled.evaluate(ds, values, explain=False), dossiers),
        "explain": rate(lambda ds: compiled.evaluate(ds, values, explain=True), slow, repeat=1),
        "lambdas": rate(lambda ds: [[f(d) for f in LAMBDAS] for d in ds], dossiers),
        "rule-engine": rate(
            lambda ds: [[r.matches(_Functions(d)) for r in rules] for d in ds], slow, repeat=1
        ),
        "zen-engine": rate(lambda ds: [zen_rules.evaluate(zen_context(d)) for d in ds], slow),
    }
    print(
        f"12-item list, {args.records:,} records ({args.slow_records:,} for explain and rule-engine)"
    )
    for name, per_second in results.items():
        print(f"  {name:<12} {per_second:>12,.0f} records/s")
    vs_rule_engine = results["compiled"] / results["rule-engine"]
    vs_lambdas = results["lambdas"] / results["compiled"]
    vs_zen = results["compiled"] / results["zen-engine"]
    print(
        f"  compiled / rule-engine = {vs_rule_engine:.1f}x  (target >= 10x: {'met' if vs_rule_engine >= 10 else 'NOT met'})"
    )
    print(
        f"  lambdas / compiled     = {vs_lambdas:.2f}x  (target <= 2x: {'met' if vs_lambdas <= 2 else 'NOT met'})"
    )
    print(
        f"  compiled / zen-engine  = {vs_zen:.1f}x  (today's target >= 20x: {'met' if vs_zen >= 20 else 'NOT met'})"
    )
    # the list's one generated function alone, and with the verdict per person around it
    function = compiled.function_on(AS_OF)
    ratios: dict[str, list[float]] = {"verdicts": [], "function": []}
    for _ in range(args.rounds):  # interleaved: a busy machine slows them alike
        verdicts = cpu(lambda: compiled.evaluate(dossiers, values, explain=False))
        generated = cpu(lambda: [function(d, values) for d in dossiers])
        floor = cpu(lambda: [fused(d) for d in dossiers])
        ratios["verdicts"].append(verdicts / floor)
        ratios["function"].append(generated / floor)
    for name, label in (
        ("verdicts", "compiled (verdicts)"),
        ("function", "generated function"),
    ):
        spread = ratios[name]
        print(
            f"  {label} / fused function = {statistics.median(spread):.2f}x median "
            f"(min {min(spread):.2f}, max {max(spread):.2f}; today's target <= 1.3x), CPU time"
        )


if __name__ == "__main__":
    main()
